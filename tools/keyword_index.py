"""BM25 keyword index over the chunks in Chroma, kept on disk beside it.

Chroma is the source of truth; this index is derived from it after each ingestion and rebuilt
whenever its chunk count no longer matches the collection's.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
from chromadb.api.models.Collection import Collection
from pydantic import BaseModel

from aiops.settings import Settings
from aiops.text import keywords

_PAGE = 2000


def keyword_dir(settings: Settings) -> Path:
    return settings.data_dir / "keyword" / settings.collection_name


class KeywordHit(BaseModel):
    id: str
    score: float


def _collection_pages(collection: Collection) -> Iterator[tuple[list[str], list[str]]]:
    offset = 0
    while True:
        page = collection.get(include=["documents"], limit=_PAGE, offset=offset)
        ids = list(page["ids"])
        if not ids:
            return
        documents = [doc or "" for doc in (page["documents"] or [])]
        yield ids, documents
        offset += len(ids)


class KeywordIndex:
    def __init__(self, ids: list[str], model: bm25s.BM25 | None) -> None:
        self.ids = ids
        self._model = model

    @classmethod
    def build(cls, ids: list[str], texts: list[str]) -> KeywordIndex:
        if not ids:
            return cls([], None)
        corpus = [keywords(text) or ["\x00empty"] for text in texts]
        model = bm25s.BM25()
        model.index(corpus, show_progress=False)
        return cls(ids, model)

    @classmethod
    def from_collection(
        cls, collection: Collection, progress: Callable[[int], None] | None = None
    ) -> KeywordIndex:
        ids: list[str] = []
        texts: list[str] = []
        for page_ids, page_texts in _collection_pages(collection):
            ids.extend(page_ids)
            texts.extend(page_texts)
            if progress:
                progress(len(page_ids))
        return cls.build(ids, texts)

    def save(self, directory: Path) -> None:
        staging = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        if self._model is not None:
            self._model.save(str(staging), show_progress=False)
        (staging / "ids.json").write_text(json.dumps(self.ids))
        # Swap in one rename so that a reader never sees half an index.
        backup = directory.with_name(directory.name + ".old")
        shutil.rmtree(backup, ignore_errors=True)
        if directory.exists():
            directory.rename(backup)
        staging.rename(directory)
        shutil.rmtree(backup, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> KeywordIndex | None:
        ids_file = directory / "ids.json"
        if not ids_file.exists():
            return None
        ids: list[str] = json.loads(ids_file.read_text())
        if not ids:
            return cls([], None)
        model = bm25s.BM25.load(str(directory), show_progress=False, mmap=False)
        return cls(ids, model)

    def search(self, query: str, k: int) -> list[KeywordHit]:
        query_keys = keywords(query)
        if self._model is None or not query_keys:
            return []
        vocab: dict[str, Any] = self._model.vocab_dict
        known = [key for key in query_keys if key in vocab]
        if not known:
            return []
        k = min(k, len(self.ids))
        documents, scores = self._model.retrieve([known], k=k, show_progress=False, n_threads=1)
        hits = []
        for index, score in zip(np.asarray(documents)[0], np.asarray(scores)[0], strict=True):
            if score > 0:
                hits.append(KeywordHit(id=self.ids[int(index)], score=float(score)))
        return hits
