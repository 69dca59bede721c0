"""parse -> check (rules, secrets) -> llm_review (may add) -> decide (blocking, uHub job)."""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.reviewer.nodes import make_check, make_decide, make_llm_review, make_parse
from agents.reviewer.state import ReviewInput, ReviewOutput, ReviewState
from aiops.roles import CallerContext
from aiops.settings import Settings, get_settings
from tools.outbox import Outbox
from tools.uhub_client import UhubClient


def build_graph(
    model: BaseChatModel | None = None,
    checkpointer: BaseCheckpointSaver[str] | None = None,
    settings: Settings | None = None,
    uhub: Callable[[], UhubClient] | None = None,
) -> CompiledStateGraph[ReviewState, CallerContext, ReviewInput, ReviewOutput]:
    from aiops.runtime import default_chat_model, uhub_factory

    settings = settings or get_settings()
    model = model or default_chat_model(settings)

    builder = StateGraph(ReviewState, input_schema=ReviewInput, output_schema=ReviewOutput,
                         context_schema=CallerContext)
    builder.add_node("parse", make_parse())
    builder.add_node("check", make_check(settings))
    builder.add_node("llm_review", make_llm_review(model, settings))
    builder.add_node("decide", make_decide(Outbox(settings.outbox_path), uhub or uhub_factory(settings)))
    builder.add_edge(START, "parse")
    builder.add_edge("parse", "check")
    builder.add_edge("check", "llm_review")
    builder.add_edge("llm_review", "decide")
    builder.add_edge("decide", END)
    return builder.compile(checkpointer=checkpointer, name="reviewer")
