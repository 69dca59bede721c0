"""Where spend comes from: a FinOps FOCUS CSV export, or Prometheus' HTTP API, behind one interface.

Both give daily cost per service for a period; FOCUS rows are matched to a service by ServiceName
or by a "service" key in their Tags JSON.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Protocol

import httpx
from pydantic import BaseModel

from aiops.errors import InvalidInput, ServiceUnavailable, UpstreamError

REFUNDS = {"Credit", "Adjustment"}
FOCUS_REQUIRED = ("BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart", "ServiceName", "Tags")
MAX_ERRORS_SHOWN = 5


class DailyCost(BaseModel):
    service: str
    day: date
    cost: float


class Usage(BaseModel):
    currency: str
    last_period: date | None
    daily: list[DailyCost]
    skipped: list[str] = []

    def services(self) -> set[str]:
        return {d.service for d in self.daily}


class UsageSource(Protocol):
    async def usage(self, services: set[str], start: date, end: date) -> Usage: ...


def _service_of(row: dict[str, str], services: set[str]) -> str:
    name = row.get("ServiceName") or ""
    if name in services:
        return name
    tags = row.get("Tags") or ""
    if tags and tags != "NULL":
        try:
            parsed = json.loads(tags)
        except ValueError:
            return name
        if isinstance(parsed, dict) and str(parsed.get("service", "")) in services:
            return str(parsed["service"])
    return name


def _amount(value: str | None) -> Decimal:
    return Decimal(value) if value not in (None, "", "NULL") else Decimal()


def _amount_problem(value: str | None, negative_allowed: bool = False) -> str:
    """Why a cost cell is unusable, or ""."""
    try:
        amount = _amount(value)
    except InvalidOperation:
        return f"is not a number ({value!r})"
    if not amount.is_finite():
        return f"is not finite ({value!r})"
    if amount < 0 and not negative_allowed:
        return f"is negative ({value}) on a usage row"
    return ""


class FocusCsv:
    """A FOCUS 1.0 CSV export; every row is checked, and the first problems are reported by line."""

    def __init__(self, text: str, source: str = "usage file", skip_bad_rows: bool = False) -> None:
        self.text = text
        self.source = source
        self.skip_bad_rows = skip_bad_rows

    async def usage(self, services: set[str], start: date, end: date) -> Usage:
        reader = csv.DictReader(io.StringIO(self.text))
        missing = [c for c in FOCUS_REQUIRED if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInput(f"{self.source}: not a FOCUS export, missing columns: {', '.join(missing)}")
        totals: dict[tuple[str, date], Decimal] = defaultdict(Decimal)
        currencies: set[str] = set()
        errors: list[str] = []
        last: date | None = None
        for number, row in enumerate(reader, start=2):
            # Credits, adjustments and corrections may be negative in FOCUS; usage may not.
            refund = row.get("ChargeCategory") in REFUNDS or row.get("ChargeClass") == "Correction"
            problem = next((f"{column} {_amount_problem(row[column], refund)}" for column in ("EffectiveCost",
                            "BilledCost") if _amount_problem(row[column], refund)), None)
            if problem:
                errors.append(f"line {number}: {problem}")
                continue
            cost = _amount(row["EffectiveCost"])
            try:
                day = datetime.fromisoformat(row["ChargePeriodStart"].replace(" ", "T")).date()
            except (ValueError, AttributeError):
                errors.append(f"line {number}: ChargePeriodStart is not a date ({row['ChargePeriodStart']!r})")
                continue
            currency = (row["BillingCurrency"] or "").strip()
            if currency:
                currencies.add(currency)
            last = day if last is None or day > last else last
            if start <= day <= end:
                totals[(_service_of(row, services), day)] += cost
        if errors and self.skip_bad_rows:
            skipped, errors = errors, []
        else:
            skipped = []
        if errors:
            more = f" (and {len(errors) - MAX_ERRORS_SHOWN} more)" if len(errors) > MAX_ERRORS_SHOWN else ""
            raise InvalidInput(f"{self.source}: {'; '.join(errors[:MAX_ERRORS_SHOWN])}{more}")
        if len(currencies) > 1:
            raise InvalidInput(f"{self.source}: mixed currencies ({', '.join(sorted(currencies))}); "
                               "export one currency per file")
        return Usage(currency=next(iter(currencies), ""), last_period=last, skipped=skipped,
                     daily=[DailyCost(service=s, day=d, cost=float(c)) for (s, d), c in sorted(totals.items())])


class PrometheusCost:
    """Hourly cost per service from ``query_range`` (e.g. an OpenCost-style metric), summed per day."""

    def __init__(self, url: str, query: str, label: str = "service", timeout: float = 30.0,
                 transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.url = url.rstrip("/")
        self.query = query
        self.label = label
        self.timeout = timeout
        self.transport = transport

    async def usage(self, services: set[str], start: date, end: date) -> Usage:
        begin = datetime.combine(start, datetime.min.time(), tzinfo=UTC)
        finish = datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=UTC) - timedelta(hours=1)
        params: dict[str, str | float] = {"query": self.query, "start": begin.timestamp(),
                                          "end": finish.timestamp(), "step": 3600}
        try:
            async with httpx.AsyncClient(timeout=self.timeout, transport=self.transport) as client:
                response = await client.get(f"{self.url}/api/v1/query_range", params=params)
        except httpx.TransportError as error:
            raise ServiceUnavailable(f"Prometheus unreachable at {self.url}: {error!r}") from error
        try:
            body = response.json()
        except ValueError as error:
            raise UpstreamError(f"Prometheus answered {response.status_code} without JSON") from error
        if response.status_code != 200 or body.get("status") != "success":
            raise UpstreamError(f"Prometheus query failed ({response.status_code}): {body.get('error', body)}")
        totals: dict[tuple[str, date], float] = defaultdict(float)
        last: date | None = None
        for series in body.get("data", {}).get("result", []):
            service = str(series.get("metric", {}).get(self.label, ""))
            for timestamp, value in series.get("values", []):
                day = datetime.fromtimestamp(float(timestamp), UTC).date()
                cost = float(value)
                if cost < 0 or cost != cost:
                    raise UpstreamError(f"Prometheus returned a negative or NaN cost for {service} on {day}")
                totals[(service, day)] += cost
                last = day if last is None or day > last else last
        return Usage(currency="", last_period=last,
                     daily=[DailyCost(service=s, day=d, cost=c) for (s, d), c in sorted(totals.items())])
