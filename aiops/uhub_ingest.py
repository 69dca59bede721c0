"""Ingestion of uHub's export (jobs, incidents, post-mortems, audit logs) beside the repo docs.

Incremental by the export's cursor, kept in the data directory and moved only after a run that
worked. Audit logs are readable by auditors only.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import datetime

from chromadb.api import ClientAPI
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel

from aiops.chunking import chunk_lines, chunk_markdown
from aiops.ingest import delete_sources, index_documents, refresh_keyword_index, title_line
from aiops.settings import Settings
from tools.uhub_client import UhubClient
from tools.uhub_contract import AuditLog, ExportJob, Incident, RagExport
from tools.vectorstore import chroma_client

UHUB_ROOT = "uhub"


class UhubIngestReport(BaseModel):
    cursor_before: str | None
    cursor: str
    jobs: int
    incidents: int
    postmortems: int
    audit_logs: int
    chunks: int
    embedded: int
    deleted: int
    seconds: float

    def summary(self) -> str:
        return (f"uhub export: {self.jobs} jobs, {self.incidents} incidents, {self.postmortems} post-mortems, "
                f"{self.audit_logs} audit logs; {self.embedded} chunks embedded, {self.deleted} deleted; "
                f"cursor {self.cursor_before or '-'} -> {self.cursor}")


def _date(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def job_text(job: ExportJob) -> str:
    lines = [f"# Job {job.id}: {job.name}", "", f"Service: {job.service}", f"Schedule: {job.schedule}",
             f"Last status: {job.status}", f"Description: {job.description}", "", "## Runs"]
    for run in sorted(job.runs, key=lambda r: r.started_at, reverse=True):
        lines.append(f"- run {run.id}: {run.status} (exit code {run.exit_code}), started {_date(run.started_at)}, "
                     f"triggered by {run.trigger}")
    return "\n".join(lines)


def incident_text(incident: Incident) -> str:
    lines = [f"# Incident {incident.id}: {incident.title}", "", f"Severity: {incident.severity}",
             f"Status: {incident.status}", f"Service: {incident.service}",
             f"Opened: {_date(incident.created_at)}", f"Summary: {incident.summary}", "", "## Timeline"]
    lines += [f"- {_date(entry.at)} {entry.author}: {entry.message}" for entry in incident.timeline]
    return "\n".join(lines)


def audit_text(entry: AuditLog) -> str:
    return (f"Audit log {entry.id}: on {_date(entry.at)} {entry.actor} did {entry.action} on {entry.target}. "
            f"{entry.details}").strip()


def _documents(kind: str, record_id: int, text: str, markdown: bool, meta: dict[str, str | int],
               settings: Settings) -> list[Document]:
    source = f"{UHUB_ROOT}/{kind}/{record_id}"
    chunks = (chunk_markdown(text, max_chars=settings.chunk_max_chars) if markdown
              else chunk_lines(text.split("\n"), max_chars=settings.chunk_max_chars))
    return [
        Document(
            page_content=f"{title_line(source, chunk.heading)}\n{chunk.text}",
            metadata={
                "source": source, "source_id": f"{UHUB_ROOT}:{kind}:{record_id}", "root": UHUB_ROOT,
                "start_line": chunk.start_line, "end_line": chunk.end_line, "heading": chunk.heading,
                "kind": "markdown" if markdown else "text", "doc_type": kind, "uhub_kind": kind,
                "uhub_id": record_id, "commit": "", "audience": "all", **meta,
            },
        )
        for chunk in chunks
    ]


def export_documents(export: RagExport, settings: Settings) -> Iterator[Document]:
    for job in export.jobs:
        yield from _documents("job", job.id, job_text(job), True,
                              {"status": job.status, "updated_at": _date(job.updated_at)}, settings)
    for incident in export.incidents:
        yield from _documents("incident", incident.id, incident_text(incident), True,
                              {"status": incident.status, "created_at": _date(incident.created_at)}, settings)
    for postmortem in export.postmortems:
        yield from _documents("postmortem", postmortem.id, postmortem.markdown, True,
                              {"incident_id": postmortem.incident_id or 0,
                               "created_at": _date(postmortem.created_at)}, settings)
    for entry in export.audit_logs:
        yield from _documents("audit_log", entry.id, audit_text(entry), False,
                              {"audience": "auditor", "created_at": _date(entry.at)}, settings)


def _cursor_file(settings: Settings) -> str:
    return str(settings.data_dir / "uhub-cursor.json")


def load_cursor(settings: Settings) -> str | None:
    try:
        with open(_cursor_file(settings)) as handle:
            return str(json.load(handle)["cursor"])
    except (FileNotFoundError, KeyError, ValueError):
        return None


def save_cursor(settings: Settings, cursor: str) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open(_cursor_file(settings) + ".tmp", "w") as handle:
        json.dump({"cursor": cursor}, handle)
    (settings.data_dir / "uhub-cursor.json.tmp").replace(settings.data_dir / "uhub-cursor.json")


async def ingest_uhub(settings: Settings, embeddings: Embeddings, client: UhubClient,
                      chroma: ClientAPI | None = None, full: bool = False) -> UhubIngestReport:
    started = time.perf_counter()
    before = None if full else load_cursor(settings)
    export = await client.export_rag(since=before)
    chroma = chroma or chroma_client(settings)
    namespace = f"{settings.collection_name}:{UHUB_ROOT}"
    documents = list(export_documents(export, settings))
    counts = index_documents(documents, namespace, settings, embeddings, chroma, cleanup="incremental",
                             what="ingestion of the uHub export")
    deleted = delete_sources([f"{UHUB_ROOT}:{t.kind}:{t.id}" for t in export.deleted], namespace, settings, chroma)
    refresh_keyword_index(chroma, settings)
    save_cursor(settings, export.cursor)
    return UhubIngestReport(
        cursor_before=before, cursor=export.cursor, jobs=len(export.jobs), incidents=len(export.incidents),
        postmortems=len(export.postmortems), audit_logs=len(export.audit_logs), chunks=len(documents),
        embedded=counts.embedded, deleted=counts.deleted + deleted, seconds=round(time.perf_counter() - started, 3),
    )
