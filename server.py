"""The aiops HTTP service: LangServe routes for the graphs, health checks, clear errors.

``uvicorn server:app`` or ``aiops serve``. Models load on the first request, not at start.
"""

from __future__ import annotations

import logging
import uuid
from datetime import date
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse
from langchain_core.runnables import Runnable
from langserve import add_routes
from pydantic import BaseModel

from agents.assistant.state import AssistantInput
from agents.finops.state import Alert, FinopsInput
from agents.rag.state import RagInput
from agents.reviewer.state import Finding, ReviewInput
from agents.sentinel.state import ClusterReport, IncidentReport, SentinelInput
from aiops import __version__
from aiops.errors import AiopsError
from aiops.roles import DEFAULT_ROLES
from aiops.settings import Settings, get_settings

log = logging.getLogger("aiops.server")


class SourceModel(BaseModel):
    n: int
    source: str
    lines: list[int]
    heading: str
    score: float


class RagAnswer(BaseModel):
    answer: str
    sources: list[SourceModel]
    language: str


async def _caller_config(config: dict[str, Any], request: Request) -> dict[str, Any]:
    """Callers cannot choose their own roles: until API keys exist, everyone is a viewer.

    A conversation without a ``thread_id`` gets a fresh one, so that every call is answerable.
    """
    configurable = dict(config.get("configurable") or {})
    configurable["roles"] = list(getattr(request.state, "roles", DEFAULT_ROLES))
    configurable.setdefault("thread_id", str(uuid.uuid4()))
    return {**config, "configurable": configurable}


class AssistantSourceModel(BaseModel):
    n: int
    source: str
    kind: str
    id: int | None = None
    lines: list[int] | None = None
    heading: str | None = None


class AssistantAnswer(BaseModel):
    answer: str
    sources: list[AssistantSourceModel]
    language: str


class SentinelAnswer(BaseModel):
    lines: int
    unparsed: int
    unparsed_samples: list[str]
    clusters: list[ClusterReport]
    incidents: list[IncidentReport]
    llm_calls: int


class ReviewAnswer(BaseModel):
    findings: list[Finding]
    blocking: bool
    files: int
    llm_calls: int
    uhub_job: str


class FinopsAnswer(BaseModel):
    alerts: list[Alert]
    as_of: date
    currency: str
    notifications: list[str]
    llm_calls: int
    skipped_rows: list[str]


def create_app(
    settings: Settings | None = None,
    rag_graph: Runnable[Any, Any] | None = None,
    assistant_graph: Runnable[Any, Any] | None = None,
    sentinel_graph: Runnable[Any, Any] | None = None,
    reviewer_graph: Runnable[Any, Any] | None = None,
    finops_graph: Runnable[Any, Any] | None = None,
) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="aiops", version=__version__,
                  description="Sovereign AI agents for the ops team: RAG over the docs, uHub assistant.")

    @app.exception_handler(AiopsError)
    async def aiops_error(request: Request, error: AiopsError) -> JSONResponse:
        log.warning("%s %s: %s", request.method, request.url.path, error.message)
        return JSONResponse(status_code=error.http_status, content={"error": error.message})

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/rag/playground/")

    if rag_graph is None:
        from graphs.rag import build_graph

        rag_graph = build_graph(settings=settings)
    add_routes(
        app, rag_graph, path="/rag", input_type=RagInput, output_type=RagAnswer,
        per_req_config_modifier=_caller_config, enabled_endpoints=(
            "invoke", "batch", "stream", "stream_log", "stream_events", "input_schema", "output_schema",
            "config_schema", "playground",
        ),
    )
    if assistant_graph is None:
        from graphs.assistant import build_graph as build_assistant
        from tools.checkpoints import ThreadedSqliteSaver

        assistant_graph = build_assistant(
            settings=settings, checkpointer=ThreadedSqliteSaver.at(settings.data_dir / "threads.sqlite")
        )
    add_routes(
        app, assistant_graph, path="/assistant", input_type=AssistantInput, output_type=AssistantAnswer,
        per_req_config_modifier=_caller_config, enabled_endpoints=(
            "invoke", "batch", "stream", "stream_log", "stream_events", "input_schema", "output_schema",
            "config_schema", "playground",
        ),
    )
    if reviewer_graph is None:
        from graphs.reviewer import build_graph as build_reviewer

        reviewer_graph = build_reviewer(settings=settings)
    add_routes(
        app, reviewer_graph, path="/reviewer", input_type=ReviewInput, output_type=ReviewAnswer,
        per_req_config_modifier=_caller_config, enabled_endpoints=(
            "invoke", "batch", "input_schema", "output_schema", "config_schema", "playground",
        ),
    )
    if finops_graph is None:
        from graphs.finops import build_graph as build_finops

        finops_graph = build_finops(settings=settings)
    add_routes(
        app, finops_graph, path="/finops", input_type=FinopsInput, output_type=FinopsAnswer,
        per_req_config_modifier=_caller_config, enabled_endpoints=(
            "invoke", "batch", "input_schema", "output_schema", "config_schema", "playground",
        ),
    )
    if sentinel_graph is None:
        from graphs.sentinel import build_graph as build_sentinel

        sentinel_graph = build_sentinel(settings=settings)
    add_routes(
        app, sentinel_graph, path="/sentinel", input_type=SentinelInput, output_type=SentinelAnswer,
        per_req_config_modifier=_caller_config, enabled_endpoints=(
            "invoke", "batch", "input_schema", "output_schema", "config_schema", "playground",
        ),
    )
    return app


app = create_app()
