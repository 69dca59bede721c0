"""State of the "talk to your infra" agent: the input is narrower than what the graph keeps."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints
from typing_extensions import TypedDict

from aiops.text import Language
from tools.retriever import RetrievedChunk

Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]


class RagInput(BaseModel):
    question: Question = Field(description="A question about the infrastructure, in French or English.")
    k: int = Field(5, ge=1, le=20, description="How many passages to retrieve.")


class Source(TypedDict):
    n: int
    source: str
    lines: list[int]
    heading: str
    score: float


class RagOutput(TypedDict):
    answer: str
    sources: list[Source]
    language: Language


class RagState(TypedDict, total=False):
    question: str
    k: int
    language: Language
    chunks: list[RetrievedChunk]
    relevant: list[RetrievedChunk]
    answer: str
    sources: list[Source]
