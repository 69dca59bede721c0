"""FinOps Advisor on real billing data: the FOCUS 1.0 sample of ../shared/corpora/focus.

    .venv/bin/python bench/finops.py

Budgets are scaled to the sample's small total (per ServiceName, 105 % of what it spent, so that
most cross 90 %); prints rows read, seconds for loading and detection,
and the alerts found. Rules only (no LLM), so the figures are the detector's.
"""

from __future__ import annotations

import asyncio
import csv
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiops.settings import Settings  # noqa: E402
from graphs.finops import build_graph  # noqa: E402
from tests.fakes import fake_model  # noqa: E402


def main() -> None:
    sample = ROOT.parent / "shared" / "corpora" / "focus" / "focus_sample.csv"
    if not sample.exists():
        print("../shared/corpora/focus not present: nothing to measure")
        return
    text = sample.read_text()
    spend: dict[str, float] = defaultdict(float)
    for row in csv.DictReader(text.splitlines()):
        spend[row["ServiceName"]] += float(row["EffectiveCost"] or 0)
    top = sorted(spend, key=lambda s: -spend[s])[:8]
    budgets = "currency: USD\nbudgets:\n" + "".join(
        f"  - service: \"{name}\"\n    monthly: {max(spend[name] * 1.05, 0.01):.4f}\n" for name in top)
    with tempfile.TemporaryDirectory() as data_dir:
        graph = build_graph(model=fake_model(), settings=Settings(data_dir=Path(data_dir), finops_max_llm_calls=0))
        started = time.perf_counter()
        result = asyncio.run(graph.ainvoke({"budgets_yaml": budgets, "usage_csv": text, "dry_run": True,
                                            "skip_bad_rows": True}))
        seconds = time.perf_counter() - started
    print(f"rows: {len(text.splitlines()) - 1} ({len(result['skipped_rows'])} skipped: negative usage costs), "
          f"services budgeted: {len(top)}, as of {result['as_of']}, {seconds:.2f} s")
    for alert in result["alerts"]:
        print(f"  {alert.service[:40]:<40} {alert.kind:<9} {alert.threshold:>3} %  spent {alert.spent:.4f} "
              f"of {alert.budget:.4f} {alert.currency}, forecast {alert.forecast:.4f}")


if __name__ == "__main__":
    main()
