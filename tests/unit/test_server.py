"""The FastAPI app with LangServe routes, over a fake model and an in-memory retriever."""

import httpx
import pytest
from fastapi.testclient import TestClient
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from graphs.rag import build_graph
from server import create_app
from tests.conftest import make_settings
from tests.fakes import ListRetriever, chunk, fake_model

pytestmark = pytest.mark.unit

DOCS = [chunk("docs/runbooks/crowdsec.md", "cscli decisions list --since 24h bannies"),
        chunk("uhub/audit/1", "alice changed secret DB_PASSWORD", audience="auditor")]


def client_for(tmp_path, model, retriever=None):
    graph = build_graph(model=model, retriever=retriever or ListRetriever(DOCS))
    return TestClient(create_app(make_settings(tmp_path), rag_graph=graph))


def test_healthz_and_playground(tmp_path):
    client = client_for(tmp_path, fake_model())
    assert client.get("/healthz").json()["status"] == "ok"
    page = client.get("/rag/playground/")
    assert page.status_code == 200
    assert "<html" in page.text.lower()


def test_invoke_answers_with_sources(tmp_path):
    client = client_for(tmp_path, fake_model("sudo cscli decisions list --since 24h [1]"))
    response = client.post("/rag/invoke", json={"input": {"question": "Quelles IPs bannies ?"}})
    assert response.status_code == 200
    output = response.json()["output"]
    assert output["answer"] == "sudo cscli decisions list --since 24h [1]"
    assert output["sources"][0]["source"] == "docs/runbooks/crowdsec.md"
    assert output["language"] == "fr"


@pytest.mark.parametrize("question", ["", "   ", None])
def test_empty_or_missing_question_is_a_4xx(tmp_path, question):
    client = client_for(tmp_path, fake_model())
    payload = {"input": {} if question is None else {"question": question}}
    assert client.post("/rag/invoke", json=payload).status_code == 422


class Unreachable(GenericFakeChatModel):
    def _generate(self, *args, **kwargs):
        raise httpx.ConnectError("Connection refused")


def test_llm_unreachable_is_a_503_with_a_message(tmp_path):
    client = client_for(tmp_path, Unreachable(messages=iter([])))
    response = client.post("/rag/invoke", json={"input": {"question": "bannies"}})
    assert response.status_code == 503
    assert response.json() == {"error": "LLM unreachable: Connection refused"}


def test_callers_cannot_grant_themselves_roles(tmp_path):
    retriever = ListRetriever(DOCS)
    client = client_for(tmp_path, fake_model("x [1]"), retriever)
    response = client.post("/rag/invoke", json={
        "input": {"question": "who changed secret DB_PASSWORD"},
        "config": {"configurable": {"roles": ["auditor"]}},
    })
    assert response.status_code == 200
    assert retriever.calls[-1][2] == ("viewer",)
    assert response.json()["output"]["sources"] == []
