"""The part of uHub's HTTP API that aiops consumes, as typed models (see docs/uhub-contract.md).

Every model ignores fields it does not know, so that uHub can grow without breaking us.
The sandbox serves exactly these models, so its OpenAPI document is this contract.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field


class Tolerant(BaseModel):
    model_config = ConfigDict(extra="ignore")


RunStatus = Literal["success", "failed", "running", "cancelled"]
IncidentStatus = Literal["open", "investigating", "resolved"]
Severity = Literal["SEV1", "SEV2", "SEV3"]


class Job(Tolerant):
    id: int
    name: str
    service: str = ""
    description: str = ""
    schedule: str = ""
    status: str = Field("", description="Status of the last run.")
    blocking: bool = False
    created_at: datetime
    updated_at: datetime


class Run(Tolerant):
    id: int
    job_id: int
    status: str
    started_at: datetime
    finished_at: datetime | None = None
    exit_code: int | None = None
    trigger: str = ""


class RunLogs(Tolerant):
    run_id: int
    lines: list[str]
    truncated: bool = False


class TimelineEntry(Tolerant):
    at: datetime
    author: str = ""
    message: str


class Incident(Tolerant):
    id: int
    title: str
    severity: str = "SEV3"
    status: str = "open"
    service: str = ""
    summary: str = ""
    source: str = ""
    fingerprint: str = ""
    created_at: datetime
    updated_at: datetime
    timeline: list[TimelineEntry] = Field(default_factory=list)


class PostMortem(Tolerant):
    id: int
    incident_id: int | None = None
    title: str
    markdown: str
    created_at: datetime
    updated_at: datetime


class AuditLog(Tolerant):
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    details: str = ""


class Tombstone(Tolerant):
    kind: Literal["job", "incident", "postmortem", "audit_log"]
    id: int


class ExportJob(Job):
    runs: list[Run] = Field(default_factory=list)


class RagExport(Tolerant):
    """``GET /api/export/rag?since=CURSOR``: records changed after the cursor, and the next cursor."""

    cursor: str
    jobs: list[ExportJob] = Field(default_factory=list)
    incidents: list[Incident] = Field(default_factory=list)
    postmortems: list[PostMortem] = Field(default_factory=list)
    audit_logs: list[AuditLog] = Field(default_factory=list)
    deleted: list[Tombstone] = Field(default_factory=list)


class IncidentCreate(BaseModel):
    """``POST /api/incidents``."""

    title: str = Field(min_length=1, max_length=300)
    severity: Severity = "SEV3"
    service: str = ""
    summary: str = ""
    source: str = "aiops"
    fingerprint: str = ""
    evidence: dict[str, Any] = Field(default_factory=dict)


class JobCreate(BaseModel):
    """``POST /api/jobs``: e.g. a blocking review job opened by the Code Reviewer."""

    name: str = Field(min_length=1, max_length=300)
    service: str = ""
    description: str = ""
    kind: str = "review"
    blocking: bool = True
    reference: str = Field("", description="What the job is about: a merge request URL and commit.")


class Notification(BaseModel):
    """``POST /api/notifications``: uHub's internal notification webhook."""

    title: str = Field(min_length=1, max_length=300)
    message: str = ""
    level: Literal["info", "warning", "critical"] = "info"
    source: str = "aiops"
    service: str = ""
    data: dict[str, Any] = Field(default_factory=dict)


class Created(Tolerant):
    id: int
