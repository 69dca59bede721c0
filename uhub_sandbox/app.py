"""The sandbox's HTTP API: the uHub contract of ``tools/uhub_contract.py``, bearer auth, idempotency."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from tools.uhub_contract import (
    AuditLog,
    Created,
    ExportJob,
    Incident,
    IncidentCreate,
    Job,
    JobCreate,
    Notification,
    PostMortem,
    RagExport,
    Run,
    RunLogs,
)
from uhub_sandbox.seed import seed
from uhub_sandbox.store import SandboxStore

LABELS = {"postmortem": "post-mortem", "audit_log": "audit log"}


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as error:
        raise HTTPException(400, f"since must be an ISO date: {value}") from error
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def create_sandbox_app(db_path: Path, token: str, seed_demo: bool = True) -> FastAPI:
    store = SandboxStore(db_path)
    if seed_demo and store.is_empty():
        seed(store)
    app = FastAPI(title="uHub sandbox (development double, not uHub)", version="1",
                  description="Serves the part of uHub's API that aiops consumes, from SQLite with demo data.")
    app.state.store = store

    def authorised(authorization: Annotated[str | None, Header()] = None) -> None:
        expected = f"Bearer {token}"
        if not authorization or not secrets.compare_digest(authorization.encode(), expected.encode()):
            raise HTTPException(401, "missing or wrong bearer token")

    auth = [Depends(authorised)]

    def idempotent(request: Request, kind: str, create: Any) -> JSONResponse:
        key = request.headers.get("Idempotency-Key")
        if key and (seen := store.remembered(f"{kind}:{key}")):
            return JSONResponse(status_code=seen[0], content=seen[1], headers={"Idempotent-Replayed": "true"})
        body = create()
        if key:
            store.remember(f"{kind}:{key}", 201, body)
        return JSONResponse(status_code=201, content=body)

    @app.get("/healthz", tags=["sandbox"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "note": "uHub sandbox: a development double"}

    @app.get("/api/export/rag", dependencies=auth, response_model=RagExport)
    def export_rag(since: str | None = None) -> dict[str, Any]:
        try:
            after = int(since) if since else 0
        except ValueError as error:
            raise HTTPException(400, "since must be a cursor returned by a previous export") from error
        runs_by_job: dict[int, list[dict[str, Any]]] = {}
        for run in store.all("run"):
            runs_by_job.setdefault(run["job_id"], []).append(run)
        changed_jobs = {job["id"] for job in store.all("job", after)}
        changed_jobs |= {run["job_id"] for run in store.all("run", after)}
        jobs = [{**job, "runs": runs_by_job.get(job["id"], [])}
                for job in store.all("job") if job["id"] in changed_jobs]
        return {
            "cursor": str(store.sequence()),
            "jobs": jobs,
            "incidents": store.all("incident", after),
            "postmortems": store.all("postmortem", after),
            "audit_logs": store.all("audit_log", after),
            "deleted": store.tombstones(after),
        }

    def found(kind: str, record_id: int) -> dict[str, Any]:
        record = store.get(kind, record_id)
        if record is None:
            raise HTTPException(404, f"{LABELS.get(kind, kind)} {record_id} not found")
        return record

    def listed(kind: str, status: str | None, since: str | None, date_field: str) -> list[dict[str, Any]]:
        after = _since(since)
        return [record for record in store.all(kind)
                if (status is None or record["status"] == status)
                and (after is None or datetime.fromisoformat(record[date_field]) >= after)]

    @app.get("/api/jobs", dependencies=auth, response_model=list[Job])
    def list_jobs(status: str | None = None, since: str | None = None) -> list[dict[str, Any]]:
        return listed("job", status, since, "updated_at")

    @app.get("/api/jobs/{job_id}", dependencies=auth, response_model=ExportJob)
    def get_job(job_id: int) -> dict[str, Any]:
        return found("job", job_id)

    @app.get("/api/jobs/{job_id}/runs", dependencies=auth, response_model=list[Run])
    def job_runs(job_id: int) -> list[dict[str, Any]]:
        found("job", job_id)
        runs = [run for run in store.all("run") if run["job_id"] == job_id]
        return sorted(runs, key=lambda run: run["started_at"], reverse=True)

    @app.get("/api/runs/{run_id}/logs", dependencies=auth, response_model=RunLogs)
    def run_logs(run_id: int, tail: Annotated[int, Query(ge=1, le=10_000)] = 200) -> dict[str, Any]:
        lines = store.logs(run_id)
        if lines is None:
            raise HTTPException(404, f"run {run_id} not found")
        return {"run_id": run_id, "lines": lines[-tail:], "truncated": len(lines) > tail}

    @app.get("/api/incidents", dependencies=auth, response_model=list[Incident])
    def list_incidents(since: str | None = None, status: str | None = None) -> list[dict[str, Any]]:
        return listed("incident", status, since, "created_at")

    @app.get("/api/incidents/{incident_id}", dependencies=auth, response_model=Incident)
    def get_incident(incident_id: int) -> dict[str, Any]:
        return found("incident", incident_id)

    @app.post("/api/incidents", dependencies=auth, status_code=201, response_model=Created)
    def create_incident(body: IncidentCreate, request: Request) -> JSONResponse:
        def create() -> dict[str, Any]:
            now = _now()
            record = {**body.model_dump(mode="json"), "id": store.next_id("incident", 100), "status": "open",
                      "created_at": now, "updated_at": now,
                      "timeline": [{"at": now, "author": body.source, "message": "Incident opened by aiops."}]}
            store.put("incident", record)
            return {"id": record["id"]}

        return idempotent(request, "incident", create)

    @app.post("/api/jobs", dependencies=auth, status_code=201, response_model=Created)
    def create_job(body: JobCreate, request: Request) -> JSONResponse:
        def create() -> dict[str, Any]:
            now = _now()
            record = {**body.model_dump(mode="json"), "id": store.next_id("job", 100), "status": "pending",
                      "schedule": "manual", "created_at": now, "updated_at": now}
            store.put("job", record)
            return {"id": record["id"]}

        return idempotent(request, "job", create)

    @app.post("/api/notifications", dependencies=auth, status_code=201, response_model=Created)
    def notify(body: Notification, request: Request) -> JSONResponse:
        def create() -> dict[str, Any]:
            record = {**body.model_dump(mode="json"), "id": store.next_id("notification", 1), "created_at": _now()}
            store.put("notification", record)
            return {"id": record["id"]}

        return idempotent(request, "notification", create)

    @app.get("/api/notifications", dependencies=auth, tags=["sandbox"])
    def notifications() -> list[dict[str, Any]]:
        return store.all("notification")

    @app.get("/api/postmortems/{postmortem_id}", dependencies=auth, response_model=PostMortem)
    def get_postmortem(postmortem_id: int) -> dict[str, Any]:
        return found("postmortem", postmortem_id)

    @app.get("/api/audit-logs", dependencies=auth, response_model=list[AuditLog])
    def audit_logs() -> list[dict[str, Any]]:
        return store.all("audit_log")

    return app
