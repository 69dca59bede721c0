"""`aiops sentinel analyze` on bad input: each ends cleanly with a count or a clear message."""

import json

import pytest
from typer.testing import CliRunner

from aiops.cli import app
from aiops.settings import get_settings

pytestmark = pytest.mark.unit


@pytest.fixture
def run(tmp_path, monkeypatch):
    monkeypatch.setenv("AIOPS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AIOPS_UHUB_URL", "http://127.0.0.1:9")
    get_settings.cache_clear()
    yield lambda *args, stdin=None: CliRunner().invoke(app, list(args), input=stdin)
    get_settings.cache_clear()


def test_missing_file(run, tmp_path):
    result = run("sentinel", "analyze", str(tmp_path / "nope.log"), "--json")
    assert result.exit_code == 2
    assert "no such log file" in result.output


def test_empty_file(run, tmp_path):
    empty = tmp_path / "empty.log"
    empty.write_text("")
    result = run("sentinel", "analyze", str(empty), "--json")
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"lines": 0, "unparsed": 0, "unparsed_samples": [], "clusters": [],
                                         "incidents": [], "llm_calls": 0}


def test_binary_garbage_and_a_one_megabyte_line_are_counted_as_unparsed(run, tmp_path):
    junk = tmp_path / "junk.log"
    binary = bytes(b for b in range(256) if b not in (10, 13))
    junk.write_bytes(b"\x00\xff\xfe\x01binary\n" + b"A" * 1_000_000 + b"\n" + binary + b"\n")
    result = run("sentinel", "analyze", str(junk), "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert (report["lines"], report["unparsed"], report["clusters"]) == (3, 3, [])
    assert all(len(sample) <= 2000 for sample in report["unparsed_samples"])


def test_stdin(run):
    line = '10.0.0.1 - - [20/Nov/2024:09:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0"\n'
    result = run("sentinel", "analyze", "-", "--dry-run", "--json", stdin=line * 3)
    report = json.loads(result.stdout)
    assert report["lines"] == 3
    assert [(c["verdict"], c["count"]) for c in report["clusters"]] == [("benign", 3)]


def test_follow_reads_what_is_there_then_only_new_lines(run, tmp_path):
    log = tmp_path / "access.log"
    log.write_text('10.0.0.1 - - [20/Nov/2024:09:00:00 +0000] "GET / HTTP/1.1" 200 5 "-" "Mozilla/5.0"\n' * 2)
    result = run("sentinel", "analyze", str(log), "--follow", "--rounds", "2", "--interval", "0.1", "--dry-run",
                 "--json")
    assert result.exit_code == 0, result.output
    reports = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["lines"] for r in reports] == [2]


def test_follow_takes_one_file(run, tmp_path):
    result = run("sentinel", "analyze", "-", "--follow")
    assert result.exit_code == 2
    assert "--follow takes exactly one existing log file" in result.output
