"""Nodes of the Code Reviewer: rules and detect-secrets first; the model may add findings, never remove."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agents.reviewer.checks import deterministic_findings, fingerprint
from agents.reviewer.diff import AddedLine, ChangedFile, parse_diff
from agents.reviewer.prompts import HUNK_TEMPLATE, JOB_NAME, SYSTEM_PROMPT
from agents.reviewer.state import SEVERITY_RANK, Finding, LlmReview, MergeRequestRef, ReviewState
from aiops.errors import AiopsError, ServiceUnavailable
from aiops.settings import Settings
from tools.outbox import Outbox
from tools.uhub_client import UhubClient
from tools.uhub_contract import JobCreate

Node = Callable[..., Any]
MAX_LINE_CHARS = 400


def make_parse() -> Node:
    def parse(state: ReviewState) -> dict[str, Any]:
        changed = parse_diff(state.get("diff") or "")
        return {"changed": changed, "files": len(changed)}

    return parse


def make_check(settings: Settings) -> Node:
    def check(state: ReviewState) -> dict[str, Any]:
        findings = deterministic_findings(state.get("changed") or [], settings.review_language,
                                          set(state.get("baseline") or []))
        return {"findings": findings}

    return check


def chunks_for_model(files: list[ChangedFile], max_chars: int) -> list[tuple[ChangedFile, list[AddedLine]]]:
    """Added lines in pieces of at most ``max_chars``, file by file."""
    pieces: list[tuple[ChangedFile, list[AddedLine]]] = []
    for changed in files:
        current: list[AddedLine] = []
        size = 0
        for line in changed.added:
            cost = min(len(line.text), MAX_LINE_CHARS) + 8
            if current and size + cost > max_chars:
                pieces.append((changed, current))
                current, size = [], 0
            current.append(line)
            size += cost
        if current:
            pieces.append((changed, current))
    return pieces


def hunk_prompt(changed: ChangedFile, lines: list[AddedLine]) -> list[SystemMessage | HumanMessage]:
    shown = "\n".join(f"{line.number}: {line.text[:MAX_LINE_CHARS]}".replace("</added>", "</ added>")
                      for line in lines)
    return [SystemMessage(SYSTEM_PROMPT), HumanMessage(HUNK_TEMPLATE.format(file=changed.path, lines=shown))]


def make_llm_review(model: BaseChatModel, settings: Settings) -> Node:
    analyst = model.with_structured_output(LlmReview, method="json_schema", include_raw=True).with_retry(
        stop_after_attempt=2, retry_if_exception_type=(ServiceUnavailable, ConnectionError))

    def llm_review(state: ReviewState) -> dict[str, Any]:
        if not state.get("use_llm", True) or settings.review_max_llm_calls == 0:
            return {"llm_calls": 0}
        existing = {(f.file, f.line, f.rule) for f in state.get("findings") or []}
        baseline = set(state.get("baseline") or [])
        added: list[Finding] = []
        calls = 0
        for changed, lines in chunks_for_model(state.get("changed") or [], settings.review_chunk_chars):
            if calls >= settings.review_max_llm_calls:
                break
            calls += 1
            try:
                output = analyst.invoke(hunk_prompt(changed, lines))
            except AiopsError:
                break  # the model is unreachable: the deterministic findings stand alone
            review = output.get("parsed") if isinstance(output, dict) else None
            if not isinstance(review, LlmReview):
                continue
            shown = {line.number: line.text for line in lines}
            for item in review.findings:
                if item.line not in shown or (changed.path, item.line, "llm-review") in existing:
                    continue  # findings must point at a line the model was shown
                finding = Finding(file=changed.path, line=item.line, rule="llm-review", severity=item.severity,
                                  message=f"(IA) {item.message.strip()}", source="llm",
                                  fingerprint=fingerprint(changed.path, "llm-review", shown[item.line]))
                if finding.fingerprint not in baseline:
                    existing.add((changed.path, item.line, "llm-review"))
                    added.append(finding)
        return {"findings": [*(state.get("findings") or []), *added], "llm_calls": calls}

    return llm_review


def is_blocking(findings: list[Finding], fail_on: str) -> bool:
    return any(SEVERITY_RANK[f.severity] >= SEVERITY_RANK[fail_on] for f in findings)


def make_decide(outbox: Outbox, client_factory: Callable[[], UhubClient]) -> Node:
    async def decide(state: ReviewState) -> dict[str, Any]:
        findings = sorted(state.get("findings") or [], key=lambda f: (f.file, f.line, f.rule))
        blocking = is_blocking(findings, state.get("fail_on", "high"))
        raw = state.get("merge_request")
        # Over HTTP (LangServe) the reference arrives as a plain dict.
        request = MergeRequestRef.model_validate(raw) if isinstance(raw, dict) else raw
        security = [f for f in findings if f.source != "llm" and SEVERITY_RANK[f.severity] >= SEVERITY_RANK["high"]]
        job_status = ""
        if request is not None and security and not state.get("dry_run"):
            key = f"review-{request.project}-{request.iid}-{request.head_sha}"
            job = JobCreate(
                name=JOB_NAME.format(iid=request.iid, title=request.title[:80])[:300], kind="review", blocking=True,
                reference=f"{request.web_url}@{request.head_sha}",
                description="\n".join(f"- {f.file}:{f.line} [{f.severity}] {f.rule}" for f in security),
            )
            outbox.enqueue("job", job, key)
            try:
                async with client_factory() as client:
                    await outbox.flush(client)
            except AiopsError:
                pass  # kept in the outbox for the next flush
            item = outbox.get(key)
            job_status = item.status if item else "pending"
        return {"findings": findings, "blocking": blocking, "uhub_job": job_status,
                "llm_calls": state.get("llm_calls", 0)}

    return decide
