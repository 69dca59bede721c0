"""load (budgets, usage) -> detect -> advise -> notify (uHub webhook through the outbox)."""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.finops.nodes import detect_alerts, make_advise, make_load, make_notify
from agents.finops.state import FinopsInput, FinopsOutput, FinopsState
from aiops.roles import CallerContext
from aiops.settings import Settings, get_settings
from tools.outbox import Outbox
from tools.uhub_client import UhubClient


def build_graph(
    model: BaseChatModel | None = None,
    checkpointer: BaseCheckpointSaver[str] | None = None,
    settings: Settings | None = None,
    uhub: Callable[[], UhubClient] | None = None,
) -> CompiledStateGraph[FinopsState, CallerContext, FinopsInput, FinopsOutput]:
    from aiops.runtime import default_chat_model, uhub_factory

    settings = settings or get_settings()
    model = model or default_chat_model(settings)

    builder = StateGraph(FinopsState, input_schema=FinopsInput, output_schema=FinopsOutput,
                         context_schema=CallerContext)
    builder.add_node("load", make_load(settings.finops_prometheus_query))
    builder.add_node("detect", detect_alerts)
    builder.add_node("advise", make_advise(model, settings.finops_max_llm_calls))
    builder.add_node("notify", make_notify(Outbox(settings.outbox_path), uhub or uhub_factory(settings)))
    builder.add_edge(START, "load")
    builder.add_edge("load", "detect")
    builder.add_edge("detect", "advise")
    builder.add_edge("advise", "notify")
    builder.add_edge("notify", END)
    return builder.compile(checkpointer=checkpointer, name="finops")
