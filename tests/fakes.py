"""Test doubles that are not HTTP: a retriever over a fixed list and fake chat models."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage

from aiops.llm import JsonSchemaOutputMixin
from aiops.text import keywords
from tools.retriever import RetrievedChunk, keyword_coverage


def chunk(source: str, text: str, lines: tuple[int, int] = (1, 10), audience: str = "all") -> RetrievedChunk:
    return RetrievedChunk(id=f"{source}:{lines[0]}", source=source, lines=lines, text=text, score=0.0,
                          metadata={"audience": audience})


class ListRetriever:
    """Keyword overlap over a fixed list; records the roles it was asked with."""

    def __init__(self, chunks: list[RetrievedChunk]) -> None:
        self.chunks = chunks
        self.calls: list[tuple[str, int, tuple[str, ...]]] = []

    def search(self, query: str, k: int, roles: Sequence[str] = ("viewer",)) -> list[RetrievedChunk]:
        self.calls.append((query, k, tuple(roles)))
        query_keys = set(keywords(query))
        allowed = {"all", *roles}
        scored = []
        for item in self.chunks:
            if item.metadata.get("audience", "all") not in allowed:
                continue
            overlap = len(query_keys & set(keywords(item.text)))
            if overlap:
                scored.append(item.model_copy(update={
                    "score": float(overlap), "keyword_coverage": keyword_coverage(query, item.text),
                }))
        return sorted(scored, key=lambda c: -c.score)[:k]


def fake_model(*answers: str) -> GenericFakeChatModel:
    """A chat model that answers each call with the next text, and fails if called once too often."""
    return GenericFakeChatModel(messages=iter([AIMessage(content=a) for a in answers]))


class RecordingFakeModel(GenericFakeChatModel):
    """Also keeps the messages it was sent, to check what reached the model."""

    seen: list[list[BaseMessage]] = []  # noqa: RUF012 - reset per instance by recording_model

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> Any:
        self.seen.append(list(messages))
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def recording_model(*answers: str) -> RecordingFakeModel:
    model = RecordingFakeModel(messages=iter([AIMessage(content=a) for a in answers]))
    model.seen = []
    return model


def never_called() -> Iterator[AIMessage]:
    raise AssertionError("the model must not be called")
    yield  # pragma: no cover


class FakeStructuredModel(JsonSchemaOutputMixin, GenericFakeChatModel):
    """A fake chat model that also offers ``with_structured_output(method="json_schema")``; counts calls."""

    calls: int = 0

    def _generate(self, messages: list[BaseMessage], stop: Any = None, run_manager: Any = None,
                  **kwargs: Any) -> Any:
        self.calls += 1
        return super()._generate(messages, stop=stop, run_manager=run_manager, **kwargs)


def structured_model(*answers: str) -> FakeStructuredModel:
    return FakeStructuredModel(messages=iter([AIMessage(content=a) for a in answers]))
