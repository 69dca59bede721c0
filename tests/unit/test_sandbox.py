"""The sandbox honours the contract: bearer token, export cursor, tombstones, idempotency."""

import httpx
import pytest

from tests.doubles.sandbox import TOKEN

pytestmark = pytest.mark.unit


def get(sandbox, path, token=TOKEN, **params):
    return httpx.get(sandbox.url + path, params=params, headers={"Authorization": f"Bearer {token}"})


def test_token_is_required(sandbox):
    assert get(sandbox, "/api/jobs/42", token="nope").status_code == 401
    assert httpx.get(sandbox.url + "/api/jobs/42").status_code == 401


def test_demo_data_has_the_seed_examples(sandbox):
    job = get(sandbox, "/api/jobs/42").json()
    assert (job["name"], job["status"]) == ("dolibarr-redeploy", "failed")
    logs = get(sandbox, "/api/runs/409/logs").json()["lines"]
    assert any("no space left on device" in line for line in logs)
    audit = get(sandbox, "/api/export/rag").json()["audit_logs"]
    assert any(a["action"] == "secret.update" and a["target"] == "DOLIBARR_DB_PASSWORD" for a in audit)


def test_export_is_incremental_by_cursor_with_tombstones(sandbox):
    full = get(sandbox, "/api/export/rag").json()
    assert {j["id"] for j in full["jobs"]} == {42, 17, 23, 31}
    assert get(sandbox, "/api/export/rag", since=full["cursor"]).json()["incidents"] == []
    httpx.post(sandbox.url + "/api/incidents", json={"title": "new"}, headers={"Authorization": f"Bearer {TOKEN}"})
    sandbox.app.state.store.delete("audit_log", 903)
    delta = get(sandbox, "/api/export/rag", since=full["cursor"]).json()
    assert [i["title"] for i in delta["incidents"]] == ["new"]
    assert delta["deleted"] == [{"kind": "audit_log", "id": 903}]
    assert int(delta["cursor"]) > int(full["cursor"])
    assert get(sandbox, "/api/export/rag", since="not-a-cursor").status_code == 400
