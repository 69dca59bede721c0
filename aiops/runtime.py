"""The default, lazily built dependencies of the graphs: one of each per process and settings."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from langchain_core.language_models import BaseChatModel

from aiops.models import chat_model, embeddings
from aiops.settings import Settings
from tools.retriever import HybridRetriever
from tools.uhub_client import UhubClient


def default_chat_model(settings: Settings) -> BaseChatModel:
    return chat_model(settings)


@lru_cache(maxsize=4)
def default_retriever(settings: Settings) -> HybridRetriever:
    return HybridRetriever(settings, embeddings(settings))


def uhub_factory(settings: Settings) -> Callable[[], UhubClient]:
    """A fresh uHub client per use, from settings (each node run opens and closes its own)."""

    def make() -> UhubClient:
        return UhubClient.from_settings(settings)

    return make
