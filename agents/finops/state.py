"""State of the FinOps Advisor: usage and budgets in; alerts with their numbers and advice out."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field
from typing_extensions import TypedDict

from agents.finops.budgets import BudgetFile
from tools.usage import Usage

AlertKind = Literal["threshold", "forecast", "anomaly"]


class FinopsInput(BaseModel):
    budgets_yaml: str = Field(description="The budgets file (YAML) of the infrastructure repo.")
    usage_csv: str = Field("", description="A FOCUS CSV export; empty when Prometheus is the source.",
                           max_length=200_000_000)
    prometheus_url: str = Field("", description="Prometheus base URL, used instead of the CSV when set.")
    as_of: dt.date | None = Field(None, description="Default: the last charge period in the data.")
    skip_bad_rows: bool = Field(False, description="Skip and report unusable CSV rows instead of failing.")
    dry_run: bool = False


class Alert(BaseModel):
    service: str
    kind: AlertKind
    threshold: int = Field(description="Percent of the monthly budget (threshold, forecast) or 0 (anomaly).")
    spent: float = Field(description="Spend from the start of the month to as_of, included.")
    budget: float
    forecast: float = Field(description="Linear projection of month-to-date spend to the end of the month.")
    currency: str
    period: str = Field(description="The month, YYYY-MM.")
    as_of: dt.date
    day_cost: float = 0.0
    baseline_day_cost: float = 0.0
    advice: str = ""
    advice_by: Literal["model", "rules", ""] = ""


class FinopsOutput(TypedDict):
    alerts: list[Alert]
    as_of: dt.date
    currency: str
    notifications: list[str]
    llm_calls: int
    skipped_rows: list[str]


class FinopsState(TypedDict, total=False):
    budgets_yaml: str
    usage_csv: str
    prometheus_url: str
    as_of: dt.date | str | None
    skip_bad_rows: bool
    skipped_rows: list[str]
    dry_run: bool
    budgets: BudgetFile
    usage: Usage
    alerts: list[Alert]
    currency: str
    notifications: list[str]
    llm_calls: int
