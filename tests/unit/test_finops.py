"""The FinOps Advisor: budgets and usage validation, detection, checked advice, notifications once."""

import csv
import io
import json
from datetime import UTC, datetime

import pytest
from typer.testing import CliRunner

from agents.finops.budgets import parse_budgets
from agents.finops.nodes import figures_allowed
from aiops.cli import app
from aiops.errors import InvalidInput
from aiops.settings import get_settings
from graphs.finops import build_graph
from tests.conftest import make_settings
from tests.doubles.http import serve
from tests.doubles.prometheus import PrometheusHandler
from tests.doubles.sandbox import TOKEN
from tests.fakes import fake_model
from tools.uhub_client import UhubClient
from tools.usage import FocusCsv

pytestmark = pytest.mark.unit

BUDGETS = """currency: EUR
budgets:
  - service: dolibarr        # matches FOCUS rows whose ServiceName is "dolibarr"
    monthly: 120
    thresholds: [50, 75, 90, 100]
  - service: gitlab          # matched through Tags {"service": "gitlab"}
    monthly: 100
    thresholds: [100]
"""


def focus(rows):
    out = io.StringIO()
    writer = csv.DictWriter(out, ["BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart",
                                  "ServiceName", "ResourceId", "Tags"])
    writer.writeheader()
    for row in rows:
        writer.writerow({"ResourceId": "r", "BillingCurrency": "EUR", "Tags": "NULL", **row})
    return out.getvalue()


def september(day_costs, service="dolibarr", tags="NULL", name=None, days=range(1, 29)):
    return [{"BilledCost": f"{day_costs(d):.4f}", "EffectiveCost": f"{day_costs(d):.4f}",
             "ChargePeriodStart": f"2024-09-{d:02d} 00:00:00", "ServiceName": name or service, "Tags": tags}
            for d in days]


# Up to 28 September: dolibarr at 93 % of 120 with a forecast under 100 %;
# gitlab at 95 % of 100 (threshold only at 100) with a forecast over it.
SAMPLE = focus(september(lambda d: 120 * 0.93 / 28) + september(
    lambda d: 100 * 0.95 / 28, tags=json.dumps({"service": "gitlab"}), name="Public Cloud Instance"))


def graph(tmp_path, *answers, url="http://127.0.0.1:9"):
    return build_graph(model=fake_model(*answers), settings=make_settings(tmp_path / "data"),
                       uhub=lambda: UhubClient(url, TOKEN, timeout=5, retries=1, backoff=0.01))


def brief(alerts):
    return sorted((a.service, a.kind, a.threshold) for a in alerts)


async def test_a_90_percent_crossing_and_a_forecast_overrun_are_exactly_the_alerts(tmp_path):
    result = await graph(tmp_path, "x", "y").ainvoke({"budgets_yaml": BUDGETS, "usage_csv": SAMPLE, "dry_run": True})
    assert brief(result["alerts"]) == [("dolibarr", "threshold", 90), ("gitlab", "forecast", 100)]
    dolibarr, gitlab = sorted(result["alerts"], key=lambda a: a.service)
    assert dolibarr.spent == pytest.approx(111.6, abs=0.01)
    assert dolibarr.forecast == pytest.approx(111.6 / 28 * 30, abs=0.01)
    assert gitlab.forecast == pytest.approx(95 / 28 * 30, abs=0.01)
    assert str(result["as_of"]) == "2024-09-28"


async def test_notifications_go_once_per_service_threshold_and_period(tmp_path, sandbox):
    first = await graph(tmp_path, "a", "b", url=sandbox.url).ainvoke({"budgets_yaml": BUDGETS, "usage_csv": SAMPLE})
    assert len(first["notifications"]) == 2
    second = await graph(tmp_path, "a", "b", url=sandbox.url).ainvoke({"budgets_yaml": BUDGETS, "usage_csv": SAMPLE})
    assert second["notifications"] == []
    sent = sandbox.records("notification")
    assert sorted(n["service"] for n in sent) == ["dolibarr", "gitlab"]
    gitlab = next(n for n in sent if n["service"] == "gitlab")
    assert gitlab["data"]["kind"] == "forecast"
    assert gitlab["data"]["budget"] == 100


async def test_advice_with_a_figure_of_its_own_is_replaced_by_the_rules(tmp_path):
    honest = "Spend is at 111.60 EUR of 120.00 EUR: stop the idle staging VM."
    invented = "Move to reserved instances and save 37 % (about 44.50 EUR)."
    result = await graph(tmp_path, honest, invented).ainvoke(
        {"budgets_yaml": BUDGETS, "usage_csv": SAMPLE, "dry_run": True})
    dolibarr, gitlab = sorted(result["alerts"], key=lambda a: a.service)
    assert (dolibarr.advice, dolibarr.advice_by) == (honest, "model")
    assert gitlab.advice_by == "rules"
    assert "37" not in gitlab.advice
    assert figures_allowed("at 93 % of the budget", "Spent 111.60 EUR (93 % of the budget)")


async def test_a_day_over_day_anomaly(tmp_path):
    spike = focus(september(lambda d: 1.0 if d < 28 else 9.0, days=range(1, 29)))
    budgets = "currency: EUR\nbudgets:\n  - service: dolibarr\n    monthly: 200\n"
    result = await graph(tmp_path, "x").ainvoke({"budgets_yaml": budgets, "usage_csv": spike, "dry_run": True})
    (alert,) = result["alerts"]
    assert (alert.kind, alert.day_cost, alert.baseline_day_cost) == ("anomaly", 9.0, 1.0)


