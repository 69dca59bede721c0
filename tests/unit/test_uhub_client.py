"""The uHub client over real HTTP: the sandbox, and a scripted double for failures."""

import pytest

from aiops.errors import NotFound, ServiceUnavailable, UpstreamError
from tests.doubles.flaky import ScriptedHandler
from tests.doubles.http import serve
from tests.doubles.sandbox import TOKEN
from tools.uhub_client import UhubClient

pytestmark = pytest.mark.unit


def client(url, token=TOKEN, retries=3):
    return UhubClient(url, token, timeout=5, retries=retries, backoff=0.01)


async def test_reads_jobs_runs_and_logs_from_the_sandbox(sandbox):
    async with client(sandbox.url) as uhub:
        job = await uhub.job(42)
        runs = await uhub.job_runs(42)
        logs = await uhub.run_logs(runs[0].id, tail=3)
    assert (job.name, job.status) == ("dolibarr-redeploy", "failed")
    assert [r.id for r in runs] == [318, 311]
    assert len(logs.lines) == 3
    assert logs.truncated


async def test_unknown_job_is_not_found(sandbox):
    async with client(sandbox.url) as uhub:
        with pytest.raises(NotFound, match="/api/jobs/999"):
            await uhub.job(999)


async def test_wrong_token_is_a_clear_upstream_error(sandbox):
    async with client(sandbox.url, token="wrong") as uhub:
        with pytest.raises(UpstreamError, match=r"refused the token \(401\).*AIOPS_UHUB_TOKEN"):
            await uhub.job(42)


async def test_unreachable_uhub_is_service_unavailable():
    async with client("http://127.0.0.1:9", retries=2) as uhub:
        with pytest.raises(ServiceUnavailable, match="uHub unreachable"):
            await uhub.job(42)


async def test_5xx_is_retried_with_backoff_then_succeeds():
    job = {"id": 42, "name": "x", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}
    with serve(ScriptedHandler) as double:
        double.state["script"] = [(503, {"error": "busy"}), (502, {"error": "bad gateway"}), (200, job)]
        async with client(double.url) as uhub:
            assert (await uhub.job(42)).id == 42
        assert len(double.requests) == 3


async def test_4xx_is_not_retried():
    with serve(ScriptedHandler) as double:
        double.state["script"] = [(400, {"error": "bad request"})]
        async with client(double.url) as uhub:
            with pytest.raises(UpstreamError, match="400"):
                await uhub.job(42)
        assert len(double.requests) == 1


async def test_persistent_5xx_ends_as_service_unavailable_after_the_retries():
    with serve(ScriptedHandler) as double:
        double.state["script"] = [(500, {"error": "boom"})]
        async with client(double.url, retries=3) as uhub:
            with pytest.raises(ServiceUnavailable, match="500"):
                await uhub.job(42)
        assert len(double.requests) == 3


@pytest.mark.parametrize(("payload", "message"), [("{not json", "malformed JSON"),
                                                   ({"id": "forty-two"}, "does not match the contract")])
async def test_malformed_answers_are_clear_errors(payload, message):
    with serve(ScriptedHandler) as double:
        double.state["script"] = [(200, payload)]
        async with client(double.url) as uhub:
            with pytest.raises(UpstreamError, match=message):
                await uhub.export_rag()


async def test_extra_fields_from_a_newer_uhub_are_tolerated():
    job = {"id": 42, "name": "x", "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z",
           "owner": {"team": "ops"}, "labels": ["a"]}
    with serve(ScriptedHandler) as double:
        double.state["script"] = [(200, job)]
        async with client(double.url) as uhub:
            assert (await uhub.job(42)).name == "x"
