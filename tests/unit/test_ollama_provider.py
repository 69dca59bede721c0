"""The ollama provider against a local HTTP double of Ollama's API (streaming NDJSON included)."""

import pytest
from typer.testing import CliRunner

from aiops.cli import app
from aiops.errors import ServiceUnavailable
from aiops.models import chat_model, embeddings
from graphs.rag import build_graph
from tests.conftest import make_settings
from tests.doubles.http import serve
from tests.doubles.ollama import OllamaHandler, fake_vector
from tests.fakes import ListRetriever, chunk

pytestmark = pytest.mark.unit


@pytest.fixture
def ollama():
    with serve(OllamaHandler) as server:
        yield server


def ollama_settings(tmp_path, url, **extra):
    return make_settings(tmp_path, llm_provider="ollama", embedding_provider="ollama", ollama_base_url=url,
                         **extra)


def test_chat_model_talks_to_ollama_and_streams(ollama, tmp_path):
    ollama.state["reply"] = "Redémarrez le conteneur dolibarr-app [1]."
    model = chat_model(ollama_settings(tmp_path, ollama.url))
    assert model.invoke("Comment ?").text == "Redémarrez le conteneur dolibarr-app [1]."
    pieces = [part.text for part in model.stream("Comment ?")]
    assert len([p for p in pieces if p]) > 1
    assert "".join(pieces) == "Redémarrez le conteneur dolibarr-app [1]."
    method, path, body = ollama.requests[-1]
    assert (method, path, body["model"]) == ("POST", "/api/chat", "mistral")


def test_embeddings_use_the_embed_endpoint(ollama, tmp_path):
    model = embeddings(ollama_settings(tmp_path, ollama.url))
    assert model.embed_documents(["a", "b"]) == [fake_vector("a"), fake_vector("b")]
    assert ollama.requests[-1][1] == "/api/embed"
    assert ollama.requests[-1][2]["model"] == "nomic-embed-text"


def test_rag_graph_over_ollama_answers_with_citation(ollama, tmp_path):
    ollama.state["reply"] = "Run gitlab-backup restore [1]."
    graph = build_graph(model=chat_model(ollama_settings(tmp_path, ollama.url)),
                        retriever=ListRetriever([chunk("docs/gitlab.md", "restore gitlab backup")]))
    result = graph.invoke({"question": "How do I restore a GitLab backup?"})
    assert result["answer"] == "Run gitlab-backup restore [1]."
    sent = ollama.requests[-1][2]["messages"]
    assert '<source n="1" file="docs/gitlab.md"' in sent[-1]["content"]


def test_unknown_model_is_a_service_error_not_a_traceback(ollama, tmp_path):
    model = chat_model(ollama_settings(tmp_path, ollama.url, ollama_chat_model="nonexistent"))
    graph = build_graph(model=model, retriever=ListRetriever([chunk("docs/gitlab.md", "restore gitlab")]))
    with pytest.raises(ServiceUnavailable, match="LLM failed"):
        graph.invoke({"question": "restore gitlab"})


def test_unreachable_ollama_ends_in_a_clear_message_and_exit_code_3(tmp_path, monkeypatch):
    for key, value in {"AIOPS_DATA_DIR": str(tmp_path), "AIOPS_LLM_PROVIDER": "ollama",
                       "AIOPS_EMBEDDING_PROVIDER": "ollama", "AIOPS_OLLAMA_BASE_URL": "http://127.0.0.1:9"}.items():
        monkeypatch.setenv(key, value)
    from aiops.settings import get_settings

    get_settings.cache_clear()
    try:
        docs = tmp_path / "docs"
        docs.mkdir()
        (docs / "a.md").write_text("# Dolibarr\nredeploy with docker compose\n")
        result = CliRunner().invoke(app, ["ingest", str(docs), "--json"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 3
    assert "embedding model unreachable" in result.output
    assert "Traceback" not in result.output
