"""group -> analyse (new clusters only) -> open_incidents (through the outbox)."""

from __future__ import annotations

from collections.abc import Callable

from langchain_core.language_models import BaseChatModel
from langgraph.checkpoint.base import BaseCheckpointSaver
from langgraph.graph import END, START, StateGraph
from langgraph.graph.state import CompiledStateGraph

from agents.sentinel.nodes import make_analyse, make_group, make_open_incidents
from agents.sentinel.signals import RuleSet, default_rules
from agents.sentinel.state import SentinelInput, SentinelOutput, SentinelState
from aiops.roles import CallerContext
from aiops.settings import Settings, get_settings
from tools.outbox import Outbox
from tools.sentinel_store import SentinelStore
from tools.uhub_client import UhubClient


def build_graph(
    model: BaseChatModel | None = None,
    checkpointer: BaseCheckpointSaver[str] | None = None,
    settings: Settings | None = None,
    rules: RuleSet | None = None,
    uhub: Callable[[], UhubClient] | None = None,
) -> CompiledStateGraph[SentinelState, CallerContext, SentinelInput, SentinelOutput]:
    from aiops.runtime import default_chat_model, uhub_factory

    settings = settings or get_settings()
    model = model or default_chat_model(settings)

    rules = rules or default_rules()
    builder = StateGraph(SentinelState, input_schema=SentinelInput, output_schema=SentinelOutput,
                         context_schema=CallerContext)
    builder.add_node("group", make_group(rules, settings))
    builder.add_node("analyse", make_analyse(model, SentinelStore(settings.data_dir / "sentinel.sqlite"), settings))
    builder.add_node("open_incidents", make_open_incidents(Outbox(settings.outbox_path), uhub or uhub_factory(settings),
                                                           settings))
    builder.add_edge(START, "group")
    builder.add_edge("group", "analyse")
    builder.add_edge("analyse", "open_incidents")
    builder.add_edge("open_incidents", END)
    return builder.compile(checkpointer=checkpointer, name="sentinel")
