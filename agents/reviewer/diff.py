"""Unified diffs to the added lines of each changed file, with their new-file line numbers (unidiff)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel
from unidiff.errors import UnidiffParseError
from unidiff.patch import PatchSet

from aiops.errors import InvalidInput

FileStatus = Literal["added", "modified", "deleted", "renamed", "binary"]
MAX_DIFF_BYTES = 20_000_000


class AddedLine(BaseModel):
    number: int
    text: str


class ChangedFile(BaseModel):
    path: str
    old_path: str
    status: FileStatus
    added: list[AddedLine]

    def added_numbers(self) -> set[int]:
        return {line.number for line in self.added}


def parse_diff(text: str) -> list[ChangedFile]:
    """Every file of a unified diff; deletions and binary patches carry no added lines."""
    if len(text.encode("utf-8", errors="replace")) > MAX_DIFF_BYTES:
        raise InvalidInput(f"diff larger than {MAX_DIFF_BYTES} bytes")
    if not text.strip():
        return []
    try:
        patch = PatchSet(text)
    except (UnidiffParseError, ValueError, IndexError) as error:
        raise InvalidInput(f"malformed diff: {error}") from error
    if len(patch) == 0:
        raise InvalidInput("not a unified diff: no file header (---/+++ or diff --git) found")
    files: list[ChangedFile] = []
    for patched in patch:
        path = _clean(patched.target_file if not patched.is_removed_file else patched.source_file)
        old_path = _clean(patched.source_file)
        status: FileStatus
        if patched.is_binary_file:
            status = "binary"
        elif patched.is_removed_file:
            status = "deleted"
        elif patched.is_added_file:
            status = "added"
        elif patched.is_rename:
            status = "renamed"
        else:
            status = "modified"
        added = [] if status in {"binary", "deleted"} else [
            AddedLine(number=line.target_line_no, text=line.value.rstrip("\n"))
            for hunk in patched for line in hunk if line.is_added and line.target_line_no is not None
        ]
        files.append(ChangedFile(path=path, old_path=old_path, status=status, added=added))
    return files


def _clean(name: str) -> str:
    for prefix in ("a/", "b/"):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name
