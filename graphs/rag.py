"""retrieve -> generate (or abstain when nothing relevant was found)."""

from __future__ import annotations

from typing import Literal

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.rag.nodes import abstain, make_generate, make_retrieve
from agents.rag.state import RagInput, RagOutput, RagState
from aiops.roles import CallerContext
from aiops.settings import Settings, get_settings
from tools.retriever import Retriever, is_relevant


def route_after_retrieve(state: RagState) -> Literal["generate", "abstain"]:
    return "generate" if state.get("relevant") else "abstain"


def build_graph(
    model: BaseChatModel | None = None,
    checkpointer: BaseCheckpointSaver[str] | None = None,
    retriever: Retriever | None = None,
    settings: Settings | None = None,
) -> CompiledStateGraph[RagState, CallerContext, RagInput, RagOutput]:
    settings = settings or get_settings()
    if model is None or retriever is None:
        from aiops.runtime import default_chat_model, default_retriever

        model = model or default_chat_model(settings)
        retriever = retriever or default_retriever(settings)

    builder = StateGraph(RagState, input_schema=RagInput, output_schema=RagOutput, context_schema=CallerContext)
    builder.add_node("retrieve", make_retrieve(retriever, lambda chunk: is_relevant(chunk, settings)))
    builder.add_node("generate", make_generate(model))
    builder.add_node("abstain", abstain)
    builder.add_edge(START, "retrieve")
    builder.add_conditional_edges("retrieve", route_after_retrieve)
    builder.add_edge("generate", END)
    builder.add_edge("abstain", END)
    return builder.compile(checkpointer=checkpointer, name="rag")
