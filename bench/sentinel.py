"""Log Sentinel speed and LLM economy, and detection on CrowdSec's labelled attack logs.

    .venv/bin/python bench/sentinel.py [LINES]

Generates LINES (default 1,000,000) realistic nginx error and access lines (attacks, misconfigurations,
noise; many clients, mostly repeated paths as real logs have, some unique ids), then prints lines/s
for our parse+group (with signals) and for Drain3 with IP and number masking on the same lines, the
ratio, the number of templates each finds, and the LLM calls the graph makes (a counting fake model)
against the number of new clusters. With ../shared/corpora/crowdsec-hub-tests present, it also says
how many of CrowdSec's scenario logs the rules flag as an attack.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agents.sentinel.grouping import group_lines, group_lines_parallel  # noqa: E402
from agents.sentinel.signals import default_rules  # noqa: E402
from aiops.settings import Settings  # noqa: E402
from graphs.sentinel import build_graph  # noqa: E402
from tests.fakes import structured_model  # noqa: E402

ERRORS = [
    ('open() "/var/www/html{path}" failed (2: No such file or directory)', "GET {path} HTTP/1.1", ""),
    ("upstream timed out (110: Connection timed out) while reading response header from upstream",
     "POST /compta/facture/card.php?id={n} HTTP/1.1", ', upstream: "http://127.0.0.1:8081/compta/facture/card.php"'),
    ("connect() failed (111: Connection refused) while connecting to upstream", "GET /index.php HTTP/1.1",
     ', upstream: "http://127.0.0.1:8081/index.php"'),
    ("client intended to send too large body: {n} bytes", "POST /document.php?action=upload HTTP/1.1", ""),
    ('open() "/var/www/html/theme/eldy/img/{n}.png" failed (13: Permission denied)', "GET /theme/{n}.png HTTP/1.1", ""),
    ("limiting requests, excess: {n}.{n} by zone \"perip\"", "GET /index.php HTTP/1.1", ""),
    ("an upstream response is buffered to a temporary file /var/cache/nginx/proxy_temp/{n}/00/000{n} while "
     "reading upstream", "GET /export.php?id={n} HTTP/1.1", ""),
]
PATHS = ["/.env", "/.git/config", "/wp-login.php", "/favicon.ico", "/robots.txt", "/index.php", "/phpmyadmin/",
         "/css/app.css", "/api/v1/invoices/{n}", "/../../etc/passwd", "/item?id=1%20UNION%20SELECT%20pass",
         "/product/{n}", "/admin/config.php.bak"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64)", "curl/8.5.0", "sqlmap/1.7", "Googlebot/2.1", "python-requests/2.31"]


def generate(count: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    clients = [f"{rnd.randint(1, 223)}.{rnd.randint(0, 255)}.{rnd.randint(0, 255)}.{rnd.randint(1, 254)}"
               for _ in range(5000)]
    lines = []
    for i in range(count):
        client = rnd.choice(clients)
        n = rnd.randint(1, 10**6)
        second = f"{(i // 60) % 60:02d}:{i % 60:02d}"
        if i % 3:
            message, request, extra = rnd.choice(ERRORS)
            path = rnd.choice(PATHS).format(n=n)
            lines.append(f"2024/11/20 10:{second} [error] 1234#1234: *{i} {message.format(path=path, n=n)}, "
                         f'client: {client}, server: erp.example.org, request: "{request.format(path=path, n=n)}"'
                         f'{extra}, host: "erp.example.org"')
        else:
            path = rnd.choice(PATHS).format(n=n)
            status = rnd.choice([200, 200, 200, 301, 404, 404, 403, 500])
            lines.append(f'{client} - - [20/Nov/2024:10:{second} +0000] "GET {path} HTTP/1.1" {status} '
                         f'{rnd.randint(100, 90000)} "-" "{rnd.choice(AGENTS)}"')
    return lines


def drain3_rate(lines: list[str]) -> tuple[float, int]:
    from drain3 import TemplateMiner
    from drain3.masking import MaskingInstruction
    from drain3.template_miner_config import TemplateMinerConfig

    config = TemplateMinerConfig()
    config.profiling_enabled = False
    config.masking_instructions = [
        MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})((?=[^A-Za-z0-9])|$)", "IP"),
        MaskingInstruction(r"((?<=[^A-Za-z0-9])|^)([\-\+]?\d+)((?=[^A-Za-z0-9])|$)", "NUM"),
    ]
    miner = TemplateMiner(config=config)
    started = time.perf_counter()
    for line in lines:
        miner.add_log_message(line)
    return len(lines) / (time.perf_counter() - started), len(miner.drain.clusters)


def crowdsec_detection() -> str:
    corpus = ROOT.parent / "shared" / "corpora" / "crowdsec-hub-tests"
    if not corpus.is_dir():
        return "crowdsec corpus: ../shared/corpora/crowdsec-hub-tests not present, skipped"
    rules = default_rules()
    flagged, total, lines, unparsed = [], 0, 0, 0
    for folder in sorted(p for p in corpus.iterdir() if p.is_dir()):
        logs = list(folder.glob("*.log"))
        if not logs:
            continue
        total += 1
        grouping = group_lines([line for log in logs for line in log.read_text(errors="replace").splitlines()], rules)
        lines += grouping.lines
        unparsed += grouping.unparsed
        if any(rules.category(signal) == "attack" for (_, signal) in grouping.clusters if signal):
            flagged.append(folder.name)
    missed = sorted({p.name for p in corpus.iterdir() if p.is_dir()} - set(flagged))
    return (f"crowdsec corpus: {len(flagged)}/{total} scenario logs flagged as attack by the rules alone "
            f"({lines} lines, {unparsed} unparsed); not flagged: {', '.join(missed)}")


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    lines = generate(count)
    rules = default_rules()
    started = time.perf_counter()
    grouping = group_lines(lines, rules)
    ours = count / (time.perf_counter() - started)
    workers = os.cpu_count() or 1
    started = time.perf_counter()
    group_lines_parallel(lines, rules, workers)
    parallel = count / (time.perf_counter() - started)
    templates = len({template for template, _ in grouping.clusters})
    print(f"lines: {count}")
    print(f"parse+group (with signals), one process: {ours:,.0f} lines/s, {templates} templates, "
          f"{len(grouping.clusters)} clusters, {grouping.unparsed} unparsed")
    print(f"parse+group, {workers} processes (what `aiops sentinel analyze` uses): {parallel:,.0f} lines/s")
    drain, drain_clusters = drain3_rate(lines)
    print(f"drain3 (IP and number masking, one process): {drain:,.0f} lines/s, {drain_clusters} templates")
    print(f"ratio: {ours / drain:.1f}x drain3 in one process, {parallel / drain:.1f}x with {workers} processes")

    answer = json.dumps({"root_cause": "bench", "verdict": "unknown", "confidence": 0.5})
    model = structured_model(*[answer] * 1000)
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), sentinel_max_llm_calls=1000)
        graph = build_graph(model=model, settings=settings)
        first = asyncio.run(graph.ainvoke({"log_lines": lines, "dry_run": True}))
        new_clusters = sum(1 for c in first["clusters"] if c.verdict != "benign")
        second = asyncio.run(graph.ainvoke({"log_lines": lines, "dry_run": True}))
    print(f"LLM calls: {first['llm_calls']} for {new_clusters} new non-benign clusters "
          f"(of {len(first['clusters'])}); second run on the same lines: {second['llm_calls']}")
    print(crowdsec_detection())


if __name__ == "__main__":
    main()
