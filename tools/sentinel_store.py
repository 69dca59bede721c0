"""What the Log Sentinel has already analysed: one row per cluster key, so a template costs one LLM call."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from pydantic import BaseModel


class StoredAnalysis(BaseModel):
    key: str
    template: str
    signal: str
    verdict: str
    confidence: float
    root_cause: str
    by_model: bool


class SentinelStore:
    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with self._connect() as connection:
            connection.execute(
                "CREATE TABLE IF NOT EXISTS analyses (key TEXT PRIMARY KEY, template TEXT, signal TEXT, "
                "verdict TEXT, confidence REAL, root_cause TEXT, by_model INTEGER, analysed_at REAL)"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get(self, keys: list[str]) -> dict[str, StoredAnalysis]:
        found: dict[str, StoredAnalysis] = {}
        with self._connect() as connection:
            for start in range(0, len(keys), 500):
                batch = keys[start : start + 500]
                rows = connection.execute(
                    f"SELECT key, template, signal, verdict, confidence, root_cause, by_model FROM analyses "
                    f"WHERE key IN ({','.join('?' * len(batch))})", batch)
                for row in rows:
                    found[row[0]] = StoredAnalysis(key=row[0], template=row[1], signal=row[2], verdict=row[3],
                                                   confidence=row[4], root_cause=row[5], by_model=bool(row[6]))
        return found

    def put(self, analysis: StoredAnalysis) -> None:
        with self._connect() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO analyses VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (analysis.key, analysis.template, analysis.signal, analysis.verdict, analysis.confidence,
                 analysis.root_cause, int(analysis.by_model), time.time()),
            )
