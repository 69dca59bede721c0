"""The one settings object, read from the environment (prefix ``AIOPS_``)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Provider = Literal["embedded", "ollama"]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="AIOPS_", extra="ignore", frozen=True)

    data_dir: Path = Field(Path(".aiops"), description="Chroma store, indexes and all local state.")

    llm_provider: Provider = "embedded"
    embedding_provider: Provider = "embedded"
    ollama_base_url: str = "http://127.0.0.1:11434"
    ollama_chat_model: str = "mistral"
    ollama_embedding_model: str = "nomic-embed-text"
    llm_timeout_seconds: float = Field(120.0, gt=0)
    llm_max_tokens: int = Field(320, gt=0)
    llm_context_tokens: int = Field(4096, ge=512)
    llm_threads: int | None = Field(None, ge=1)
    llm_temperature: float = Field(0.0, ge=0)

    chroma_mode: Literal["persistent", "http"] = "persistent"
    chroma_host: str = "127.0.0.1"
    chroma_port: int = 8001
    collection: str = "aiops"

    uhub_url: str = Field("http://127.0.0.1:8900", description="Base URL of uHub (or of the sandbox).")
    uhub_token: str = Field("sandbox-token", description="Bearer token for uHub's API.")
    uhub_timeout_seconds: float = Field(10.0, gt=0)
    uhub_retries: int = Field(3, ge=1, le=10, description="Attempts on network errors and 5xx.")

    sentinel_incident_confidence: float = Field(0.7, ge=0, le=1, description="Opens an incident at or above.")
    sentinel_incident_min_events: int = Field(3, ge=1, description="A cluster smaller than this opens nothing.")
    sentinel_burst_events: int = Field(50, ge=2, description="Events from one client that make a burst...")
    sentinel_burst_window_seconds: float = Field(60.0, gt=0, description="...within this many seconds.")
    sentinel_workers: int = Field(1, ge=1, le=64, description="Processes grouping a large log (CLI: all cores).")
    sentinel_max_llm_calls: int = Field(20, ge=0, description="LLM analyses per run; the rest wait for the next.")

    review_language: Literal["fr", "en"] = Field("fr", description="Language of review comments.")
    review_max_llm_calls: int = Field(10, ge=0, description="LLM calls per review; hunks past it get rules only.")
    review_chunk_chars: int = Field(3000, ge=500, description="Added lines shown to the model per call.")

    finops_prometheus_query: str = Field(
        "sum by (service) (aiops_service_hourly_cost)", description="Hourly cost per service, for query_range.")
    finops_max_llm_calls: int = Field(20, ge=0, description="Advice written by the model per run; rules after.")

    api_keys: dict[str, list[str]] = Field(
        default_factory=dict, description='JSON: {"key": ["viewer"], ...}. Empty: open mode, every caller a viewer.')
    uhub_origin: str = Field("", description="The uHub origin allowed by CORS (e.g. https://hub.example.org).")
    max_request_bytes: int = Field(20_000_000, ge=1024, description="Larger request bodies get a 413.")

    max_file_bytes: int = Field(1_000_000, gt=0, description="Larger files are skipped at ingestion.")
    chunk_max_chars: int = Field(1500, ge=200)
    chunk_overlap_lines: int = Field(2, ge=0)

    retrieval_k: int = Field(5, ge=1, le=50)
    retrieval_candidates: int = Field(30, ge=1, le=500, description="Per retriever, before fusion.")
    min_dense_similarity: float = Field(
        0.35, description="Below this cosine similarity a dense hit alone does not count as relevant."
    )
    min_keyword_coverage: float = Field(
        0.5, description="Share of the question's keywords a keyword hit must contain to count as relevant."
    )

    def __hash__(self) -> int:
        # Frozen, but with a dict field (api_keys): hash the serialised values, so that the model
        # factories can cache per settings.
        return hash(self.model_dump_json())

    @property
    def outbox_path(self) -> Path:
        return self.data_dir / "outbox.sqlite"

    @property
    def chroma_dir(self) -> Path:
        return self.data_dir / "chroma"

    @property
    def embedding_model_id(self) -> str:
        if self.embedding_provider == "ollama":
            return f"ollama-{self.ollama_embedding_model}"
        return "all-MiniLM-L6-v2"

    @property
    def collection_name(self) -> str:
        """One collection per embedding model: vectors of different models must never mix."""
        slug = re.sub(r"[^a-zA-Z0-9_-]+", "-", self.embedding_model_id).strip("-").lower()
        return f"{self.collection}-{slug}"[:63]


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
