"""Detection without an LLM: spend to date, month-end forecast, threshold crossings, day-over-day anomalies."""

from __future__ import annotations

import calendar
from collections import defaultdict
from datetime import date, timedelta

from agents.finops.budgets import Budget, BudgetFile
from agents.finops.state import Alert
from tools.usage import Usage

ANOMALY_WINDOW_DAYS = 7
ANOMALY_FACTOR = 2.0  # the last day costs at least twice the mean of the days before
ANOMALY_MIN_SHARE = 0.02  # and the jump is at least 2 % of the monthly budget


def month_bounds(as_of: date) -> tuple[date, int]:
    return as_of.replace(day=1), calendar.monthrange(as_of.year, as_of.month)[1]


def detect(budgets: BudgetFile, usage: Usage, as_of: date) -> list[Alert]:
    start, days_in_month = month_bounds(as_of)
    elapsed = (as_of - start).days + 1
    by_service: dict[str, dict[date, float]] = defaultdict(dict)
    for row in usage.daily:
        by_service[row.service][row.day] = by_service[row.service].get(row.day, 0.0) + row.cost
    alerts: list[Alert] = []
    for budget in budgets.budgets:
        days = by_service.get(budget.service, {})
        spent = sum(cost for day, cost in days.items() if start <= day <= as_of)
        forecast = spent / elapsed * days_in_month
        base = {"service": budget.service, "spent": round(spent, 6), "budget": budget.monthly,
                "forecast": round(forecast, 6), "currency": budgets.currency, "period": f"{as_of:%Y-%m}",
                "as_of": as_of}
        crossed = [t for t in budget.thresholds if spent >= budget.monthly * t / 100]
        if crossed:
            alerts.append(Alert(kind="threshold", threshold=max(crossed), **base))
        if forecast > budget.monthly and spent < budget.monthly:
            alerts.append(Alert(kind="forecast", threshold=100, **base))
        anomaly = _anomaly(budget, days, as_of)
        if anomaly:
            alerts.append(Alert(kind="anomaly", threshold=0, day_cost=round(anomaly[0], 6),
                                baseline_day_cost=round(anomaly[1], 6), **base))
    return alerts


def _anomaly(budget: Budget, days: dict[date, float], as_of: date) -> tuple[float, float] | None:
    previous = [days.get(as_of - timedelta(days=n), 0.0) for n in range(1, ANOMALY_WINDOW_DAYS + 1)]
    if not any(previous):
        return None
    today = days.get(as_of, 0.0)
    mean = sum(previous) / len(previous)
    if today >= mean * ANOMALY_FACTOR and today - mean >= budget.monthly * ANOMALY_MIN_SHARE:
        return today, mean
    return None
