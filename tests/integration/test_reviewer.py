"""The Code Reviewer with the embedded model, and in --server mode through LangServe's RemoteRunnable."""

import json
import threading
import time

import pytest
import uvicorn
from typer.testing import CliRunner

from aiops.cli import app
from aiops.settings import get_settings
from graphs.reviewer import build_graph
from server import create_app
from tests.doubles.sandbox import free_port
from tests.fakes import fake_model
from tests.unit.test_reviewer import LINE_42, PASSWORD

pytestmark = pytest.mark.integration


async def test_embedded_model_keeps_line_42(settings):
    result = await build_graph(settings=settings).ainvoke({"diff": LINE_42})
    secret = [f for f in result["findings"] if f.rule == "hardcoded-secret"]
    assert [(f.file, f.line) for f in secret] == [("app/settings.py", 42)]
    assert all(f.line in range(1, 51) for f in result["findings"])
    assert all(PASSWORD not in f.message for f in result["findings"])
    assert result["llm_calls"] >= 1
    assert result["blocking"] is True


def test_ci_command_can_use_a_running_server_instead_of_a_model(settings, tmp_path, monkeypatch):
    graph = build_graph(settings=settings)
    unused = fake_model()
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(
        create_app(settings, rag_graph=unused, assistant_graph=unused, sentinel_graph=unused, reviewer_graph=graph),
        host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    try:
        diff = tmp_path / "change.diff"
        diff.write_text(LINE_42)
        monkeypatch.setenv("AIOPS_DATA_DIR", str(tmp_path / "client"))
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["review", "--diff", str(diff), "--no-llm", "--json",
                                          "--server", f"http://127.0.0.1:{port}"])
    finally:
        get_settings.cache_clear()
        server.should_exit = True
        thread.join(timeout=10)
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert [(f["line"], f["rule"]) for f in report["findings"]] == [(42, "hardcoded-secret")]
