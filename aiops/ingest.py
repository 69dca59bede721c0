"""Ingestion: source trees to redacted, line-addressed chunks in Chroma, incrementally.

LangChain's indexing API with a SQLite record manager does the bookkeeping: unchanged chunks
are skipped (no embedding), changed ones replaced, chunks of deleted files removed. Each source
root has its own record namespace, so ingesting one tree never deletes another tree's chunks.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, Literal

from chromadb.api import ClientAPI
from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.indexing import index
from pydantic import BaseModel, Field

from aiops.chunking import Chunk, chunk_lines, chunk_markdown
from aiops.errors import AiopsError, InvalidInput
from aiops.llm import llm_errors
from aiops.redaction import SCANNER_VERSION, find_secrets, redact
from aiops.settings import Settings
from tools.keyword_index import KeywordIndex, keyword_dir
from tools.record_manager import SQLiteRecordManager
from tools.scan_cache import CleanScanCache
from tools.sources import SkippedFile, SourceFile, discover, git_head, git_toplevel, read_text
from tools.vectorstore import chroma_client

Progress = Callable[[str, int, int], None]


class IngestReport(BaseModel):
    sources: list[str]
    files: int = 0
    chunks: int = 0
    embedded: int = 0
    unchanged: int = 0
    deleted: int = 0
    redacted: int = 0
    skipped: list[SkippedFile] = Field(default_factory=list)
    seconds: float = 0.0


class _TrackingChroma(Chroma):
    """Remembers the ids it added, so that a failed run can take them back out."""

    added_ids: list[str]

    def add_documents(self, documents: list[Document], **kwargs: Any) -> list[str]:
        ids = super().add_documents(documents, **kwargs)
        self.added_ids.extend(ids)
        return ids


def chunk_key(document: Document) -> str:
    """Identity of a chunk for the record manager: its text and place, not the commit it came from.

    Leaving the commit out means a new commit that does not touch a file costs no embedding.
    """
    meta = document.metadata
    material = json.dumps(
        [document.page_content, meta["source_id"], meta["start_line"], meta["end_line"], meta["audience"]]
    )
    return hashlib.sha256(material.encode()).hexdigest()


def title_line(source: str, heading: str) -> str:
    return f"{source} > {heading}" if heading else source


def file_documents(source: SourceFile, text: str, root_label: str, commit: str,
                   settings: Settings) -> list[Document]:
    chunks: list[Chunk]
    if source.kind == "markdown":
        chunks = chunk_markdown(text, max_chars=settings.chunk_max_chars, overlap=0)
    else:
        chunks = chunk_lines(text.split("\n"), max_chars=settings.chunk_max_chars,
                             overlap=settings.chunk_overlap_lines)
    return [
        Document(
            page_content=f"{title_line(source.relative, chunk.heading)}\n{chunk.text}",
            metadata={
                "source": source.relative,
                "source_id": f"{root_label}:{source.relative}",
                "root": root_label,
                "start_line": chunk.start_line,
                "end_line": chunk.end_line,
                "heading": chunk.heading,
                "kind": source.kind,
                "doc_type": "file",
                "audience": "all",
                "commit": commit,
            },
        )
        for chunk in chunks
    ]


def _root_documents(
    root: Path, files: list[SourceFile], settings: Settings, report: IngestReport, strict: bool,
    progress: Progress | None,
) -> Iterator[Document]:
    commit = (git_head(root) or "") if git_toplevel(root) else ""
    scans = CleanScanCache(settings.data_dir / "records.sqlite", SCANNER_VERSION)
    label = root.name if root.is_dir() else root.parent.name
    for number, source in enumerate(files, start=1):
        try:
            text = read_text(source.path, settings.max_file_bytes)
        except InvalidInput as error:
            if strict:
                raise
            report.skipped.append(SkippedFile(path=source.relative, reason=error.message))
            continue
        digest = scans.digest(text.encode())
        secrets = {} if scans.is_clean(digest) else find_secrets(source.path)
        if not secrets:
            scans.mark_clean(digest)
        text, redacted = redact(text, secrets) if secrets else (text, 0)
        report.redacted += redacted
        documents = file_documents(source, text, label, commit, settings)
        report.files += 1
        report.chunks += len(documents)
        if progress:
            progress(source.relative, number, len(files))
        yield from documents


def ingest_paths(
    paths: Sequence[Path],
    settings: Settings,
    embeddings: Embeddings,
    client: ClientAPI | None = None,
    progress: Progress | None = None,
) -> IngestReport:
    """Index each path (a tree or one file); all paths are checked before anything is written."""
    if not paths:
        raise InvalidInput("nothing to ingest: give at least one path")
    roots = [path.expanduser().resolve() for path in paths]
    plans: list[tuple[Path, list[SourceFile]]] = []
    report = IngestReport(sources=[str(root) for root in roots])
    for root in roots:
        files, skipped = discover(root)
        if root.is_file():
            read_text(root, settings.max_file_bytes)  # a single named file must be readable
        report.skipped.extend(skipped)
        plans.append((root, files))

    started = time.perf_counter()
    client = client or chroma_client(settings)
    for root, files in plans:
        counts = index_documents(
            _root_documents(root, files, settings, report, root.is_file(), progress),
            f"{settings.collection_name}:{root}", settings, embeddings, client, cleanup="full",
            what=f"ingestion of {root}",
        )
        report.embedded += counts.embedded
        report.unchanged += counts.unchanged
        report.deleted += counts.deleted
    refresh_keyword_index(client, settings)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


class IndexCounts(BaseModel):
    embedded: int
    unchanged: int
    deleted: int


def index_documents(
    documents: Iterable[Document], namespace: str, settings: Settings, embeddings: Embeddings, client: ClientAPI,
    cleanup: Literal["full", "incremental"], what: str,
) -> IndexCounts:
    """One indexing run under a record namespace; a run that fails leaves the store as it was."""
    store = _TrackingChroma(
        collection_name=settings.collection_name, embedding_function=embeddings, client=client,
        collection_metadata={"hnsw:space": "cosine"},
    )
    store.added_ids = []
    manager = SQLiteRecordManager(namespace, settings.data_dir / "records.sqlite")
    manager.create_schema()
    existing = set(manager.list_keys())
    try:
        with llm_errors("embedding model"):
            result = index(documents, manager, store, cleanup=cleanup, source_id_key="source_id",
                           key_encoder=chunk_key, batch_size=64)
    except BaseException as error:
        _roll_back(store, manager, existing)
        if isinstance(error, AiopsError | KeyboardInterrupt):
            raise
        raise AiopsError(f"{what} failed and was rolled back: {error}") from error
    return IndexCounts(embedded=result["num_added"] + result["num_updated"], unchanged=result["num_skipped"],
                       deleted=result["num_deleted"])


def delete_sources(source_ids: Sequence[str], namespace: str, settings: Settings, client: ClientAPI) -> int:
    """Remove every chunk of the given source ids (records deleted upstream)."""
    if not source_ids:
        return 0
    manager = SQLiteRecordManager(namespace, settings.data_dir / "records.sqlite")
    manager.create_schema()
    keys = manager.list_keys(group_ids=list(source_ids))
    if keys:
        collection = client.get_or_create_collection(settings.collection_name, metadata={"hnsw:space": "cosine"})
        collection.delete(ids=keys)
        manager.delete_keys(keys)
    return len(keys)


def refresh_keyword_index(client: ClientAPI, settings: Settings) -> None:
    collection = client.get_or_create_collection(settings.collection_name, metadata={"hnsw:space": "cosine"})
    KeywordIndex.from_collection(collection).save(keyword_dir(settings))


def _roll_back(store: _TrackingChroma, manager: SQLiteRecordManager, existing: set[str]) -> None:
    """Remove what this run added that was not there before: the store goes back to its last state."""
    fresh = [chunk_id for chunk_id in store.added_ids if chunk_id not in existing]
    if fresh:
        store.delete(ids=fresh)
        manager.delete_keys(fresh)
