"""API keys and roles on every route family, CORS, size limit, metrics and readiness."""

import pytest
from fastapi.testclient import TestClient

from graphs.assistant import build_graph as build_assistant
from graphs.rag import build_graph as build_rag
from server import create_app
from tests.conftest import make_settings
from tests.fakes import ListRetriever, chunk, fake_model
from tools.uhub_client import UhubClient

pytestmark = pytest.mark.unit
KEYS = {"k-viewer": ["viewer"], "k-ops": ["ops"], "k-audit": ["viewer", "auditor"], "k-ci": ["ci"]}
DOCS = [chunk("docs/secrets.md", "how to rotate the secret DB_PASSWORD with the vault"),
        chunk("uhub/audit_log/901", "alice rotated the secret DB_PASSWORD", audience="auditor")]


@pytest.fixture
def client(tmp_path):
    settings = make_settings(tmp_path / "data", api_keys=KEYS, uhub_origin="https://hub.example.org",
                             max_request_bytes=50_000)
    retriever = ListRetriever(DOCS)
    unused = fake_model()
    app = create_app(
        settings,
        rag_graph=build_rag(model=fake_model(*["see [1]"] * 10), retriever=retriever, settings=settings),
        assistant_graph=build_assistant(model=fake_model(*["see [1]"] * 10), retriever=retriever, settings=settings,
                                        uhub=lambda: UhubClient("http://127.0.0.1:9", "t", retries=1)),
        sentinel_graph=unused, reviewer_graph=unused, finops_graph=unused)
    return TestClient(app)


def bearer(key):
    return {"Authorization": f"Bearer {key}"}


QUESTION = {"input": {"question": "who rotated the secret DB_PASSWORD"}}


def call(client, method, path, body=None, headers=None):
    if method == "get":
        return client.get(path, headers=headers)
    return client.post(path, json=body, headers=headers)


@pytest.mark.parametrize(("method", "path", "body"), [
    ("post", "/rag/invoke", QUESTION), ("get", "/rag/playground/", None), ("post", "/assistant/invoke", QUESTION),
    ("get", "/assistant/playground/", None), ("post", "/sentinel/invoke", {"input": {"log_lines": []}}),
    ("post", "/finops/invoke", {"input": {"budgets_yaml": ""}}), ("post", "/reviewer/invoke", {"input": {"diff": ""}}),
    ("get", "/metrics", None), ("get", "/openapi.json", None),
])
def test_missing_or_wrong_key_is_401_on_every_route_family(client, method, path, body):
    assert call(client, method, path, body).status_code == 401
    response = call(client, method, path, body, bearer("nope"))
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(("path", "key", "status"), [
    ("/sentinel/invoke", "k-viewer", 403), ("/finops/invoke", "k-ci", 403), ("/reviewer/invoke", "k-viewer", 403),
    ("/metrics", "k-viewer", 403), ("/metrics", "k-ops", 200), ("/reviewer/input_schema", "k-ci", 200),
])
def test_wrong_role_is_403(client, path, key, status):
    method = "get" if path.endswith(("metrics", "schema")) else "post"
    assert call(client, method, path, {"input": {}}, bearer(key)).status_code == status


@pytest.mark.parametrize("route", ["/rag/invoke", "/assistant/invoke"])
def test_only_auditors_read_audit_logs(client, route):
    viewer = client.post(route, json=QUESTION, headers=bearer("k-viewer")).json()["output"]
    assert [s["source"] for s in viewer["sources"]] == ["docs/secrets.md"]
    auditor = client.post(route, json=QUESTION, headers=bearer("k-audit")).json()["output"]
    assert "uhub/audit_log/901" in [s["source"] for s in auditor["sources"]]
    sneaky = client.post(route, headers=bearer("k-viewer"), json={
        **QUESTION, "config": {"configurable": {"roles": ["auditor"]}}}).json()["output"]
    assert "uhub/audit_log/901" not in [s["source"] for s in sneaky["sources"]]


def test_playground_key_in_the_url_becomes_a_cookie(client):
    page = client.get("/rag/playground/?api_key=k-viewer")
    assert page.status_code == 200
    assert client.post("/rag/invoke", json=QUESTION).status_code == 200  # the cookie now carries the key


def test_public_routes_cors_and_size_limit(client):
    assert client.get("/healthz").status_code == 200
    preflight = client.options("/rag/invoke", headers={"Origin": "https://hub.example.org",
                                                       "Access-Control-Request-Method": "POST"})
    assert preflight.headers["access-control-allow-origin"] == "https://hub.example.org"
    other = client.options("/rag/invoke", headers={"Origin": "https://evil.example",
                                                   "Access-Control-Request-Method": "POST"})
    assert "access-control-allow-origin" not in other.headers
    big = client.post("/rag/invoke", headers=bearer("k-viewer"), json={"input": {"question": "x" * 60_000}})
    assert big.status_code == 413


def test_metrics_count_requests_llm_calls_and_retrieval(client):
    client.post("/rag/invoke", json=QUESTION, headers=bearer("k-viewer"))
    text = client.get("/metrics", headers=bearer("k-ops")).text
    assert 'aiops_http_requests_total{method="POST",route="/rag",status="200"}' in text
    assert "aiops_llm_calls_total" in text
    assert "aiops_outbox_pending 0.0" in text


def test_readyz_reports_store_and_model(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"ready": True, "store": "ok", "model": "ok"}


def test_readyz_is_503_when_ollama_is_gone(tmp_path):
    settings = make_settings(tmp_path / "data", llm_provider="ollama", ollama_base_url="http://127.0.0.1:9")
    unused = fake_model()
    app = create_app(settings, rag_graph=unused, assistant_graph=unused, sentinel_graph=unused,
                     reviewer_graph=unused, finops_graph=unused)
    response = TestClient(app).get("/readyz")
    assert response.status_code == 503
    assert response.json()["model"].startswith("unavailable")


@pytest.mark.parametrize(("body", "message"), [
    (b'{"input": {"question": "x"}, "config": null}', '"config" must be an object'),
    (b'\x82\xff not utf-8', "UTF-8 JSON"),
    (b'{"config": {}}', '"input" is required'),
    (b'{"input": {"k": 3}}', "input: question: Field required"),
])
def test_malformed_langserve_envelopes_are_422_not_500(client, body, message):
    response = client.post("/rag/invoke", content=body, headers={**bearer("k-viewer"),
                                                                 "Content-Type": "application/json"})
    assert response.status_code == 422
    assert message in response.json()["error"]


def test_malformed_batch_inputs_are_422(client):
    response = client.post("/rag/batch", json={"inputs": None}, headers=bearer("k-viewer"))
    assert (response.status_code, response.json()["error"]) == (422, '"inputs" must be a list')
