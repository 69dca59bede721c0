"""The product as a user meets it: the embedded LLM, the CLI in a subprocess, the server over HTTP."""

import json
import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import pytest
import uvicorn

from aiops.ingest import ingest_paths
from graphs.rag import build_graph
from server import create_app
from tests.conftest import EXAMPLE_REPO, PROJECT, make_settings
from tools.retriever import HybridRetriever

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, minilm):
    settings = make_settings(tmp_path_factory.mktemp("e2e"))
    ingest_paths([EXAMPLE_REPO], settings, minilm)
    return settings


def test_embedded_model_answers_with_a_citation_of_the_right_file(indexed, minilm):
    graph = build_graph(settings=indexed, retriever=HybridRetriever(indexed, minilm))
    result = graph.invoke({"question": "How do I restore GitLab from a backup?"})
    assert result["language"] == "en"
    assert result["sources"][0]["source"] == "docs/runbooks/gitlab-backup-restore.md"
    assert "[1]" in result["answer"]
    assert len(result["answer"]) > 20


def test_embedded_model_abstains_on_an_off_topic_question(indexed, minilm):
    graph = build_graph(settings=indexed, retriever=HybridRetriever(indexed, minilm))
    result = graph.invoke({"question": "Quelle est la recette du gâteau au chocolat ?"})
    assert result == {"answer": "Je ne sais pas : rien dans la documentation indexée ne répond à cette question.",
                      "sources": [], "language": "fr"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(indexed, minilm):
    graph = build_graph(settings=indexed, retriever=HybridRetriever(indexed, minilm))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(indexed, rag_graph=graph), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_server_playground_loads_and_invoke_cites_the_right_file(live_server):
    with httpx.Client(base_url=live_server, timeout=120) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        playground = client.get("/rag/playground/")
        assert playground.status_code == 200
        assert "<script" in playground.text
        question = {"question": "Comment je redéploie le service Dolibarr ?"}
        response = client.post("/rag/invoke", json={"input": question})
        assert response.status_code == 200
        output = response.json()["output"]
        assert output["sources"][0]["source"] == "docs/runbooks/dolibarr-redeploy.md"
        assert output["language"] == "fr"
        assert client.post("/rag/invoke", json={"input": {"question": ""}}).status_code == 422


def test_server_streams_the_answer(live_server):
    with httpx.Client(base_url=live_server, timeout=120) as client, client.stream(
        "POST", "/rag/stream", json={"input": {"question": "How do I restore GitLab from a backup?"}}
    ) as response:
        assert response.status_code == 200
        events = [line for line in response.iter_lines() if line.startswith("event:")]
    assert "event: data" in events
    assert events[-1] == "event: end"


def run_cli(*args, data_dir, stdin=None):
    env = {**os.environ, "AIOPS_DATA_DIR": str(data_dir), "AIOPS_COLLECTION": "cli"}
    return subprocess.run([sys.executable, "-m", "aiops.cli", *args], capture_output=True, text=True,
                          env=env, input=stdin, cwd=PROJECT, timeout=600, check=False)


def test_cli_ingest_json_is_incremental_and_retrieve_reads_questions_from_stdin(tmp_path):
    first = run_cli("ingest", str(EXAMPLE_REPO), "--json", data_dir=tmp_path)
    assert first.returncode == 0, first.stderr
    counts = json.loads(first.stdout)
    assert counts["embedded"] == counts["chunks"] > 0
    second = json.loads(run_cli("ingest", str(EXAMPLE_REPO), "--json", data_dir=tmp_path).stdout)
    assert (second["embedded"], second["deleted"]) == (0, 0)

    lines = run_cli("retrieve", "-", "--k", "3", data_dir=tmp_path,
                    stdin="Comment débannir une IP ?\n\nHow do I restore GitLab?\n").stdout.splitlines()
    assert len(lines) == 2
    first_answer, second_answer = (json.loads(line) for line in lines)
    assert first_answer["results"][0]["source"] == "docs/runbooks/crowdsec.md"
    assert second_answer["results"][0]["source"] == "docs/runbooks/gitlab-backup-restore.md"
    assert set(first_answer["results"][0]) >= {"source", "lines", "score", "text"}


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["ingest", "/definitely/not/here"], 2, "path does not exist"),
        (["retrieve", "  ", "--json"], 2, "the question is empty"),
        (["ask", ""], 2, "the question is empty"),
    ],
)
def test_cli_bad_input_ends_with_a_message_not_a_traceback(tmp_path, args, code, message):
    result = run_cli(*args, data_dir=tmp_path)
    assert result.returncode == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
