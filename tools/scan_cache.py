"""Contents already scanned and found free of secrets, by hash, so that a re-ingest skips them.

Only clean contents are remembered: nothing about a secret (not even where it was) is kept.
"""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path


class CleanScanCache:
    def __init__(self, path: Path, scanner_version: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.scanner_version = scanner_version
        with self._connect() as connection:
            connection.execute("CREATE TABLE IF NOT EXISTS clean_contents (digest TEXT PRIMARY KEY)")

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def digest(self, content: bytes) -> str:
        return hashlib.sha256(self.scanner_version.encode() + b"\0" + content).hexdigest()

    def is_clean(self, digest: str) -> bool:
        with self._connect() as connection:
            return connection.execute("SELECT 1 FROM clean_contents WHERE digest = ?", (digest,)).fetchone() is not None

    def mark_clean(self, digest: str) -> None:
        with self._connect() as connection:
            connection.execute("INSERT OR IGNORE INTO clean_contents (digest) VALUES (?)", (digest,))
