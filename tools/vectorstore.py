"""The Chroma store: embedded persistent client by default, the HTTP client for a server."""

from __future__ import annotations

import chromadb
from chromadb.api import ClientAPI
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma
from langchain_core.embeddings import Embeddings

from aiops.errors import ServiceUnavailable
from aiops.settings import Settings


def chroma_client(settings: Settings) -> ClientAPI:
    # No telemetry: nothing leaves the team's machines.
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_mode == "http":
        try:
            return chromadb.HttpClient(
                host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings
            )
        except Exception as error:  # chromadb raises plain ValueError/ConnectError here
            raise ServiceUnavailable(
                f"Chroma server unreachable at {settings.chroma_host}:{settings.chroma_port}: {error}"
            ) from error
    settings.chroma_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(settings.chroma_dir), settings=chroma_settings)


def vector_store(settings: Settings, embeddings: Embeddings, client: ClientAPI | None = None) -> Chroma:
    return Chroma(
        collection_name=settings.collection_name,
        embedding_function=embeddings,
        client=client or chroma_client(settings),
        collection_metadata={"hnsw:space": "cosine"},
    )
