"""Nodes of the RAG agent. Each returns an update; none mutates the state it is given."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from langchain_core.runnables import RunnableConfig
from langgraph.runtime import Runtime

from agents.rag.prompts import NO_ANSWER, QUESTION_TEMPLATE, SOURCE_TEMPLATE, SOURCES_LABEL, SYSTEM_PROMPT
from agents.rag.state import RagState, Source
from aiops.errors import InvalidInput
from aiops.llm import llm_errors
from aiops.roles import CallerContext, caller_roles
from aiops.text import Language, detect_language
from tools.retriever import RetrievedChunk, Retriever

Node = Callable[..., dict[str, Any]]
_CITATION = re.compile(r"\[(\d{1,2})\]")


def make_retrieve(retriever: Retriever, is_relevant: Callable[[RetrievedChunk], bool]) -> Node:
    def retrieve(state: RagState, runtime: Runtime[CallerContext], config: RunnableConfig) -> dict[str, Any]:
        question = (state.get("question") or "").strip()
        if not question:
            raise InvalidInput("the question is empty")
        chunks = retriever.search(question, state.get("k") or 5, caller_roles(runtime.context, config))
        return {
            "question": question,
            "language": detect_language(question),
            "chunks": chunks,
            "relevant": [chunk for chunk in chunks if is_relevant(chunk)],
        }

    return retrieve


def sources_of(chunks: list[RetrievedChunk]) -> list[Source]:
    return [
        Source(n=n, source=chunk.source, lines=list(chunk.lines), heading=chunk.heading,
               score=round(chunk.score, 6))
        for n, chunk in enumerate(chunks, start=1)
    ]


def build_messages(question: str, chunks: list[RetrievedChunk], language: Language,
                   max_context_chars: int) -> list[BaseMessage]:
    quoted: list[str] = []
    budget = max_context_chars
    for n, chunk in enumerate(chunks, start=1):
        text = chunk.text[: max(budget, 0)]
        # Our own delimiters cannot be closed from inside a document.
        text = text.replace("</source>", "</ source>")
        quoted.append(SOURCE_TEMPLATE.format(n=n, source=chunk.source, start=chunk.lines[0],
                                             end=chunk.lines[1], text=text))
        budget -= len(text)
    return [
        SystemMessage(SYSTEM_PROMPT[language]),
        HumanMessage(QUESTION_TEMPLATE[language].format(sources="\n\n".join(quoted), question=question)),
    ]


def drop_repeated_paragraphs(text: str) -> str:
    """Small models loop; a paragraph said once is enough."""
    seen: set[str] = set()
    kept: list[str] = []
    for paragraph in re.split(r"\n\s*\n", text.strip()):
        key = " ".join(paragraph.split()).lower()
        if key and key not in seen:
            seen.add(key)
            kept.append(paragraph)
    return "\n\n".join(kept)


def ensure_citations(answer: str, sources: list[Source], language: Language) -> str:
    """Keep citations that point at a real source; make sure at least one source is cited."""
    count = len(sources)
    answer = drop_repeated_paragraphs(answer)
    cleaned = _CITATION.sub(lambda m: m.group(0) if 1 <= int(m.group(1)) <= count else "", answer).strip()
    if not cleaned:
        cleaned = NO_ANSWER[language] if not sources else ""
    if sources and not _CITATION.search(cleaned):
        listed = ", ".join(f"[{s['n']}] {s['source']}" for s in sources)
        cleaned = f"{cleaned}\n\n{SOURCES_LABEL[language]} : {listed}".strip()
    return cleaned


def make_generate(model: BaseChatModel, max_context_chars: int = 6000) -> Node:
    def generate(state: RagState) -> dict[str, Any]:
        language = state.get("language", "en")
        chunks = state.get("relevant") or []
        messages = build_messages(state["question"], chunks, language, max_context_chars)
        with llm_errors("LLM"):
            reply = model.invoke(messages)
        sources = sources_of(chunks)
        return {"answer": ensure_citations(reply.text, sources, language), "sources": sources}

    return generate


def abstain(state: RagState) -> dict[str, Any]:
    """Nothing relevant was retrieved: say so instead of letting the model invent."""
    return {"answer": NO_ANSWER[state.get("language", "en")], "sources": []}
