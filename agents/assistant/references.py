"""What a question refers to, found without an LLM: job, run and incident numbers, dates, periods."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from pydantic import BaseModel

from aiops.text import fold_accents

Period = Literal["today", "yesterday", "week", "month"]

_JOB = re.compile(r"\b(?:job|jobs|tache|taches|travail)\s*(?:n[o°]\.?\s*|#|numero\s*)?(\d{1,9})\b")
_RUN = re.compile(r"\b(?:run|execution)\s*(?:n[o°]\.?\s*|#)?(\d{1,9})\b")
_INCIDENT = re.compile(r"\b(?:incident|inc)\s*(?:n[o°]\.?\s*|#|-)?(\d{1,9})\b")
_DAY_MONTH = re.compile(r"\b(\d{1,2})/(\d{1,2})(?:/(\d{2}|\d{4}))?\b")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_PERIODS: list[tuple[Period, re.Pattern[str]]] = [
    ("month", re.compile(r"\b(ce mois|this month|du mois|last month|mois-ci)\b")),
    ("week", re.compile(r"\b(cette semaine|this week|last week|7 derniers jours|last 7 days)\b")),
    ("yesterday", re.compile(r"\b(hier|yesterday)\b")),
    ("today", re.compile(r"\b(aujourd'hui|aujourdhui|today)\b")),
]
_FAILURE = re.compile(r"\b(echou\w*|fail\w*|erreur\w*|error\w*|crash\w*|plant\w*|broke\w*|cass\w*)\b")


class References(BaseModel):
    job_ids: list[int] = []
    run_ids: list[int] = []
    incident_ids: list[int] = []
    dates: list[date] = []
    period: Period | None = None
    about_failures: bool = False

    def is_empty(self) -> bool:
        return not (self.job_ids or self.run_ids or self.incident_ids or self.dates or self.period)


def _unique(values: list[int]) -> list[int]:
    return list(dict.fromkeys(values))


def _dates(text: str, today: date) -> list[date]:
    found: list[date] = []
    for day, month, year in _DAY_MONTH.findall(text):
        full_year = today.year if not year else int(year) + (2000 if len(year) == 2 else 0)
        try:
            candidate = date(full_year, int(month), int(day))
        except ValueError:
            continue
        if not year and candidate > today:
            candidate = candidate.replace(year=candidate.year - 1)
        found.append(candidate)
    for year, month, day in _ISO_DATE.findall(text):
        try:
            found.append(date(int(year), int(month), int(day)))
        except ValueError:
            continue
    return list(dict.fromkeys(found))


def extract_references(question: str, today: date) -> References:
    text = fold_accents(question.lower())
    period = next((name for name, pattern in _PERIODS if pattern.search(text)), None)
    return References(
        job_ids=_unique([int(n) for n in _JOB.findall(text)]),
        run_ids=_unique([int(n) for n in _RUN.findall(text)]),
        incident_ids=_unique([int(n) for n in _INCIDENT.findall(text)]),
        dates=_dates(text, today),
        period=period,
        about_failures=bool(_FAILURE.search(text)),
    )


def period_start(period: Period, today: date) -> date:
    return {
        "today": today,
        "yesterday": today - timedelta(days=1),
        "week": today - timedelta(days=7),
        "month": today.replace(day=1),
    }[period]
