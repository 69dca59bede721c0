"""An OpenAI-compatible face (``/v1/models``, ``/v1/chat/completions``) for Open WebUI, Continue and the widget.

The assistant and RAG graphs are the models. An answer is computed whole (its facts and
citations are checked by the graph), then streamed in pieces when the client asks for a stream.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse
from langchain_core.runnables import Runnable, RunnableConfig
from pydantic import BaseModel, Field

from aiops.metrics import LlmMetrics
from aiops.roles import DEFAULT_ROLES, CallerContext

MODELS = {"aiops-assistant": "assistant", "aiops-rag": "rag"}
PIECE_CHARS = 24


class ChatMessage(BaseModel):
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = ""

    def text(self) -> str:
        if isinstance(self.content, list):
            return " ".join(str(part.get("text", "")) for part in self.content if part.get("type") == "text")
        return self.content or ""


class ChatRequest(BaseModel):
    model: str
    messages: list[ChatMessage] = Field(min_length=1)
    stream: bool = False
    user: str | None = Field(None, description="Used as the conversation thread of the assistant.")


def _error(status: int, message: str, kind: str = "invalid_request_error") -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": {"message": message, "type": kind}})


def sources_text(sources: list[dict[str, Any]]) -> str:
    lines = []
    for source in sources:
        where = f":{source['lines'][0]}-{source['lines'][1]}" if source.get("lines") else ""
        lines.append(f"[{source['n']}] {source['source']}{where}")
    return "\n\nSources:\n" + "\n".join(lines) if lines else ""


def openai_router(graphs: dict[str, Runnable[Any, Any]]) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["openai-compatible"])

    @router.get("/models")
    async def models() -> dict[str, Any]:
        return {"object": "list", "data": [{"id": name, "object": "model", "created": 0, "owned_by": "aiops"}
                                           for name in MODELS]}

    @router.post("/chat/completions", response_model=None)
    async def chat_completions(body: ChatRequest, request: Request) -> JSONResponse | StreamingResponse:
        graph = graphs.get(MODELS.get(body.model, ""))
        if graph is None:
            return _error(404, f"unknown model {body.model!r}; models: {', '.join(MODELS)}", "not_found_error")
        question = next((m.text() for m in reversed(body.messages) if m.role == "user"), "").strip()
        if not question:
            return _error(400, "no user message to answer")
        roles = tuple(getattr(request.state, "roles", DEFAULT_ROLES))
        config: RunnableConfig = {"configurable": {"thread_id": body.user or uuid.uuid4().hex, "roles": list(roles)},
                                  "callbacks": [LlmMetrics()]}
        result = await graph.ainvoke({"question": question}, config, context=CallerContext(roles=roles))
        sources = [dict(s) for s in result.get("sources", [])]
        widget = request.headers.get("x-aiops-client") == "widget"
        content = result["answer"] + ("" if widget else sources_text(sources))
        completion_id = f"chatcmpl-{uuid.uuid4().hex[:24]}"
        created = int(time.time())
        if not body.stream:
            return JSONResponse({
                "id": completion_id, "object": "chat.completion", "created": created, "model": body.model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": content},
                             "finish_reason": "stop"}],
                "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
                "aiops_sources": sources,
            })
        return StreamingResponse(_stream(completion_id, created, body.model, content, sources),
                                 media_type="text/event-stream", headers={"Cache-Control": "no-cache"})

    return router


async def _stream(completion_id: str, created: int, model: str, content: str,
                  sources: list[dict[str, Any]]) -> AsyncIterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        payload = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": model,
                   "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for start in range(0, len(content), PIECE_CHARS):
        yield chunk({"content": content[start : start + PIECE_CHARS]})
    yield chunk({}, "stop", aiops_sources=sources)
    yield "data: [DONE]\n\n"
