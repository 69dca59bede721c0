"""The durable outbox against the sandbox over real HTTP: nothing lost, nothing delivered twice."""

import pytest

from tests.doubles.flaky import ScriptedHandler
from tests.doubles.http import serve
from tests.doubles.sandbox import TOKEN
from tools.outbox import Outbox
from tools.uhub_client import UhubClient
from tools.uhub_contract import IncidentCreate, JobCreate, Notification
from tools.uhub_tools import incident_key, open_incident

pytestmark = pytest.mark.unit

INCIDENT = IncidentCreate(title="nginx: upstream timed out on erp.example.org", severity="SEV2",
                          service="dolibarr", fingerprint="sentinel:upstream-timeout:2026-11-25T08")


def client(url):
    return UhubClient(url, TOKEN, timeout=5, retries=2, backoff=0.01)


async def test_same_key_is_recorded_once(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite")
    first, created = outbox.enqueue("incident", INCIDENT, incident_key(INCIDENT))
    again, created_again = outbox.enqueue("incident", INCIDENT, incident_key(INCIDENT))
    assert (created, created_again) == (True, False)
    assert first.key == again.key
    assert len(outbox.items()) == 1


async def test_uhub_down_then_back_delivers_exactly_once(tmp_path, sandbox):
    outbox = Outbox(tmp_path / "outbox.sqlite")
    sandbox.stop()
    async with client(sandbox.url) as uhub:
        result = await open_incident(INCIDENT, outbox, uhub)
    assert result["status"] == "pending"
    assert "unreachable" in result["error"]
    assert [item.status for item in Outbox(tmp_path / "outbox.sqlite").items()] == ["pending"]

    sandbox.start()
    async with client(sandbox.url) as uhub:
        report = await outbox.flush(uhub)
        again = await outbox.flush(uhub)
        reopened = await open_incident(INCIDENT, outbox, uhub)
    assert (report.delivered, report.pending) == (1, 0)
    assert (again.delivered, again.pending) == (0, 0)
    assert reopened["new"] is False
    created = [i for i in sandbox.records("incident") if i.get("fingerprint") == INCIDENT.fingerprint]
    assert len(created) == 1
    assert outbox.get(incident_key(INCIDENT)).response == {"id": created[0]["id"]}


async def test_the_key_travels_as_idempotency_key_so_uhub_drops_a_replay(tmp_path, sandbox):
    async with client(sandbox.url) as uhub:
        first = await uhub.post("/api/incidents", INCIDENT, idempotency_key="k-1")
        replay = await uhub.post("/api/incidents", INCIDENT, idempotency_key="k-1")
    assert first == replay
    assert len([i for i in sandbox.records("incident") if i.get("fingerprint") == INCIDENT.fingerprint]) == 1


async def test_jobs_and_notifications_go_through_the_same_outbox(tmp_path, sandbox):
    outbox = Outbox(tmp_path / "outbox.sqlite")
    outbox.enqueue("job", JobCreate(name="Review MR !12: hardcoded password", reference="mr-12@abc"), "job-mr-12")
    outbox.enqueue("notification", Notification(title="dolibarr at 90 % of budget", level="warning"), "n-1")
    async with client(sandbox.url) as uhub:
        assert (await outbox.flush(uhub)).delivered == 2
    assert [j["name"] for j in sandbox.records("job") if j.get("kind") == "review"] == [
        "Review MR !12: hardcoded password"]
    assert [n["title"] for n in sandbox.records("notification")] == ["dolibarr at 90 % of budget"]


async def test_a_refused_write_is_kept_as_failed_and_listed(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite")
    outbox.enqueue("incident", INCIDENT, "k-refused")
    with serve(ScriptedHandler) as double:
        double.state["script"] = [(422, {"detail": "severity unknown"})]
        async with client(double.url) as uhub:
            report = await outbox.flush(uhub)
            again = await outbox.flush(uhub)
        assert len(double.requests) == 1
    assert (report.failed, report.pending, again.failed) == (1, 0, 0)
    (item,) = outbox.items("failed")
    assert "422" in item.last_error
    assert item.payload["title"] == INCIDENT.title


async def test_items_keep_their_order_and_a_down_uhub_stops_the_flush_early(tmp_path):
    outbox = Outbox(tmp_path / "outbox.sqlite")
    for n in range(3):
        outbox.enqueue("notification", Notification(title=f"n{n}"), f"k{n}")
    async with client("http://127.0.0.1:9") as uhub:
        report = await outbox.flush(uhub)
    assert report.pending == 3
    assert [i.attempts for i in outbox.items()] == [1, 0, 0]
