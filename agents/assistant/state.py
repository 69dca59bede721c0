"""State of the assistant: a conversation thread that keeps what the last questions referred to."""

from __future__ import annotations

from typing import Annotated, Literal, NotRequired

from langchain_core.messages import AnyMessage
from langgraph.graph.message import add_messages
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from agents.assistant.references import References
from agents.rag.state import Question
from aiops.text import Language
from tools.retriever import RetrievedChunk


class AssistantInput(BaseModel):
    question: Question = Field(description="A question about jobs, runs, incidents or the docs, in French or English.")


class AssistantSource(TypedDict):
    n: int
    source: str
    kind: str
    id: NotRequired[int]
    lines: NotRequired[list[int]]
    heading: NotRequired[str]


class AssistantOutput(TypedDict):
    answer: str
    sources: list[AssistantSource]
    language: Language


class UhubFact(BaseModel):
    """Live context read from uHub, quoted to the model and cited like a document."""

    kind: Literal["job", "run", "incident", "jobs", "incidents"]
    id: int | None = None
    title: str
    text: str
    lead: str = Field("", description="A sentence stating the key fact, written by code, that opens the answer.")

    @property
    def source(self) -> str:
        return f"uhub/{self.kind}/{self.id}" if self.id is not None else f"uhub/{self.kind}"


class AssistantState(TypedDict, total=False):
    messages: Annotated[list[AnyMessage], add_messages]
    question: str
    k: int
    language: Language
    references: References
    facts: list[UhubFact]
    notes: list[str]
    chunks: list[RetrievedChunk]
    relevant: list[RetrievedChunk]
    answer: str
    sources: list[AssistantSource]
