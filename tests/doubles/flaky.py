"""An HTTP double that plays a script of answers: 5xx then success, garbage JSON, 4xx."""

from __future__ import annotations

from typing import Any

from tests.doubles.http import JsonHandler


class ScriptedHandler(JsonHandler):
    """``server.state["script"]``: a list of (status, body) answered in order, the last one repeated.

    A body that is a ``str`` is sent as is (for malformed JSON)."""

    def route(self, method: str, path: str, body: Any) -> None:
        script = self.server.state["script"]
        status, payload = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(payload, str):
            raw = payload.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)
        else:
            self.send_json(status, payload)
