"""Code Reviewer speed, and secret detection on gitleaks' labelled strings.

    .venv/bin/python bench/review.py

1. A generated 5,000-line diff (compose, nginx, shell and Python files with a few planted problems):
   seconds to review it without the LLM step, then the LLM calls and seconds with the embedded model.
2. With ../shared/corpora/secrets present: each of gitleaks' 381 labelled strings added as a file of
   one diff; recall on the true positives and the share of false positives flagged.
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiops.settings import Settings  # noqa: E402
from graphs.reviewer import build_graph  # noqa: E402

TEMPLATES = {
    "compose/svc{n}/docker-compose.yml": [
        "services:", "  svc{n}:", "    image: registry.example.org/svc{n}:1.{n}", "    restart: unless-stopped",
        "    environment:", "      LOG_LEVEL: info", "    ports:", '      - "127.0.0.1:80{n:02d}:80"'],
    "nginx/sites-available/svc{n}.conf": [
        "server {{", "    listen 443 ssl http2;", "    server_name svc{n}.example.org;", "    location / {{",
        "        proxy_pass http://127.0.0.1:80{n:02d};", "    }}", "}}"],
    "scripts/deploy_{n}.sh": ["#!/usr/bin/env bash", "set -euo pipefail", "cd /srv/compose/svc{n}",
                              "docker compose pull", "docker compose up -d"],
    "tools/job_{n}.py": ["import os", "", "def run() -> None:", "    print('job {n}', os.environ.get('HOME'))"],
}
PLANTED = ['    privileged: true', 'DB_PASSWORD = "Xk9#mQ2vL7pR4wZ8"', "curl -sSL https://get.example.sh | bash",
           "chmod 777 /srv/data", "requests.get(url, verify=False)"]


def diff_of(files: dict[str, list[str]]) -> str:
    parts = []
    for path, lines in files.items():
        body = "".join(f"+{line}\n" for line in lines)
        parts.append(f"diff --git a/{path} b/{path}\nnew file mode 100644\n--- /dev/null\n+++ b/{path}\n"
                     f"@@ -0,0 +1,{len(lines)} @@\n{body}")
    return "".join(parts)


def generated(total_lines: int = 5000) -> str:
    rnd = random.Random(3)
    files: dict[str, list[str]] = {}
    count, n = 0, 0
    while count < total_lines:
        n += 1
        for path, template in TEMPLATES.items():
            lines = [line.format(n=n % 100) for line in template] * 3
            if rnd.random() < 0.1:
                lines.insert(rnd.randrange(len(lines)), rnd.choice(PLANTED))
            files[path.format(n=n)] = lines
            count += len(lines)
    return diff_of(files)


def review(diff: str, settings: Settings, use_llm: bool) -> tuple[float, dict]:
    graph = build_graph(settings=settings)
    started = time.perf_counter()
    result = asyncio.run(graph.ainvoke({"diff": diff, "use_llm": use_llm}))
    return time.perf_counter() - started, result


def gitleaks_detection(settings: Settings) -> str:
    corpus = ROOT.parent / "shared" / "corpora" / "secrets" / "gitleaks" / "rule_tps_fps_extracted.jsonl"
    if not corpus.exists():
        return "gitleaks corpus: ../shared/corpora/secrets not present, skipped"
    items = [json.loads(line) for line in corpus.read_text().splitlines() if line.strip()]
    files = {f"samples/{i:03d}_{item['rule_id'][:40]}.txt": item["text"].splitlines() or [""]
             for i, item in enumerate(items)}
    seconds, result = review(diff_of(files), settings, use_llm=False)
    flagged = {f.file for f in result["findings"] if f.rule == "hardcoded-secret"}
    truth = {path: item["label"] for path, item in zip(files, items, strict=True)}
    positives = [p for p, label in truth.items() if label == "true_positive"]
    negatives = [p for p, label in truth.items() if label != "true_positive"]
    recall = sum(p in flagged for p in positives) / len(positives)
    false_alarms = sum(p in flagged for p in negatives) / len(negatives)
    return (f"gitleaks labelled strings: recall {recall:.0%} on {len(positives)} true positives, "
            f"{false_alarms:.0%} of {len(negatives)} false positives flagged ({seconds:.1f} s, rules only)")


def main() -> None:
    diff = generated()
    added = sum(1 for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++"))
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir))
        seconds, result = review(diff, settings, use_llm=False)
        print(f"diff: {added} added lines in {result['files']} files")
        print(f"without the LLM step: {seconds:.2f} s, {len(result['findings'])} findings")
        seconds, result = review(diff, settings, use_llm=True)
        print(f"with the embedded LLM: {seconds:.2f} s, {result['llm_calls']} LLM calls "
              f"(cap AIOPS_REVIEW_MAX_LLM_CALLS={settings.review_max_llm_calls}), {len(result['findings'])} findings")
        print(gitleaks_detection(settings))


if __name__ == "__main__":
    main()
