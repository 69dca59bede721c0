"""Following a growing log file like ``tail -F``: new complete lines only, across rotation."""

from __future__ import annotations

import os
from pathlib import Path


class LogFollower:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._inode: int | None = None
        self._offset = 0
        self._partial = b""

    def read_new(self) -> list[str]:
        """Complete lines written since the last call; a rotated or truncated file is read from its start."""
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return []  # between a rotation's rename and the new file
        if status.st_ino != self._inode or status.st_size < self._offset:
            self._inode, self._offset, self._partial = status.st_ino, 0, b""
        if status.st_size == self._offset:
            return []
        with self.path.open("rb") as handle:
            handle.seek(self._offset)
            data = handle.read()
        self._offset += len(data)
        head, newline, tail = (self._partial + data).rpartition(b"\n")
        if not newline:
            self._partial = tail  # no complete line yet
            return []
        self._partial = tail
        return head.decode("utf-8", errors="replace").split("\n")
