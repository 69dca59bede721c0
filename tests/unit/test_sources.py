import subprocess

import pytest

from aiops.errors import InvalidInput
from tools.sources import discover, file_kind, read_text

pytestmark = pytest.mark.unit


def test_indexes_what_ops_people_read_and_never_real_env_files(tmp_path):
    names = {
        "docs/runbook.md": "markdown", "compose/docker-compose.yml": "text", "nginx/site.conf": "text",
        "scripts/backup.sh": "text", "Dockerfile": "text", ".env.example": "text", ".gitlab-ci.yml": "text",
        ".env": None, "logo.png": None, "certs/server.key": None,
    }
    for name, kind in names.items():
        assert file_kind(tmp_path / name) == kind, name


def test_discovery_skips_vendored_and_tool_directories(tmp_path):
    for name in ["docs/a.md", "node_modules/x/readme.md", ".venv/lib/notes.md", "vendor/lib/doc.md"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("# t\n")
    files, _ = discover(tmp_path)
    assert [f.relative for f in files] == ["docs/a.md"]


def test_discovery_respects_gitignore_in_a_git_tree(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / ".gitignore").write_text("secret-notes.md\n")
    (tmp_path / "secret-notes.md").write_text("# private\n")
    (tmp_path / "runbook.md").write_text("# public\n")
    relatives = {f.relative for f in discover(tmp_path)[0]}
    assert "runbook.md" in relatives
    assert "secret-notes.md" not in relatives


def test_missing_path_is_a_clear_error(tmp_path):
    with pytest.raises(InvalidInput, match="does not exist"):
        discover(tmp_path / "nope")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"\x89PNG\r\n\x1a\n\x00\x00binary", "binary"), ("café".encode("latin-1"), "not UTF-8"),
     (b"x" * 2000, "limit")],
)
def test_unreadable_content_is_a_clear_error(tmp_path, content, message):
    path = tmp_path / "f.md"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message):
        read_text(path, max_bytes=1000)
