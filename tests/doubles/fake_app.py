"""The aiops app on fake models and in-memory documents, for API fuzzing (schemathesis) and benchmarks.

    AIOPS_DATA_DIR=/tmp/aiops-fuzz uvicorn tests.doubles.fake_app:app --port 8765

API key ``fuzz-key`` has every role.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from pathlib import Path

from langchain_core.messages import AIMessage

from graphs.assistant import build_graph as build_assistant
from graphs.finops import build_graph as build_finops
from graphs.rag import build_graph as build_rag
from graphs.reviewer import build_graph as build_reviewer
from graphs.sentinel import build_graph as build_sentinel
from server import create_app
from tests.conftest import make_settings
from tests.fakes import FakeStructuredModel, ListRetriever, chunk
from tools.uhub_client import UhubClient

KEY = "fuzz-key"


def endless(text: str) -> FakeStructuredModel:
    return FakeStructuredModel(messages=(AIMessage(content=text) for _ in itertools.count()))


def build() -> object:
    data = Path(os.environ.get("AIOPS_DATA_DIR") or tempfile.mkdtemp(prefix="aiops-fake-"))
    settings = make_settings(data, api_keys={KEY: ["viewer", "ops", "auditor", "ci"]},
                             uhub_url="http://127.0.0.1:9", uhub_retries=1)
    retriever = ListRetriever([chunk("docs/runbooks/dolibarr-redeploy.md", "redeploy dolibarr with docker compose")])
    answer = endless('{"findings": [], "root_cause": "r", "verdict": "unknown", "confidence": 0.5} [1]')
    return create_app(
        settings,
        rag_graph=build_rag(model=answer, retriever=retriever, settings=settings),
        assistant_graph=build_assistant(model=answer, retriever=retriever, settings=settings,
                                        uhub=lambda: UhubClient("http://127.0.0.1:9", "t", retries=1)),
        sentinel_graph=build_sentinel(model=answer, settings=settings),
        reviewer_graph=build_reviewer(model=answer, settings=settings),
        finops_graph=build_finops(model=answer, settings=settings),
    )


app = build()
