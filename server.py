"""The aiops HTTP service: LangServe routes for the graphs, health checks, clear errors.

``uvicorn server:app`` or ``aiops serve``. Models load on the first request, not at start.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Literal

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, RedirectResponse, Response
from langchain_core.runnables import Runnable
from langserve import add_routes
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from pydantic import BaseModel, ValidationError

from agents.assistant.state import AssistantInput, AssistantOutput
from agents.finops.state import FinopsInput, FinopsOutput
from agents.rag.state import RagInput, RagOutput
from agents.reviewer.state import ReviewInput, ReviewOutput
from agents.sentinel.state import SentinelInput, SentinelOutput
from aiops import __version__
from aiops.access import required_roles, roles_for_key
from aiops.errors import AiopsError
from aiops.metrics import HTTP_REQUESTS, HTTP_SECONDS, OUTBOX_PENDING, REGISTRY, LlmMetrics
from aiops.models import embedded_llm_path
from aiops.openai_api import openai_router
from aiops.roles import DEFAULT_ROLES
from aiops.settings import Settings, get_settings
from tools.outbox import Outbox
from tools.vectorstore import chroma_client

log = logging.getLogger("aiops.server")
access_log = logging.getLogger("aiops.access")
KEY_COOKIE = "aiops_key"
KNOWN_ROUTES = {"rag", "assistant", "sentinel", "reviewer", "finops", "v1", "widget", "metrics", "healthz", "readyz"}



async def _caller_config(config: dict[str, Any], request: Request) -> dict[str, Any]:
    """The caller's roles come from its API key, never from what it sends.

    A conversation without a ``thread_id`` gets a fresh one, so that every call is answerable.
    """
    config = config if isinstance(config, dict) else {}  # a client may send null or a list
    configurable = dict(config.get("configurable") or {})
    configurable["roles"] = list(getattr(request.state, "roles", DEFAULT_ROLES))
    configurable.setdefault("thread_id", str(uuid.uuid4()))
    callbacks = [*(config.get("callbacks") or []), LlmMetrics()]
    return {**config, "configurable": configurable, "callbacks": callbacks}


def _route_label(path: str) -> str:
    first = path.strip("/").split("/", 1)[0]
    return f"/{first}" if first in KNOWN_ROUTES else "other"


def _presented_key(request: Request) -> str:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip()
    return request.cookies.get(KEY_COOKIE, "") or request.query_params.get("api_key", "")


def _install_guards(app: FastAPI, settings: Settings) -> None:
    """Size limit, API keys and roles, CORS, metrics and one JSON log line per request."""
    if not settings.api_keys:
        log.warning("AIOPS_API_KEYS is empty: open mode, every caller is a viewer and every route is open")

    @app.middleware("http")
    async def guard(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        started = time.perf_counter()
        route = _route_label(request.url.path)
        response = await _guarded(request, call_next)
        elapsed = time.perf_counter() - started
        HTTP_REQUESTS.labels(route, request.method, str(response.status_code)).inc()
        HTTP_SECONDS.labels(route).observe(elapsed)
        access_log.info(json.dumps({"method": request.method, "path": request.url.path,
                                    "status": response.status_code, "ms": round(elapsed * 1000, 1),
                                    "roles": list(getattr(request.state, "roles", ()))}))
        return response

    async def _guarded(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        length = request.headers.get("content-length")
        if length and length.isdigit() and int(length) > settings.max_request_bytes:
            return JSONResponse(status_code=413, content={
                "error": f"request body over {settings.max_request_bytes} bytes"})
        needed = required_roles(request.url.path)
        if request.method == "OPTIONS" or needed is None:
            return await call_next(request)
        key = ""
        roles: tuple[str, ...] | None = DEFAULT_ROLES  # open mode: no keys configured
        if settings.api_keys:
            key = _presented_key(request)
            roles = roles_for_key(settings, key) if key else None
            if roles is None:
                return JSONResponse(status_code=401, headers={"WWW-Authenticate": "Bearer"},
                                    content={"error": "missing or unknown API key (Authorization: Bearer <key>)"})
            if not needed & set(roles):
                return JSONResponse(status_code=403, content={
                    "error": f"the roles of this key ({', '.join(roles)}) cannot use {request.url.path}"})
        request.state.roles = roles
        problem = await _envelope_problem(request)
        if problem:
            return JSONResponse(status_code=422, content={"error": problem})
        response = await call_next(request)
        if key and request.query_params.get("api_key") and "/playground" in request.url.path:
            # The playground's own requests cannot carry a header: it gets the key as a cookie.
            response.set_cookie(KEY_COOKIE, key, httponly=True, samesite="strict")
        return response

    if settings.uhub_origin:
        app.add_middleware(CORSMiddleware, allow_origins=[settings.uhub_origin], allow_credentials=False,
                           allow_methods=["GET", "POST"], allow_headers=["Authorization", "Content-Type"])


WIDGET_DIR = Path(__file__).resolve().parent / "widget"


def _mount_widget(app: FastAPI) -> None:
    """The chat widget uHub embeds, and a page that shows it (the key goes in the page's URL)."""

    @app.get("/widget/aiops-chat.js", include_in_schema=False)
    async def widget_script() -> Response:
        return Response((WIDGET_DIR / "aiops-chat.js").read_text(), media_type="text/javascript")

    @app.get("/widget/demo", include_in_schema=False)
    async def widget_demo() -> Response:
        return Response((WIDGET_DIR / "demo.html").read_text(), media_type="text/html")


INPUT_MODELS: dict[str, type[BaseModel]] = {"rag": RagInput, "assistant": AssistantInput, "sentinel": SentinelInput,
                                            "reviewer": ReviewInput, "finops": FinopsInput}
_LANGSERVE_POST = re.compile(
    r"^/(rag|assistant|sentinel|reviewer|finops)/(invoke|batch|stream|stream_log|stream_events)$")


async def _envelope_problem(request: Request) -> str:
    """What is wrong with a LangServe request body that LangServe itself would answer with a 500."""
    if request.method != "POST" or not _LANGSERVE_POST.match(request.url.path):
        return ""
    try:
        body = json.loads((await request.body()).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "the body must be UTF-8 JSON"
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    batch = request.url.path.endswith("/batch")
    inputs = body.get("inputs") if batch else [body.get("input")]
    if not isinstance(inputs, list) or (not batch and "input" not in body):
        return '"inputs" must be a list' if batch else '"input" is required'
    config = body.get("config", {})
    configs = config if batch and isinstance(config, list) else [config]
    if not all(isinstance(c, dict) for c in configs):
        return '"config" must be an object'
    model = INPUT_MODELS[request.url.path.split("/")[1]]
    for item in inputs:
        try:
            model.model_validate(item)
        except ValidationError as error:
            first = error.errors()[0]
            return f"input: {'.'.join(str(p) for p in first['loc']) or 'body'}: {first['msg']}"
    return ""


Endpoint = Literal["invoke", "batch", "stream", "stream_log", "stream_events", "playground", "input_schema",
                   "config_schema", "output_schema"]


def _serve(app: FastAPI, graph: Runnable[Any, Any], path: str, input_type: type[BaseModel],
           output_type: type[Any], streaming: bool) -> None:
    """A graph's LangServe routes, with the caller's roles and metrics in every run's configuration."""
    endpoints: list[Endpoint] = ["invoke", "batch", "input_schema", "output_schema", "config_schema", "playground"]
    if streaming:
        endpoints += ["stream", "stream_log", "stream_events"]
    add_routes(app, graph, path=path, input_type=input_type, output_type=output_type,
               per_req_config_modifier=_caller_config, enabled_endpoints=endpoints)


def readiness(settings: Settings) -> dict[str, str]:
    """The store answers and the model is there (the file, or Ollama with the model pulled)."""
    checks: dict[str, str] = {}
    try:
        chroma_client(settings).heartbeat()
        checks["store"] = "ok"
    except Exception as error:
        checks["store"] = f"unavailable: {error}"
    try:
        if settings.llm_provider == "ollama":
            tags = httpx.get(f"{settings.ollama_base_url}/api/tags", timeout=3).json()
            names = {m.get("name", "").split(":")[0] for m in tags.get("models", [])}
            checks["model"] = "ok" if settings.ollama_chat_model.split(":")[0] in names else (
                f"model {settings.ollama_chat_model} not pulled in Ollama")
        else:
            embedded_llm_path()
            checks["model"] = "ok"
    except Exception as error:
        checks["model"] = f"unavailable: {error}"
    return checks


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

    _install_guards(app, settings)

    @app.get("/healthz", tags=["operations"])
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    @app.get("/readyz", tags=["operations"])
    async def readyz() -> JSONResponse:
        checks = await asyncio.to_thread(readiness, settings)
        ready = all(value == "ok" for value in checks.values())
        return JSONResponse(status_code=200 if ready else 503, content={"ready": ready, **checks})

    @app.get("/metrics", tags=["operations"])
    async def metrics() -> Response:
        OUTBOX_PENDING.set(Outbox(settings.outbox_path).depth())
        return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)

    @app.get("/", include_in_schema=False)
    async def root() -> RedirectResponse:
        return RedirectResponse("/rag/playground/")

    if rag_graph is None:
        from graphs.rag import build_graph

        rag_graph = build_graph(settings=settings)
    _serve(app, rag_graph, "/rag", RagInput, RagOutput, streaming=True)
    if assistant_graph is None:
        from graphs.assistant import build_graph as build_assistant
        from tools.checkpoints import ThreadedSqliteSaver

        assistant_graph = build_assistant(
            settings=settings, checkpointer=ThreadedSqliteSaver.at(settings.data_dir / "threads.sqlite")
        )
    _serve(app, assistant_graph, "/assistant", AssistantInput, AssistantOutput, streaming=True)
    if reviewer_graph is None:
        from graphs.reviewer import build_graph as build_reviewer

        reviewer_graph = build_reviewer(settings=settings)
    _serve(app, reviewer_graph, "/reviewer", ReviewInput, ReviewOutput, streaming=False)
    if finops_graph is None:
        from graphs.finops import build_graph as build_finops

        finops_graph = build_finops(settings=settings)
    _serve(app, finops_graph, "/finops", FinopsInput, FinopsOutput, streaming=False)
    app.include_router(openai_router({"rag": rag_graph, "assistant": assistant_graph}))
    _mount_widget(app)
    if sentinel_graph is None:
        from graphs.sentinel import build_graph as build_sentinel

        sentinel_graph = build_sentinel(settings=settings)
    _serve(app, sentinel_graph, "/sentinel", SentinelInput, SentinelOutput, streaming=False)
    return app


app = create_app()
