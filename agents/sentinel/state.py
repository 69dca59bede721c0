"""State of the Log Sentinel: lines in; clusters, verdicts and incidents out."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

Verdict = Literal["attack", "misconfiguration", "benign", "unknown"]


class SentinelInput(BaseModel):
    log_lines: list[str] = Field(description="nginx error-log or access-log lines.", max_length=5_000_000)
    dry_run: bool = Field(False, description="Report what would be opened in uHub, open nothing.")
    source: str = Field("", description="Where the lines come from (a file name), for the incident text.")


class ClusterAnalysis(BaseModel):
    """What the model is asked for, as a flat JSON schema."""

    root_cause: str = Field(description="The probable root cause, in one or two sentences.", max_length=600)
    verdict: Verdict
    confidence: float = Field(ge=0, le=1)


class ClusterReport(BaseModel):
    key: str
    template: str
    signal: str = Field(description="The strongest rule matched, which with the template defines the cluster.")
    kind: str
    count: int
    first_seen: str
    last_seen: str
    verdict: Verdict
    confidence: float
    root_cause: str
    decided_by: Literal["signals", "model", "none"]
    signals: list[str]
    top_clients: list[tuple[str, int]]
    top_requests: list[tuple[str, int]]
    samples: list[str]


class IncidentReport(BaseModel):
    fingerprint: str
    title: str
    severity: str
    cluster: str
    status: Literal["delivered", "pending", "failed", "already-open", "dry-run"]
    id: int | None = None


class SentinelOutput(TypedDict):
    lines: int
    unparsed: int
    unparsed_samples: list[str]
    clusters: list[ClusterReport]
    incidents: list[IncidentReport]
    llm_calls: int


class SentinelState(TypedDict, total=False):
    log_lines: list[str]
    lines: int
    dry_run: bool
    source: str
    unparsed: int
    unparsed_samples: list[str]
    clusters: list[ClusterReport]
    to_analyse: list[str]
    incidents: list[IncidentReport]
    llm_calls: int
