"""understand -> fetch_uhub -> retrieve -> answer: live uHub context and docs, cited."""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.assistant.nodes import make_answer, make_fetch_uhub, make_understand
from agents.assistant.state import AssistantInput, AssistantOutput, AssistantState
from agents.rag.nodes import make_retrieve
from aiops.roles import CallerContext
from aiops.settings import Settings, get_settings
from tools.retriever import Retriever, is_relevant
from tools.uhub_client import UhubClient


def build_graph(
    model: BaseChatModel | None = None,
    checkpointer: BaseCheckpointSaver[str] | None = None,
    retriever: Retriever | None = None,
    uhub: Callable[[], UhubClient] | None = None,
    settings: Settings | None = None,
) -> CompiledStateGraph[AssistantState, CallerContext, AssistantInput, AssistantOutput]:
    settings = settings or get_settings()
    from aiops.runtime import uhub_factory

    if model is None or retriever is None:
        from aiops.runtime import default_chat_model, default_retriever

        model = model or default_chat_model(settings)
        retriever = retriever or default_retriever(settings)
    resolved = settings

    builder = StateGraph(AssistantState, input_schema=AssistantInput, output_schema=AssistantOutput,
                         context_schema=CallerContext)
    builder.add_node("understand", make_understand())
    builder.add_node("fetch_uhub", make_fetch_uhub(uhub or uhub_factory(settings)))
    builder.add_node("retrieve", make_retrieve(retriever, lambda chunk: is_relevant(chunk, resolved)))
    builder.add_node("answer", make_answer(model))
    builder.add_edge(START, "understand")
    builder.add_edge("understand", "fetch_uhub")
    builder.add_edge("fetch_uhub", "retrieve")
    builder.add_edge("retrieve", "answer")
    builder.add_edge("answer", END)
    return builder.compile(checkpointer=checkpointer, name="assistant")
