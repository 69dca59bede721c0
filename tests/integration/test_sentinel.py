"""The Log Sentinel with the embedded model, against the uHub sandbox over HTTP."""

from pathlib import Path

import pytest

from graphs.sentinel import build_graph
from tests.doubles.sandbox import TOKEN
from tests.unit.test_sentinel_graph import EXPECTED
from tools.uhub_client import UhubClient

pytestmark = pytest.mark.integration
MIXED = Path(__file__).resolve().parents[1] / "data" / "nginx-mixed.log"


async def test_embedded_model_run_keeps_signal_verdicts_and_never_repeats_itself(settings, sandbox):
    def build():
        return build_graph(settings=settings, uhub=lambda: UhubClient(sandbox.url, TOKEN, timeout=5, retries=1))

    lines = MIXED.read_text(errors="replace").splitlines()
    first = await build().ainvoke({"log_lines": lines, "source": "nginx-mixed.log"})
    clusters = {c.signal: c for c in first["clusters"]}
    for signal, verdict in EXPECTED.items():
        assert clusters[signal].verdict == verdict, signal
    assert all(c.root_cause for c in first["clusters"] if c.verdict != "benign")
    assert clusters[""].verdict in {"attack", "misconfiguration", "benign", "unknown"}
    assert 0 < first["llm_calls"] <= len(first["clusters"])
    opened = len([i for i in sandbox.records("incident") if i.get("source") == "aiops-sentinel"])
    assert opened >= 8

    second = await build().ainvoke({"log_lines": lines})
    assert second["llm_calls"] == 0
    assert len([i for i in sandbox.records("incident") if i.get("source") == "aiops-sentinel"]) == opened
