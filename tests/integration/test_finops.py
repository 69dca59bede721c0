"""The FinOps Advisor with the embedded model on the example repo's budgets and FOCUS export."""

import pytest

from graphs.finops import build_graph
from tests.conftest import EXAMPLE_REPO
from tests.doubles.sandbox import TOKEN
from tools.uhub_client import UhubClient

pytestmark = pytest.mark.integration


async def test_example_budgets_with_the_embedded_model(settings, sandbox):
    finops = EXAMPLE_REPO / "finops"
    graph = build_graph(settings=settings, uhub=lambda: UhubClient(sandbox.url, TOKEN, timeout=5, retries=1))
    request = {"budgets_yaml": (finops / "budgets.yaml").read_text(),
               "usage_csv": (finops / "focus-usage.csv").read_text()}
    result = await graph.ainvoke(request)
    assert str(result["as_of"]) == "2026-09-28"
    kinds = {(a.service, a.kind) for a in result["alerts"]}
    assert ("dolibarr", "threshold") in kinds
    assert all(a.advice for a in result["alerts"])
    assert all(a.advice_by in {"model", "rules"} for a in result["alerts"])
    assert len(sandbox.records("notification")) == len(result["alerts"])
    again = await build_graph(settings=settings, uhub=lambda: UhubClient(sandbox.url, TOKEN)).ainvoke(request)
    assert again["notifications"] == []
