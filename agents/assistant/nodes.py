"""Nodes of the assistant. References are found by rules, uHub is read by code; the LLM only writes."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage

from agents.assistant.failures import find_failure
from agents.assistant.prompts import (
    FACT_TEMPLATE,
    FAILED_WORD,
    INCIDENT_LEAD,
    JOB_FAILED_LEAD,
    JOBS_LEAD,
    NOT_FOUND,
    QUESTION_TEMPLATE,
    RUN_FAILED_LEAD,
    SYSTEM_PROMPT,
    UHUB_DOWN,
)
from agents.assistant.references import References, extract_references, period_start
from agents.assistant.state import AssistantSource, AssistantState, UhubFact
from agents.rag.nodes import ensure_citations
from agents.rag.prompts import NO_ANSWER, SOURCE_TEMPLATE
from aiops.errors import AiopsError, InvalidInput, NotFound
from aiops.llm import llm_errors
from aiops.text import Language, detect_language
from tools.retriever import RetrievedChunk
from tools.uhub_client import UhubClient
from tools.uhub_contract import Incident, Job, Run

Node = Callable[..., Any]
LOG_TAIL = 15
MAX_FACTS = 6


def make_understand(today: Callable[[], date] = lambda: datetime.now(UTC).date()) -> Node:
    def understand(state: AssistantState) -> dict[str, Any]:
        question = (state.get("question") or "").strip()
        if not question:
            raise InvalidInput("the question is empty")
        found = extract_references(question, today())
        previous = state.get("references")
        # A follow-up ("et ses logs ?") names nothing new: it is about what the thread was about.
        references = previous.model_copy(update={"about_failures": previous.about_failures or found.about_failures}) \
            if found.is_empty() and previous is not None else found
        return {"question": question, "language": detect_language(question), "references": references,
                "messages": [HumanMessage(question)]}

    return understand


def _job_fact(job: Job, runs: list[Run], logs: list[str] | None, language: Language) -> UhubFact:
    lines = [f"Job {job.id} {job.name} (service {job.service}), last status: {job.status}.",
             f"Description: {job.description}", "Recent runs:"]
    lines += [f"- run {r.id}: {r.status}, exit code {r.exit_code}, started {r.started_at:%Y-%m-%d %H:%M}"
              for r in runs[:5]]
    lead = ""
    failed = next((r for r in runs if r.status == "failed"), None)
    if logs is not None and failed is not None:
        failure = find_failure(logs)
        lines += [f"Log tail of run {failed.id}:", *logs[-LOG_TAIL:]]
        if failure.step:
            lead = JOB_FAILED_LEAD[language].format(job=job.id, name=job.name, run=failed.id, step=failure.step,
                                                    error=failure.error_line or "", n="{n}")
    return UhubFact(kind="job", id=job.id, title=job.name, text="\n".join(lines), lead=lead)


def _incident_fact(incident: Incident, language: Language) -> UhubFact:
    lines = [f"Incident {incident.id}: {incident.title} ({incident.severity}, {incident.status}, "
             f"service {incident.service}), opened {incident.created_at:%Y-%m-%d %H:%M}.",
             f"Summary: {incident.summary}", "Timeline:"]
    lines += [f"- {e.at:%Y-%m-%d %H:%M} {e.author}: {e.message}" for e in incident.timeline]
    lead = INCIDENT_LEAD[language].format(id=incident.id, title=incident.title, severity=incident.severity,
                                          status=incident.status, date=f"{incident.created_at:%Y-%m-%d}",
                                          summary=incident.summary, n="{n}")
    return UhubFact(kind="incident", id=incident.id, title=incident.title, text="\n".join(lines), lead=lead)


async def _read_uhub(client: UhubClient, refs: References, today: date, language: Language,
                     notes: list[str]) -> list[UhubFact]:
    facts: list[UhubFact] = []
    for job_id in refs.job_ids[:3]:
        try:
            job = await client.job(job_id)
        except NotFound:
            notes.append(NOT_FOUND[language].format(what=f"Job {job_id}"))
            continue
        runs = sorted(await client.job_runs(job_id), key=lambda r: r.started_at, reverse=True)
        failed = next((r for r in runs if r.status == "failed"), None)
        logs = (await client.run_logs(failed.id, tail=200)).lines if failed else None
        facts.append(_job_fact(job, runs, logs, language))
    for run_id in refs.run_ids[:3]:
        try:
            run_logs = await client.run_logs(run_id, tail=200)
        except NotFound:
            notes.append(NOT_FOUND[language].format(what=f"Run {run_id}"))
            continue
        failure = find_failure(run_logs.lines)
        lead = RUN_FAILED_LEAD[language].format(run=run_id, step=failure.step, error=failure.error_line or "",
                                                n="{n}") if failure.step else ""
        facts.append(UhubFact(kind="run", id=run_id, title=f"run {run_id}", lead=lead,
                              text="\n".join([f"Log tail of run {run_id}:", *run_logs.lines[-LOG_TAIL:]])))
    for incident_id in refs.incident_ids[:3]:
        try:
            facts.append(_incident_fact(await client.incident(incident_id), language))
        except NotFound:
            notes.append(NOT_FOUND[language].format(what=f"Incident {incident_id}"))
    if refs.dates:
        for incident in await client.incidents():
            if incident.created_at.date() in refs.dates:
                facts.append(_incident_fact(incident, language))
    if refs.period and not refs.job_ids:
        since = datetime.combine(period_start(refs.period, today), datetime.min.time(), tzinfo=UTC)
        jobs = await client.jobs(status="failed" if refs.about_failures else None, since=since)
        listing = [f"- job {j.id} {j.name} (service {j.service}): {j.status}, updated {j.updated_at:%Y-%m-%d}"
                   for j in jobs]
        lead = JOBS_LEAD[language].format(
            count=len(jobs), failed=FAILED_WORD[language] if refs.about_failures else "", since=f"{since:%Y-%m-%d}",
            names=", ".join(f"{j.name} (job {j.id})" for j in jobs) or "-", n="{n}")
        facts.append(UhubFact(kind="jobs", title=f"jobs since {since:%Y-%m-%d}", lead=lead,
                              text="\n".join([f"Jobs {'failed ' if refs.about_failures else ''}since "
                                              f"{since:%Y-%m-%d}: {len(jobs)}", *listing])))
    return facts[:MAX_FACTS]


def make_fetch_uhub(client_factory: Callable[[], UhubClient],
                    today: Callable[[], date] = lambda: datetime.now(UTC).date()) -> Node:
    async def fetch_uhub(state: AssistantState) -> dict[str, Any]:
        refs = state.get("references") or References()
        language = state.get("language", "en")
        notes: list[str] = []
        if refs.is_empty():
            return {"facts": [], "notes": []}
        try:
            async with client_factory() as client:
                facts = await _read_uhub(client, refs, today(), language, notes)
        except AiopsError as error:
            return {"facts": [], "notes": [UHUB_DOWN[language].format(error=error.message)]}
        return {"facts": facts, "notes": notes}

    return fetch_uhub


def _history(messages: Sequence[BaseMessage], limit: int = 4) -> str:
    earlier = messages[:-1][-limit:]
    return "\n".join(f"{m.type}: {m.text[:300]}" for m in earlier) or "-"


def _numbered(facts: list[UhubFact], docs: list[RetrievedChunk]) -> list[AssistantSource]:
    sources: list[AssistantSource] = []
    for fact in facts:
        entry = AssistantSource(n=len(sources) + 1, source=fact.source, kind=fact.kind)
        if fact.id is not None:
            entry["id"] = fact.id
        sources.append(entry)
    for chunk in docs:
        sources.append(AssistantSource(n=len(sources) + 1, source=chunk.source, kind=chunk.metadata.get(
            "uhub_kind", "doc"), lines=list(chunk.lines), heading=chunk.heading))
    return sources


def make_answer(model: BaseChatModel, max_context_chars: int = 6000) -> Node:
    def answer(state: AssistantState) -> dict[str, Any]:
        language = state.get("language", "en")
        facts = state.get("facts") or []
        fact_sources = {fact.source for fact in facts}
        docs = [c for c in state.get("relevant") or [] if c.source not in fact_sources][:4]
        notes = state.get("notes") or []
        sources = _numbered(facts, docs)
        if not sources:
            text = " ".join(notes) or NO_ANSWER[language]
            return {"answer": text, "sources": [], "messages": [AIMessage(text)]}

        quoted = [FACT_TEMPLATE.format(n=n, source=fact.source, text=fact.text.replace("</source>", "</ source>"))
                  for n, fact in enumerate(facts, start=1)]
        budget = max_context_chars - sum(len(q) for q in quoted)
        for n, chunk in enumerate(docs, start=len(facts) + 1):
            text = chunk.text[: max(budget, 0)].replace("</source>", "</ source>")
            budget -= len(text)
            quoted.append(SOURCE_TEMPLATE.format(n=n, source=chunk.source, start=chunk.lines[0], end=chunk.lines[1],
                                                 text=text))
        prompt = [SystemMessage(SYSTEM_PROMPT[language]), HumanMessage(QUESTION_TEMPLATE[language].format(
            history=_history(state.get("messages") or []), sources="\n\n".join(quoted), question=state["question"]))]
        with llm_errors("LLM"):
            reply = model.invoke(prompt)
        text = ensure_citations(reply.text, sources, language)  # type: ignore[arg-type]
        # The facts read from uHub are stated by code, first; the model's text explains around them.
        leads = [fact.lead.format(n=n) for n, fact in enumerate(facts, start=1) if fact.lead]
        if leads:
            text = "\n".join(leads) + "\n\n" + text
        if notes:
            text = f"{text}\n\n{' '.join(notes)}"
        return {"answer": text, "sources": sources, "messages": [AIMessage(text)]}

    return answer
