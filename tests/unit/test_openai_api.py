"""The OpenAI-compatible API, driven by the official openai client over real HTTP."""

import openai
import pytest

from graphs.assistant import build_graph as build_assistant
from graphs.rag import build_graph as build_rag
from server import create_app
from tests.conftest import make_settings
from tests.doubles.live import live
from tests.fakes import ListRetriever, chunk, fake_model
from tools.uhub_client import UhubClient

pytestmark = pytest.mark.unit
DOCS = [chunk("docs/runbooks/dolibarr-redeploy.md", "redeploy dolibarr: docker compose pull then up -d", (12, 30))]
ANSWER = "Run docker compose pull, then docker compose up -d [1]."


@pytest.fixture
def base_url(tmp_path):
    settings = make_settings(tmp_path / "data", api_keys={"k-viewer": ["viewer"]})
    retriever = ListRetriever(DOCS)
    unused = fake_model()
    app = create_app(
        settings,
        rag_graph=build_rag(model=fake_model(*[ANSWER] * 5), retriever=retriever, settings=settings),
        assistant_graph=build_assistant(model=fake_model(*[ANSWER] * 5), retriever=retriever, settings=settings,
                                        uhub=lambda: UhubClient("http://127.0.0.1:9", "t", retries=1)),
        sentinel_graph=unused, reviewer_graph=unused, finops_graph=unused)
    with live(app) as url:
        yield url


def client(url, key="k-viewer"):
    return openai.OpenAI(base_url=f"{url}/v1", api_key=key, max_retries=0)


def test_models_are_listed(base_url):
    assert {m.id for m in client(base_url).models.list()} == {"aiops-assistant", "aiops-rag"}


def test_a_plain_answer_with_sources(base_url):
    reply = client(base_url).chat.completions.create(
        model="aiops-rag", messages=[{"role": "user", "content": "How do I redeploy dolibarr?"}])
    content = reply.choices[0].message.content
    assert content.startswith(ANSWER)
    assert "Sources:\n[1] docs/runbooks/dolibarr-redeploy.md:12-30" in content


def test_a_streamed_answer_with_sources(base_url):
    stream = client(base_url).chat.completions.create(
        model="aiops-assistant", stream=True, messages=[{"role": "user", "content": "redeploy dolibarr?"}])
    pieces = [c.choices[0].delta.content or "" for c in stream]
    assert len(pieces) > 3
    assert "".join(pieces).startswith(ANSWER)
    assert "docs/runbooks/dolibarr-redeploy.md" in "".join(pieces)


def test_wrong_key_unknown_model_and_no_question(base_url):
    with pytest.raises(openai.AuthenticationError):
        client(base_url, key="nope").models.list()
    with pytest.raises(openai.NotFoundError):
        client(base_url).chat.completions.create(model="gpt-4", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.BadRequestError):
        client(base_url).chat.completions.create(model="aiops-rag", messages=[{"role": "system", "content": "x"}])
