"""The uHub sandbox served for real on loopback by uvicorn, stoppable and restartable on its port."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import uvicorn

from uhub_sandbox.app import create_sandbox_app

TOKEN = "test-token"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class RunningSandbox:
    def __init__(self, db_path: Path, token: str = TOKEN) -> None:
        self.db_path = db_path
        self.token = token
        self.port = free_port()
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> RunningSandbox:
        app = create_sandbox_app(self.db_path, self.token)
        self.app = app
        self._server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="error"))
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()
        deadline = time.monotonic() + 20
        while not self._server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("sandbox did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
            self._server = None

    def records(self, kind: str) -> list[dict]:
        return self.app.state.store.all(kind)
