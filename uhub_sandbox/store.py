"""SQLite storage of the sandbox: JSON records with a change sequence for the export cursor."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS records (
    kind TEXT NOT NULL, id INTEGER NOT NULL, seq INTEGER NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (kind, id)
);
CREATE TABLE IF NOT EXISTS tombstones (kind TEXT NOT NULL, id INTEGER NOT NULL, seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS logs (run_id INTEGER PRIMARY KEY, lines TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS idempotency (key TEXT PRIMARY KEY, status INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS counters (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class SandboxStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._db:
            self._db.executescript(_SCHEMA)

    def is_empty(self) -> bool:
        with self._lock:
            return bool(self._db.execute("SELECT COUNT(*) FROM records").fetchone()[0] == 0)

    def _next(self, name: str) -> int:
        self._db.execute("INSERT OR IGNORE INTO counters (name, value) VALUES (?, 0)", (name,))
        self._db.execute("UPDATE counters SET value = value + 1 WHERE name = ?", (name,))
        return int(self._db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()[0])

    def next_id(self, kind: str, floor: int = 1000) -> int:
        with self._lock, self._db:
            top = self._db.execute("SELECT MAX(id) FROM records WHERE kind = ?", (kind,)).fetchone()[0] or 0
            return max(int(top) + 1, floor)

    def put(self, kind: str, record: dict[str, Any]) -> dict[str, Any]:
        with self._lock, self._db:
            seq = self._next("seq")
            self._db.execute(
                "INSERT INTO records (kind, id, seq, data) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (kind, id) DO UPDATE SET seq = excluded.seq, data = excluded.data",
                (kind, record["id"], seq, json.dumps(record, default=str)),
            )
        return record

    def delete(self, kind: str, record_id: int) -> None:
        with self._lock, self._db:
            seq = self._next("seq")
            self._db.execute("DELETE FROM records WHERE kind = ? AND id = ?", (kind, record_id))
            self._db.execute("INSERT INTO tombstones (kind, id, seq) VALUES (?, ?, ?)", (kind, record_id, seq))

    def get(self, kind: str, record_id: int) -> dict[str, Any] | None:
        with self._lock:
            row = self._db.execute("SELECT data FROM records WHERE kind = ? AND id = ?", (kind, record_id)).fetchone()
        return json.loads(row[0]) if row else None

    def all(self, kind: str, after_seq: int = 0) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute(
                "SELECT data FROM records WHERE kind = ? AND seq > ? ORDER BY id", (kind, after_seq)
            ).fetchall()
        return [json.loads(row[0]) for row in rows]

    def tombstones(self, after_seq: int) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._db.execute("SELECT kind, id FROM tombstones WHERE seq > ? ORDER BY seq", (after_seq,))
            return [{"kind": kind, "id": record_id} for kind, record_id in rows.fetchall()]

    def sequence(self) -> int:
        with self._lock:
            row = self._db.execute("SELECT value FROM counters WHERE name = 'seq'").fetchone()
        return int(row[0]) if row else 0

    def set_logs(self, run_id: int, lines: list[str]) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR REPLACE INTO logs (run_id, lines) VALUES (?, ?)", (run_id, json.dumps(lines)))

    def logs(self, run_id: int) -> list[str] | None:
        with self._lock:
            row = self._db.execute("SELECT lines FROM logs WHERE run_id = ?", (run_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def remembered(self, key: str) -> tuple[int, dict[str, Any]] | None:
        with self._lock:
            row = self._db.execute("SELECT status, body FROM idempotency WHERE key = ?", (key,)).fetchone()
        return (int(row[0]), json.loads(row[1])) if row else None

    def remember(self, key: str, status: int, body: dict[str, Any]) -> None:
        with self._lock, self._db:
            self._db.execute("INSERT OR IGNORE INTO idempotency (key, status, body) VALUES (?, ?, ?)",
                             (key, status, json.dumps(body)))
