"""A durable outbox for every write to uHub: recorded locally first, then delivered, once per key.

If uHub is down nothing is lost: items stay pending and go out on the next flush. A key is
delivered at most once from here, and it travels as ``Idempotency-Key`` so that uHub can drop a
duplicate if we crash between its answer and our bookkeeping.
"""

from __future__ import annotations

import fcntl
import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from aiops.errors import AiopsError, ServiceUnavailable
from tools.uhub_client import UhubClient

Kind = Literal["incident", "job", "notification"]
Status = Literal["pending", "delivered", "failed"]

PATHS: dict[str, str] = {"incident": "/api/incidents", "job": "/api/jobs", "notification": "/api/notifications"}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    path TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending',
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    response TEXT,
    created_at REAL NOT NULL,
    delivered_at REAL
);
"""


class OutboxItem(BaseModel):
    key: str
    kind: str
    path: str
    payload: dict[str, Any]
    status: Status
    attempts: int
    last_error: str
    response: dict[str, Any] | None
    created_at: float
    delivered_at: float | None


class FlushReport(BaseModel):
    delivered: int = 0
    failed: int = 0
    pending: int = 0
    errors: list[str] = []


class Outbox:
    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as connection:
            connection.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, timeout=30)
        connection.row_factory = sqlite3.Row
        return connection

    def enqueue(self, kind: Kind, payload: BaseModel, key: str) -> tuple[OutboxItem, bool]:
        """Record a write; returns the item and whether it is new (an existing key is left as it is)."""
        with self._connect() as connection:
            cursor = connection.execute(
                "INSERT OR IGNORE INTO outbox (key, kind, path, payload, created_at) VALUES (?, ?, ?, ?, ?)",
                (key, kind, PATHS[kind], payload.model_dump_json(), time.time()),
            )
            created = cursor.rowcount == 1
        item = self.get(key)
        assert item is not None
        return item, created

    def get(self, key: str) -> OutboxItem | None:
        with self._connect() as connection:
            row = connection.execute("SELECT * FROM outbox WHERE key = ?", (key,)).fetchone()
        return _item(row) if row else None

    def items(self, status: Status | None = None) -> list[OutboxItem]:
        query = "SELECT * FROM outbox"
        params: tuple[Any, ...] = ()
        if status:
            query += " WHERE status = ?"
            params = (status,)
        with self._connect() as connection:
            return [_item(row) for row in connection.execute(query + " ORDER BY created_at, key", params)]

    def depth(self) -> int:
        with self._connect() as connection:
            return int(connection.execute("SELECT COUNT(*) FROM outbox WHERE status = 'pending'").fetchone()[0])

    @contextmanager
    def _exclusive(self) -> Iterator[None]:
        """One flush at a time per data directory, across processes."""
        with open(self.path.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    async def flush(self, client: UhubClient, retry_failed: bool = False) -> FlushReport:
        """Deliver pending items in order. Unreachable uHub: items stay pending. A 4xx: failed, kept."""
        report = FlushReport()
        with self._exclusive():
            statuses = ("pending", "failed") if retry_failed else ("pending",)
            for item in [i for i in self.items() if i.status in statuses]:
                try:
                    response = await client.post(item.path, item.payload, idempotency_key=item.key)
                except ServiceUnavailable as error:
                    self._mark(item.key, "pending", error.message)
                    report.errors.append(f"{item.key}: {error.message}")
                    break  # uHub is down: the rest would fail the same way
                except AiopsError as error:
                    self._mark(item.key, "failed", error.message)
                    report.failed += 1
                    report.errors.append(f"{item.key}: {error.message}")
                    continue
                self._mark(item.key, "delivered", "", response if isinstance(response, dict) else {})
                report.delivered += 1
        report.pending = self.depth()
        return report

    def _mark(self, key: str, status: Status, error: str, response: dict[str, Any] | None = None) -> None:
        with self._connect() as connection:
            connection.execute(
                "UPDATE outbox SET status = ?, attempts = attempts + 1, last_error = ?, "
                "response = COALESCE(?, response), delivered_at = CASE WHEN ? = 'delivered' THEN ? END "
                "WHERE key = ?",
                (status, error, json.dumps(response) if response is not None else None, status, time.time(), key),
            )


def _item(row: sqlite3.Row) -> OutboxItem:
    return OutboxItem(
        key=row["key"], kind=row["kind"], path=row["path"], payload=json.loads(row["payload"]),
        status=row["status"], attempts=row["attempts"], last_error=row["last_error"],
        response=json.loads(row["response"]) if row["response"] else None, created_at=row["created_at"],
        delivered_at=row["delivered_at"],
    )
