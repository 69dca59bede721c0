"""State of the Code Reviewer: a diff in; findings and a blocking decision out."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from agents.reviewer.diff import ChangedFile

Severity = Literal["critical", "high", "medium", "low", "info"]
SEVERITY_RANK: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class MergeRequestRef(BaseModel):
    project: str = Field(description="GitLab project id or path.")
    iid: int
    head_sha: str
    web_url: str = ""
    title: str = ""


class ReviewInput(BaseModel):
    diff: str = Field(description="A unified diff (git diff, or a merge request's changes).", max_length=20_000_000)
    merge_request: MergeRequestRef | None = Field(None, description="When set, a blocking uHub job may be opened.")
    use_llm: bool = True
    fail_on: Severity = "high"
    baseline: list[str] = Field(default_factory=list, description="Fingerprints of accepted findings.")
    dry_run: bool = False


class Finding(BaseModel):
    file: str
    line: int
    rule: str
    severity: Severity
    message: str
    source: Literal["secrets", "rules", "llm"]
    fingerprint: str


class LlmFinding(BaseModel):
    """One finding as the model must give it: flat, pointing at a line of the hunk it was shown."""

    line: int
    severity: Literal["high", "medium", "low"]
    message: str = Field(max_length=300)


class LlmReview(BaseModel):
    findings: list[LlmFinding] = Field(default_factory=list, max_length=10)


class ReviewOutput(TypedDict):
    findings: list[Finding]
    blocking: bool
    files: int
    llm_calls: int
    uhub_job: str


class ReviewState(TypedDict, total=False):
    diff: str
    merge_request: MergeRequestRef | None
    use_llm: bool
    fail_on: Severity
    baseline: list[str]
    dry_run: bool
    changed: list[ChangedFile]
    findings: list[Finding]
    files: int
    llm_calls: int
    blocking: bool
    uhub_job: str
