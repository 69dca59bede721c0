"""Budgets declared in the infrastructure repo (YAML), validated with a clear message per bad field."""

from __future__ import annotations

from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from aiops.errors import InvalidInput

DEFAULT_THRESHOLDS = [50, 75, 90, 100]


class Quotas(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cpu_cores: float | None = Field(None, gt=0)
    memory_gib: float | None = Field(None, gt=0)
    disk_gib: float | None = Field(None, gt=0)


class Budget(BaseModel):
    model_config = ConfigDict(extra="forbid")

    service: str = Field(min_length=1, description='Matches ServiceName, or Tags {"service": ...}.')
    monthly: float = Field(gt=0, description="Monthly budget in the file's currency.")
    thresholds: list[int] = Field(default_factory=lambda: list(DEFAULT_THRESHOLDS))
    quotas: Quotas | None = None

    @field_validator("thresholds")
    @classmethod
    def _sorted_percentages(cls, value: list[int]) -> list[int]:
        if not value:
            raise ValueError("at least one threshold")
        if any(t <= 0 or t > 1000 for t in value):
            raise ValueError("thresholds are percentages between 1 and 1000")
        return sorted(set(value))


class BudgetFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    currency: str = Field(pattern=r"^[A-Z]{3}$", description="ISO 4217 code, e.g. EUR.")
    budgets: list[Budget] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_services(self) -> BudgetFile:
        names = [b.service for b in self.budgets]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"a service has two budgets: {', '.join(duplicates)}")
        return self


def _where(location: tuple[Any, ...]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "file"


def parse_budgets(text: str, source: str = "budgets file") -> BudgetFile:
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise InvalidInput(f"{source}: not valid YAML: {error}") from error
    if not isinstance(data, dict):
        raise InvalidInput(f"{source}: expected a mapping with 'currency' and 'budgets'")
    try:
        return BudgetFile.model_validate(data)
    except ValidationError as error:
        problems = "; ".join(f"{_where(e['loc'])}: {e['msg']}" for e in error.errors())
        raise InvalidInput(f"{source}: {problems}") from error
