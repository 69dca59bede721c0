"""Hybrid retrieval: dense (Chroma) and keyword (BM25) candidates fused by reciprocal rank."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from chromadb.api import ClientAPI
from chromadb.api.models.Collection import Collection
from langchain_core.embeddings import Embeddings
from pydantic import BaseModel, Field

from aiops.llm import llm_errors
from aiops.metrics import RETRIEVAL_SECONDS
from aiops.settings import Settings
from aiops.text import keywords, terms
from tools.keyword_index import KeywordIndex, keyword_dir
from tools.vectorstore import chroma_client

RRF_K = 60
DEFAULT_ROLES: tuple[str, ...] = ("viewer",)


class RetrievedChunk(BaseModel):
    id: str
    source: str
    lines: tuple[int, int]
    heading: str = ""
    text: str
    score: float
    dense_similarity: float | None = None
    keyword_coverage: float = 0.0
    metadata: dict[str, Any] = Field(default_factory=dict)


class Retriever(Protocol):
    def search(self, query: str, k: int, roles: Sequence[str] = DEFAULT_ROLES) -> list[RetrievedChunk]: ...


def audience_filter(roles: Sequence[str]) -> dict[str, Any]:
    """Chunks readable by everyone, or by one of the caller's roles."""
    return {"audience": {"$in": ["all", *sorted(set(roles) or set(DEFAULT_ROLES))]}}


def body_of(page_content: str) -> str:
    """Stored chunks start with a title line (source and heading) that helps embedding only."""
    return page_content.split("\n", 1)[1] if "\n" in page_content else page_content


def keyword_coverage(query: str, text: str) -> float:
    """Share of the question's terms that the text contains (any key of a term counts)."""
    query_terms = terms(query)
    if not query_terms:
        return 0.0
    present = set(keywords(text))
    return sum(1 for term in query_terms if any(key in present for key in term)) / len(query_terms)


def to_chunk(chunk_id: str, document: str, metadata: dict[str, Any], score: float,
             similarity: float | None, query: str) -> RetrievedChunk:
    return RetrievedChunk(
        id=chunk_id,
        source=str(metadata.get("source", "")),
        lines=(int(metadata.get("start_line", 0)), int(metadata.get("end_line", 0))),
        heading=str(metadata.get("heading", "")),
        text=body_of(document),
        score=score,
        dense_similarity=similarity,
        keyword_coverage=keyword_coverage(query, document),
        metadata=dict(metadata),
    )


class HybridRetriever:
    def __init__(self, settings: Settings, embeddings: Embeddings, client: ClientAPI | None = None) -> None:
        self.settings = settings
        self.embeddings = embeddings
        self._client = client
        self._keyword: KeywordIndex | None = None
        self._lock = threading.Lock()

    @property
    def collection(self) -> Collection:
        if self._client is None:
            self._client = chroma_client(self.settings)
        return self._client.get_or_create_collection(
            self.settings.collection_name, metadata={"hnsw:space": "cosine"}
        )

    def refresh_keyword_index(self) -> KeywordIndex:
        index = KeywordIndex.from_collection(self.collection)
        index.save(keyword_dir(self.settings))
        with self._lock:
            self._keyword = index
        return index

    def keyword_index(self, count: int | None = None) -> KeywordIndex:
        count = self.collection.count() if count is None else count
        with self._lock:
            if self._keyword is None:
                self._keyword = KeywordIndex.load(keyword_dir(self.settings))
            current = self._keyword
        if current is None or len(current.ids) != count:
            current = self.refresh_keyword_index()
        return current

    def search(self, query: str, k: int, roles: Sequence[str] = DEFAULT_ROLES) -> list[RetrievedChunk]:
        with RETRIEVAL_SECONDS.time():
            return self._search(query, k, roles)

    def _search(self, query: str, k: int, roles: Sequence[str]) -> list[RetrievedChunk]:
        collection = self.collection
        count = collection.count()
        if not query.strip() or count == 0:
            return []
        candidates = max(self.settings.retrieval_candidates, k)
        where = audience_filter(roles)

        with llm_errors("embedding model"):
            vector = self.embeddings.embed_query(query)
        dense = self._dense(collection, vector, candidates, where)
        found: dict[str, tuple[str, dict[str, Any]]] = {}
        similarity: dict[str, float] = {}
        fused: dict[str, float] = {}
        for rank, (chunk_id, text, meta, distance) in enumerate(dense):
            found[chunk_id] = (text, meta)
            similarity[chunk_id] = 1.0 - float(distance)
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank + 1)

        # Over-fetch keyword hits: some may be filtered out by the caller's roles.
        hits = self.keyword_index(count).search(query, k=candidates * 3)
        missing = [hit.id for hit in hits if hit.id not in found]
        if missing:
            # Filter roles here: Chroma's get() with a where clause scans the whole collection.
            allowed = set(where["audience"]["$in"])
            extra = collection.get(ids=missing, include=["documents", "metadatas"])
            for chunk_id, document, metadata in zip(
                extra["ids"], extra["documents"] or [], extra["metadatas"] or [], strict=True
            ):
                if (metadata or {}).get("audience", "all") in allowed:
                    found[chunk_id] = (document or "", dict(metadata or {}))
        rank = 0
        for hit in hits:
            if hit.id not in found:
                continue
            fused[hit.id] = fused.get(hit.id, 0.0) + 1.0 / (RRF_K + rank + 1)
            rank += 1
            if rank >= candidates:
                break

        best = sorted(fused, key=lambda chunk_id: fused[chunk_id], reverse=True)[:k]
        return [
            to_chunk(chunk_id, found[chunk_id][0], found[chunk_id][1], fused[chunk_id],
                     similarity.get(chunk_id), query)
            for chunk_id in best
        ]

    @staticmethod
    def _dense(collection: Collection, vector: list[float], candidates: int,
               where: dict[str, Any]) -> list[tuple[str, str, dict[str, Any], float]]:
        """Nearest chunks the caller may read.

        Chroma's where clause makes the query scan every record (270 ms at 100k chunks), so the
        unfiltered query goes first, over-fetching, and is filtered here; only when too few
        readable chunks come back does the filtered query run.
        """
        allowed = set(where["audience"]["$in"])
        embedding = np.asarray([vector], dtype=np.float32)
        include: Any = ["documents", "metadatas", "distances"]
        fetched = collection.query(query_embeddings=embedding, n_results=candidates * 2, include=include)
        rows = _rows(fetched)
        readable = [row for row in rows if row[2].get("audience", "all") in allowed]
        if len(readable) < candidates and len(rows) == candidates * 2:
            readable = _rows(collection.query(query_embeddings=embedding, n_results=candidates, where=where,
                                              include=include))
        return readable[:candidates]

    def is_relevant(self, chunk: RetrievedChunk) -> bool:
        return is_relevant(chunk, self.settings)


def _rows(result: Any) -> list[tuple[str, str, dict[str, Any], float]]:
    return [
        (chunk_id, document or "", dict(metadata or {}), float(distance))
        for chunk_id, document, metadata, distance in zip(
            result["ids"][0], (result["documents"] or [[]])[0], (result["metadatas"] or [[]])[0],
            (result["distances"] or [[]])[0], strict=True)
    ]


def is_relevant(chunk: RetrievedChunk, settings: Settings) -> bool:
    """Enough evidence that a chunk is about the question to answer from it."""
    dense_ok = chunk.dense_similarity is not None and chunk.dense_similarity >= settings.min_dense_similarity
    return dense_ok or chunk.keyword_coverage >= settings.min_keyword_coverage
