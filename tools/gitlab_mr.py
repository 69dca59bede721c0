"""A GitLab merge request through python-gitlab: its diff in, inline discussions and a summary note out."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import gitlab
import requests
from gitlab.exceptions import GitlabAuthenticationError, GitlabError, GitlabGetError
from pydantic import BaseModel

from agents.reviewer.prompts import FINDING_MARKER, SUMMARY, SUMMARY_MARKER, VERDICT
from agents.reviewer.state import Finding, MergeRequestRef
from aiops.errors import InvalidInput, NotFound, ServiceUnavailable, UpstreamError

_MARKER = re.compile(r"<!-- aiops:finding:([0-9a-f]+) -->")


class PublishReport(BaseModel):
    posted: int
    already_there: int
    not_positioned: int
    summary: str  # "created" or "updated"


class MergeRequestSource(BaseModel):
    url: str
    token: str
    project: str
    iid: int

    @classmethod
    def from_ci(cls, env: Mapping[str, str]) -> MergeRequestSource:
        """GitLab CI's predefined variables, and a token with api scope in AIOPS_GITLAB_TOKEN."""
        missing = [name for name in ("CI_SERVER_URL", "CI_PROJECT_ID", "CI_MERGE_REQUEST_IID") if not env.get(name)]
        token = env.get("AIOPS_GITLAB_TOKEN") or env.get("GITLAB_TOKEN", "")
        if not token:
            missing.append("AIOPS_GITLAB_TOKEN")
        if missing:
            raise InvalidInput(f"not in a merge request pipeline, or missing: {', '.join(missing)}")
        return cls(url=env["CI_SERVER_URL"], token=token, project=env["CI_PROJECT_ID"],
                   iid=int(env["CI_MERGE_REQUEST_IID"]))


@contextmanager
def _gitlab_errors(what: str) -> Iterator[None]:
    try:
        yield
    except GitlabAuthenticationError as error:
        raise UpstreamError(f"GitLab refused the token ({error.response_code}) while {what}") from error
    except GitlabGetError as error:
        if error.response_code == 404:
            raise NotFound(f"not found in GitLab while {what}: {error.error_message}") from error
        raise UpstreamError(f"GitLab answered {error.response_code} while {what}: {error.error_message}") from error
    except GitlabError as error:
        if error.response_code in {401, 403}:
            raise UpstreamError(f"GitLab refused the token ({error.response_code}) while {what}") from error
        raise UpstreamError(f"GitLab answered {error.response_code} while {what}: {error.error_message}") from error
    except requests.exceptions.ConnectionError as error:
        raise ServiceUnavailable(f"GitLab unreachable while {what}: {error}") from error


class MergeRequest:
    def __init__(self, source: MergeRequestSource, timeout: float = 30.0) -> None:
        self.source = source
        self._gl = gitlab.Gitlab(source.url, private_token=source.token, timeout=timeout, retry_transient_errors=True)
        self._mr: Any = None

    def _load(self) -> Any:
        if self._mr is None:
            with _gitlab_errors(f"reading merge request !{self.source.iid}"):
                project = self._gl.projects.get(self.source.project, lazy=True)
                self._mr = project.mergerequests.get(self.source.iid)
        return self._mr

    def ref(self) -> MergeRequestRef:
        mr = self._load()
        refs = mr.diff_refs or {}
        return MergeRequestRef(project=str(self.source.project), iid=self.source.iid,
                               head_sha=refs.get("head_sha") or mr.sha, web_url=getattr(mr, "web_url", ""),
                               title=getattr(mr, "title", ""))

    def diff(self) -> str:
        """The merge request's changes as one unified diff."""
        mr = self._load()
        with _gitlab_errors(f"reading the changes of !{self.source.iid}"):
            changes = mr.changes(access_raw_diffs=True)
        parts = []
        for change in changes.get("changes", []):
            old = "/dev/null" if change.get("new_file") else f"a/{change['old_path']}"
            new = "/dev/null" if change.get("deleted_file") else f"b/{change['new_path']}"
            body = change.get("diff") or ""
            header = f"diff --git a/{change['old_path']} b/{change['new_path']}\n"
            if body.startswith("Binary files") or (not body and not change.get("deleted_file")):
                parts.append(header + (body or f"Binary files {old} and {new} differ\n"))
                continue
            parts.append(f"{header}--- {old}\n+++ {new}\n{body if body.endswith(chr(10)) else body + chr(10)}")
        return "".join(parts)

    def publish(self, findings: list[Finding], blocking: bool, fail_on: str, language: str) -> PublishReport:
        """One discussion per new finding, on its line; one summary note, edited in place on re-runs."""
        mr = self._load()
        refs = mr.diff_refs or {}
        with _gitlab_errors(f"commenting on !{self.source.iid}"):
            seen = {match for discussion in mr.discussions.list(get_all=True)
                    for note in discussion.attributes.get("notes", [])
                    for match in _MARKER.findall(note.get("body", ""))}
            posted = already = unpositioned = 0
            for finding in findings:
                if finding.fingerprint in seen:
                    already += 1
                    continue
                body = (f"{FINDING_MARKER.format(fingerprint=finding.fingerprint)}\n"
                        f"**{finding.severity}** `{finding.rule}` — {finding.message}")
                position = {"base_sha": refs.get("base_sha"), "start_sha": refs.get("start_sha"),
                            "head_sha": refs.get("head_sha"), "position_type": "text",
                            "new_path": finding.file, "old_path": finding.file, "new_line": finding.line}
                try:
                    mr.discussions.create({"body": body, "position": position})
                except GitlabError as error:
                    if error.response_code != 400:
                        raise
                    # GitLab refuses a position outside the diff: say it in the thread rather than lose it.
                    mr.discussions.create({"body": f"{body}\n\n`{finding.file}:{finding.line}`"})
                    unpositioned += 1
                posted += 1
                seen.add(finding.fingerprint)
            summary = self._summary_body(findings, blocking, fail_on, language, refs.get("head_sha", ""))
            existing = next((n for n in mr.notes.list(get_all=True) if SUMMARY_MARKER in (n.body or "")), None)
            if existing is None:
                mr.notes.create({"body": summary})
                state = "created"
            else:
                mr.notes.update(existing.id, {"body": summary})
                state = "updated"
        return PublishReport(posted=posted, already_there=already, not_positioned=unpositioned, summary=state)

    @staticmethod
    def _summary_body(findings: list[Finding], blocking: bool, fail_on: str, language: str, sha: str) -> str:
        lang = language if language in SUMMARY else "en"
        rows = "\n".join(f"| `{f.file}:{f.line}` | {f.severity} | `{f.rule}` |" for f in findings)
        table = f"| | | |\n|---|---|---|\n{rows}" if findings else ""
        verdict = VERDICT[lang][blocking].format(fail_on=fail_on)
        return f"{SUMMARY_MARKER}\n" + SUMMARY[lang].format(verdict=verdict, table=table, sha=sha[:12])

