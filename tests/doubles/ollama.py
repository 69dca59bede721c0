"""A local double of the Ollama HTTP API endpoints we use: /api/tags, /api/chat, /api/embed."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from tests.doubles.http import JsonHandler

MODELS = ["mistral:latest", "nomic-embed-text:latest"]


def fake_vector(text: str, size: int = 16) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    return [byte / 255.0 for byte in digest[:size]]


class OllamaHandler(JsonHandler):
    """Answers every chat with ``server.state["reply"]``, streamed word by word as NDJSON."""

    def route(self, method: str, path: str, body: Any) -> None:
        if method == "GET" and path == "/api/tags":
            self.send_json(200, {"models": [{"name": m, "model": m, "size": 1} for m in MODELS]})
        elif method == "POST" and path == "/api/embed":
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            self.send_json(200, {"model": body["model"], "embeddings": [fake_vector(t) for t in inputs]})
        elif method == "POST" and path == "/api/chat":
            self.chat(body)
        else:
            self.send_json(404, {"error": f"no route {method} {path}"})

    def chat(self, body: dict[str, Any]) -> None:
        if body["model"].split(":")[0] not in {m.split(":")[0] for m in MODELS}:
            self.send_json(404, {"error": f"model '{body['model']}' not found"})
            return
        reply: str = self.server.state.get("reply", "ok")
        if body.get("stream", True) is False:
            self.send_json(200, self._message(body, reply, done=True))
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/x-ndjson")
        self.end_headers()
        words = reply.split(" ")
        for index, word in enumerate(words):
            piece = word if index == 0 else " " + word
            self.wfile.write((json.dumps(self._message(body, piece, done=False)) + "\n").encode())
            self.wfile.flush()
        self.wfile.write((json.dumps(self._message(body, "", done=True)) + "\n").encode())

    @staticmethod
    def _message(body: dict[str, Any], content: str, done: bool) -> dict[str, Any]:
        message: dict[str, Any] = {
            "model": body["model"], "created_at": "2026-11-25T00:00:00Z",
            "message": {"role": "assistant", "content": content}, "done": done,
        }
        if done:
            message.update(done_reason="stop", total_duration=1000, prompt_eval_count=12, eval_count=5)
        return message
