"""Nodes of the FinOps Advisor. Numbers come from code; the model only words the advice, and is checked."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from agents.finops.budgets import parse_budgets
from agents.finops.detect import detect
from agents.finops.prompts import ALERT_TEMPLATE, RULE_ADVICE, SYSTEM_PROMPT
from agents.finops.state import Alert, FinopsState
from aiops.errors import AiopsError, InvalidInput
from aiops.llm import llm_errors
from tools.outbox import Outbox
from tools.uhub_client import UhubClient
from tools.uhub_contract import Notification
from tools.usage import FocusCsv, PrometheusCost, UsageSource

Node = Callable[..., Any]
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?")
LEVEL: dict[str, Literal["info", "warning", "critical"]] = {
    "threshold": "warning", "forecast": "warning", "anomaly": "warning"}


def make_load(prometheus_query: str) -> Node:
    async def load(state: FinopsState) -> dict[str, Any]:
        budgets = parse_budgets(state.get("budgets_yaml") or "")
        services = {b.service for b in budgets.budgets}
        source: UsageSource
        as_of = _as_of(state.get("as_of"))
        if state.get("prometheus_url"):
            source = PrometheusCost(state["prometheus_url"], prometheus_query)
            as_of = as_of or datetime.now(UTC).date()  # live data: up to today
        elif state.get("usage_csv"):
            source = FocusCsv(state["usage_csv"], skip_bad_rows=bool(state.get("skip_bad_rows")))
        else:
            raise InvalidInput("no usage: give a FOCUS CSV export or a Prometheus URL")
        probe_end = as_of or date.max
        start = (as_of.replace(day=1) - timedelta(days=8)) if as_of else date.min
        usage = await source.usage(services, start, probe_end)
        if as_of is None:
            if usage.last_period is None:
                raise InvalidInput("the usage data has no charge period")
            as_of = usage.last_period
        if usage.currency and usage.currency != budgets.currency:
            raise InvalidInput(f"usage is in {usage.currency} but the budgets are in {budgets.currency}")
        unknown = sorted(services - usage.services())
        if unknown:
            raise InvalidInput(f"budgets name services with no usage in the data: {', '.join(unknown)} "
                               '(ServiceName or Tags {"service": ...} must match)')
        return {"budgets": budgets, "usage": usage, "as_of": as_of, "currency": budgets.currency,
                "skipped_rows": usage.skipped}

    return load


def _as_of(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidInput(f"as_of must be a date (YYYY-MM-DD), got {value!r}") from error


def detect_alerts(state: FinopsState) -> dict[str, Any]:
    as_of = _as_of(state.get("as_of"))
    if as_of is None:
        raise InvalidInput("as_of is missing")
    return {"alerts": detect(state["budgets"], state["usage"], as_of)}


def _facts(alert: Alert) -> dict[str, Any]:
    return {"service": alert.service, "kind": alert.kind, "threshold": alert.threshold,
            "spent": f"{alert.spent:.2f}", "budget": f"{alert.budget:.2f}", "forecast": f"{alert.forecast:.2f}",
            "currency": alert.currency, "as_of": alert.as_of.isoformat(), "day_cost": f"{alert.day_cost:.2f}",
            "baseline_day_cost": f"{alert.baseline_day_cost:.2f}",
            "spent_share": f"{alert.spent / alert.budget * 100:.0f}" if alert.budget else "0"}


def figures_allowed(text: str, given: str) -> bool:
    """Every number in the advice appears in what the model was given (to the cent)."""
    allowed = {float(n.replace(",", ".")) for n in _NUMBER.findall(given)}
    for found in _NUMBER.findall(text):
        value = float(found.replace(",", "."))
        if not any(abs(value - a) <= 0.005 + 1e-9 * abs(a) for a in allowed):
            return False
    return True


def rule_advice(alert: Alert) -> str:
    return RULE_ADVICE[alert.kind].format(**_facts(alert))


def make_advise(model: BaseChatModel, max_calls: int) -> Node:
    def advise(state: FinopsState) -> dict[str, Any]:
        advised: list[Alert] = []
        calls = 0
        for alert in state.get("alerts") or []:
            facts = _facts(alert)
            given = ALERT_TEMPLATE.format(**facts)
            text = ""
            if calls < max_calls:
                calls += 1
                try:
                    with llm_errors("LLM"):
                        text = " ".join(model.invoke([SystemMessage(SYSTEM_PROMPT), HumanMessage(given)]).text
                                        .split())[:600]
                except AiopsError:
                    text = ""
            if text and figures_allowed(text, given):
                advised.append(alert.model_copy(update={"advice": text, "advice_by": "model"}))
            else:
                advised.append(alert.model_copy(update={"advice": rule_advice(alert), "advice_by": "rules"}))
        return {"alerts": advised, "llm_calls": calls}

    return advise


def notification_key(alert: Alert) -> str:
    return f"finops-{alert.service}-{alert.kind}-{alert.threshold}-{alert.period}"


def make_notify(outbox: Outbox, client_factory: Callable[[], UhubClient]) -> Node:
    async def notify(state: FinopsState) -> dict[str, Any]:
        alerts = state.get("alerts") or []
        if state.get("dry_run") or not alerts:
            return {"notifications": []}
        fresh = []
        for alert in alerts:
            title = (f"{alert.service}: {alert.kind} {alert.threshold} % of {alert.budget:.2f} {alert.currency}"
                     if alert.kind != "anomaly" else f"{alert.service}: cost anomaly on {alert.as_of}")
            notification = Notification(title=title[:300], message=alert.advice, level=LEVEL[alert.kind],
                                        source="aiops-finops", service=alert.service,
                                        data=alert.model_dump(mode="json", exclude={"advice", "advice_by"}))
            _, created = outbox.enqueue("notification", notification, notification_key(alert))
            if created:
                fresh.append(notification_key(alert))
        if fresh:
            try:
                async with client_factory() as client:
                    await outbox.flush(client)
            except AiopsError:
                pass  # kept in the outbox for `aiops outbox flush`
        return {"notifications": fresh}

    return notify
