"""The Log Sentinel graph with a fake structured model and the uHub sandbox over HTTP."""

import json
from pathlib import Path

import pytest

from graphs.sentinel import build_graph
from tests.conftest import make_settings
from tests.doubles.sandbox import TOKEN
from tests.fakes import structured_model
from tools.outbox import Outbox
from tools.uhub_client import UhubClient

pytestmark = pytest.mark.unit
MIXED = Path(__file__).resolve().parents[1] / "data" / "nginx-mixed.log"
EXPECTED = {  # strongest signal -> verdict, for the test log written for the project
    "secret-file-probe": "attack", "admin-panel-probe": "attack", "path-traversal": "attack",
    "sql-injection": "attack", "upstream-timeout": "misconfiguration", "upstream-refused": "misconfiguration",
    "body-too-large": "misconfiguration", "missing-referenced-file": "misconfiguration",
    "ssl-error": "misconfiguration", "browser-noise": "benign", "successful-request": "benign",
}
# A model talked into "benign" by the log lines that say so.
FOOLED = json.dumps({"root_cause": "Nothing to worry about.", "verdict": "benign", "confidence": 0.99})


def mixed_lines():
    return MIXED.read_text(errors="replace").splitlines()


def graph(tmp_path, url, *answers, **overrides):
    model = structured_model(*answers)
    settings = make_settings(tmp_path / "data", **overrides)
    built = build_graph(model=model, settings=settings,
                        uhub=lambda: UhubClient(url, TOKEN, timeout=5, retries=1, backoff=0.01))
    return built, model, settings


def by_signal(result):
    return {c.signal: c for c in result["clusters"]}


async def test_verdicts_backed_by_signals_cannot_be_talked_out_of(tmp_path, sandbox):
    sentinel, model, _ = graph(tmp_path, sandbox.url, *[FOOLED] * 20)
    result = await sentinel.ainvoke({"log_lines": mixed_lines(), "dry_run": True})
    clusters = by_signal(result)
    for signal, verdict in EXPECTED.items():
        assert clusters[signal].verdict == verdict, signal
        assert clusters[signal].decided_by == "signals"
    assert clusters["secret-file-probe"].root_cause == "Nothing to worry about."
    unknown = clusters[""]
    assert (unknown.verdict, unknown.decided_by) == ("benign", "model")
    assert unknown.confidence <= 0.85
    assert (result["lines"], result["unparsed"]) == (47, 2)
    assert result["llm_calls"] == model.calls == 10  # every cluster but the two benign ones, once


async def test_an_answer_that_does_not_parse_falls_back_to_the_signals(tmp_path, sandbox):
    sentinel, _, _ = graph(tmp_path, sandbox.url, *["I think it is fine, really."] * 30)
    result = await sentinel.ainvoke({"log_lines": mixed_lines(), "dry_run": True})
    clusters = by_signal(result)
    assert clusters["upstream-timeout"].verdict == "misconfiguration"
    assert clusters["upstream-timeout"].root_cause.startswith("The backend did not answer in time")
    assert clusters[""].verdict == "unknown"


async def test_incidents_open_once_even_when_run_again_or_when_the_log_grows(tmp_path, sandbox):
    sentinel, _, _ = graph(tmp_path, sandbox.url, *[FOOLED] * 10)
    first = await sentinel.ainvoke({"log_lines": mixed_lines(), "source": "error.log"})
    opened = [i for i in first["incidents"] if i.status == "delivered"]
    assert len(opened) == 8
    assert {i.title.split(":")[1].split("(")[0].strip() for i in opened} >= {"secret-file-probe", "upstream-timeout"}

    again, _, _ = graph(tmp_path, sandbox.url)  # a model with no answers: it must not be called
    second = await again.ainvoke({"log_lines": mixed_lines()})
    assert second["llm_calls"] == 0
    assert {i.status for i in second["incidents"]} == {"already-open"}

    grown = [
        *mixed_lines(),
        '2024/11/20 23:59:00 [error] 1#1: *9 upstream timed out (110: Connection timed out) while reading response '
        'header from upstream, client: 10.20.0.99, server: erp.example.org, request: "GET / HTTP/1.1", '
        'host: "erp.example.org"']
    third = await graph(tmp_path, sandbox.url)[0].ainvoke({"log_lines": grown})
    assert {i.status for i in third["incidents"]} == {"already-open"}
    from_sentinel = [i for i in sandbox.records("incident") if i.get("source") == "aiops-sentinel"]
    assert len(from_sentinel) == 8
    timeout = next(i for i in from_sentinel if "upstream-timeout" in i["title"])
    assert timeout["severity"] == "SEV2"
    assert timeout["evidence"]["count"] == 5
    assert "10.20.0.50" in json.dumps(timeout["evidence"]["top_clients"])


async def test_dry_run_opens_nothing(tmp_path, sandbox):
    sentinel, _, settings = graph(tmp_path, sandbox.url, *[FOOLED] * 10)
    result = await sentinel.ainvoke({"log_lines": mixed_lines(), "dry_run": True})
    assert {i.status for i in result["incidents"]} == {"dry-run"}
    assert len(result["incidents"]) == 8
    assert Outbox(settings.outbox_path).items() == []
    assert not [i for i in sandbox.records("incident") if i.get("source") == "aiops-sentinel"]


async def test_uhub_down_keeps_the_incidents_in_the_outbox(tmp_path, sandbox):
    sandbox.stop()
    sentinel, _, settings = graph(tmp_path, sandbox.url, *[FOOLED] * 10)
    result = await sentinel.ainvoke({"log_lines": mixed_lines()})
    assert {i.status for i in result["incidents"]} == {"pending"}
    assert len(Outbox(settings.outbox_path).items("pending")) == 8


async def test_empty_input_is_an_empty_report(tmp_path, sandbox):
    sentinel, _, _ = graph(tmp_path, sandbox.url)
    result = await sentinel.ainvoke({"log_lines": []})
    assert (result["lines"], result["clusters"], result["incidents"], result["llm_calls"]) == (0, [], [], 0)