async def test_prometheus_feeds_the_same_pipeline(tmp_path):
    hour = 3600
    start = datetime(2024, 9, 1, tzinfo=UTC).timestamp()
    hours = range(28 * 24)
    series = {"dolibarr": [(start + h * hour, 120 * 0.93 / (28 * 24)) for h in hours],
              "gitlab": [(start + h * hour, 100 * 0.95 / (28 * 24)) for h in hours]}
    with serve(PrometheusHandler) as prometheus:
        prometheus.state["series"] = series
        result = await graph(tmp_path, "x", "y").ainvoke(
            {"budgets_yaml": BUDGETS, "prometheus_url": prometheus.url, "as_of": "2024-09-28", "dry_run": True})
        assert prometheus.state["query"]["step"] == ["3600"]
    assert brief(result["alerts"]) == [("dolibarr", "threshold", 90), ("gitlab", "forecast", 100)]


@pytest.mark.parametrize(("text", "message"), [
    ("currency: EUR\nbudgets:\n  - service: x\n    monthly: -5\n",
     r"budgets\[0\].monthly: Input should be greater than 0"),
    ("currency: euro\nbudgets:\n  - service: x\n    monthly: 5\n", "currency: String should match pattern"),
    ("currency: EUR\nbudgets:\n  - service: x\n    monthly: 5\n    thresholds: [0]\n", "thresholds"),
    ("currency: EUR\nbudgets:\n  - service: x\n    montly: 5\n",
     r"budgets\[0\].montly: Extra inputs are not permitted"),
    ("currency: EUR\nbudgets: [", "not valid YAML"),
])
def test_bad_budget_files_say_which_field(text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_budgets(text)


@pytest.mark.parametrize(("csv_text", "message"), [
    ("BilledCost,EffectiveCost\n1,1\n", "missing columns: BillingCurrency, ChargePeriodStart, ServiceName, Tags"),
    (focus([{"BilledCost": "1", "EffectiveCost": "-3.5", "ChargePeriodStart": "2024-09-01", "ServiceName": "a"}]),
     "line 2: EffectiveCost is negative"),
    (focus([{"BilledCost": "1", "EffectiveCost": "ten", "ChargePeriodStart": "2024-09-01", "ServiceName": "a"}]),
     "line 2: EffectiveCost is not a number"),
    (focus([{"BilledCost": "1", "EffectiveCost": "1", "ChargePeriodStart": "2024-09-01", "ServiceName": "a"},
            {"BilledCost": "1", "EffectiveCost": "1", "ChargePeriodStart": "2024-09-01", "ServiceName": "a",
             "BillingCurrency": "USD"}]), "mixed currencies"),
])
async def test_bad_usage_files_are_clear_errors(csv_text, message):
    from datetime import date

    with pytest.raises(InvalidInput, match=message):
        await FocusCsv(csv_text).usage({"a"}, date.min, date.max)


async def test_a_budget_for_a_service_absent_from_the_data(tmp_path):
    budgets = BUDGETS + "  - service: mattermost\n    monthly: 10\n"
    with pytest.raises(InvalidInput, match="no usage in the data: mattermost"):
        await graph(tmp_path).ainvoke({"budgets_yaml": budgets, "usage_csv": SAMPLE})


def test_cli_json(tmp_path, monkeypatch):
    (tmp_path / "budgets.yaml").write_text(BUDGETS)
    (tmp_path / "usage.csv").write_text(SAMPLE)
    monkeypatch.setenv("AIOPS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("AIOPS_FINOPS_MAX_LLM_CALLS", "0")
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(app, ["finops", "--usage", str(tmp_path / "usage.csv"), "--budgets",
                                          str(tmp_path / "budgets.yaml"), "--dry-run", "--json"])
        bad = CliRunner().invoke(app, ["finops", "--usage", str(tmp_path / "usage.csv"), "--budgets",
                                       str(tmp_path / "budgets.yaml"), "--as-of", "yesterday"])
    finally:
        get_settings.cache_clear()
    assert result.exit_code == 0, result.output
    alerts = json.loads(result.stdout)["alerts"]
    assert {"service", "kind", "threshold", "spent", "budget", "forecast", "advice"} <= set(alerts[0])
    assert bad.exit_code == 2
    assert "as_of" in bad.output


async def test_credits_may_be_negative_and_bad_rows_can_be_skipped_and_reported():
    from datetime import date

    rows = [{"BilledCost": "5", "EffectiveCost": "5", "ChargePeriodStart": "2024-09-01", "ServiceName": "a"},
            {"BilledCost": "-2", "EffectiveCost": "-2", "ChargePeriodStart": "2024-09-02", "ServiceName": "a",
             "ChargeCategory": "Credit"},
            {"BilledCost": "-1", "EffectiveCost": "-1", "ChargePeriodStart": "2024-09-03", "ServiceName": "a"}]
    csv_text = io.StringIO()
    writer = csv.DictWriter(csv_text, ["BilledCost", "EffectiveCost", "BillingCurrency", "ChargePeriodStart",
                                       "ServiceName", "Tags", "ChargeCategory"])
    writer.writeheader()
    for row in rows:
        writer.writerow({"BillingCurrency": "EUR", "Tags": "NULL", "ChargeCategory": "Usage", **row})
    with pytest.raises(InvalidInput, match="line 4: EffectiveCost is negative"):
        await FocusCsv(csv_text.getvalue()).usage({"a"}, date.min, date.max)
    usage = await FocusCsv(csv_text.getvalue(), skip_bad_rows=True).usage({"a"}, date.min, date.max)
    assert sum(d.cost for d in usage.daily) == 3.0
    assert usage.skipped == ["line 4: EffectiveCost is negative (-1) on a usage row"]
