"""Finding and reading the files of a source tree that ops people read."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from aiops.errors import InvalidInput

FileKind = Literal["markdown", "text"]

_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdx"}
_TEXT_SUFFIXES = {
    ".rst", ".txt", ".adoc",
    ".yml", ".yaml", ".json", ".toml", ".ini", ".cfg", ".conf", ".cnf", ".properties",
    ".sh", ".bash", ".zsh", ".ps1", ".py", ".rb", ".pl", ".lua", ".sql",
    ".j2", ".jinja", ".jinja2", ".tpl", ".tf", ".tfvars", ".hcl",
    ".service", ".timer", ".socket", ".mount", ".rules", ".vhost", ".nginx", ".caddy",
    ".cron", ".crontab", ".env.example", ".env.sample", ".env.dist", ".env.template",
}
_TEXT_NAMES = {
    "dockerfile", "containerfile", "makefile", "vagrantfile", "jenkinsfile", "caddyfile",
    "procfile", "crontab", "hosts", "inventory", "readme", "license", "authorized_keys.example",
}
_SKIP_DIRS = {
    ".git", ".hg", ".svn", "node_modules", "vendor", "third_party", ".venv", "venv", "__pycache__",
    ".terraform", ".tox", ".mypy_cache", ".ruff_cache", ".pytest_cache", "dist", "build", ".aiops",
    ".idea", ".vscode",
}


class SourceFile(BaseModel):
    path: Path
    relative: str
    kind: FileKind


class SkippedFile(BaseModel):
    path: str
    reason: str


def file_kind(path: Path) -> FileKind | None:
    """What we index, by name; real ``.env`` files hold secrets and are never read."""
    name = path.name.lower()
    if name in {".env", ".envrc"} or name.endswith((".pem", ".key", ".p12", ".pfx", ".kdbx")):
        return None
    suffix = path.suffix.lower()
    if suffix in _MARKDOWN_SUFFIXES:
        return "markdown"
    if suffix in _TEXT_SUFFIXES or any(name.endswith(s) for s in _TEXT_SUFFIXES if s.startswith(".env")):
        return "text"
    stem = name.split(".")[0]
    if name in _TEXT_NAMES or stem in _TEXT_NAMES or name.startswith(("dockerfile", "docker-compose")):
        return "text"
    if name in {".gitlab-ci.yml", ".gitignore", ".dockerignore", ".editorconfig"}:
        return "text"
    return None


def git_toplevel(path: Path) -> Path | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "--show-toplevel"],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def git_head(path: Path) -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(path), "rev-parse", "HEAD"], capture_output=True, text=True, timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def _git_files(root: Path) -> list[Path] | None:
    """Tracked and untracked-but-not-ignored files under root, as git sees them."""
    try:
        result = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            capture_output=True, timeout=120, check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    names = [name for name in result.stdout.decode("utf-8", "surrogateescape").split("\0") if name]
    return [root / name for name in names]


def _walk(root: Path) -> Iterator[Path]:
    for directory, subdirs, files in os.walk(root):
        subdirs[:] = sorted(d for d in subdirs if d not in _SKIP_DIRS)
        for name in sorted(files):
            yield Path(directory) / name


def discover(root: Path) -> tuple[list[SourceFile], list[SkippedFile]]:
    """Files worth indexing under ``root`` (a directory or one file); the rest with a reason."""
    if not root.exists():
        raise InvalidInput(f"path does not exist: {root}")
    root = root.resolve()
    if root.is_file():
        kind = file_kind(root)
        if kind is None:
            raise InvalidInput(f"not a file type we index: {root}")
        return [SourceFile(path=root, relative=root.name, kind=kind)], []

    candidates = _git_files(root) if git_toplevel(root) else None
    if candidates is None:
        candidates = list(_walk(root))
    files: list[SourceFile] = []
    skipped: list[SkippedFile] = []
    for path in sorted(candidates):
        relative = path.relative_to(root).as_posix()
        if any(part in _SKIP_DIRS for part in Path(relative).parts[:-1]):
            continue
        if path.is_symlink() or not path.is_file():
            continue
        kind = file_kind(path)
        if kind is None:
            continue
        files.append(SourceFile(path=path, relative=relative, kind=kind))
    return files, skipped


def read_text(path: Path, max_bytes: int) -> str:
    """The file as UTF-8 text, or InvalidInput saying why it cannot be indexed."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InvalidInput(f"{path}: {size} bytes, over the {max_bytes}-byte limit")
        data = path.read_bytes()
    except PermissionError as error:
        raise InvalidInput(f"{path}: not readable ({error.strerror})") from error
    except OSError as error:
        raise InvalidInput(f"{path}: cannot be read ({error.strerror})") from error
    if b"\0" in data[:8192]:
        raise InvalidInput(f"{path}: binary file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InvalidInput(f"{path}: not UTF-8 (byte {error.start})") from error
