from __future__ import annotations

from pathlib import Path

import pytest
from langchain_core.embeddings import Embeddings

from aiops.ingest import IngestReport, ingest_paths
from aiops.models import LazyEmbeddings, _embedded_embeddings
from aiops.settings import Settings


@pytest.fixture(scope="session")
def minilm() -> Embeddings:
    """The real embedded all-MiniLM-L6-v2, loaded once for the whole run."""
    return LazyEmbeddings(_embedded_embeddings)


@pytest.fixture
def ingest(settings: Settings, minilm: Embeddings):
    def run(*paths: Path, embeddings: Embeddings | None = None) -> IngestReport:
        return ingest_paths(list(paths), settings, embeddings or minilm)

    return run
