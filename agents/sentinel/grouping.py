"""Events to clusters: one per (template, strongest signal), so that each cluster has one verdict.

An nginx template can hold an attack and harmless noise (``open() "<*>" failed (2: ...)`` for
``/.env`` and for ``/favicon.ico``): keying clusters by the strongest signal too splits them.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from agents.sentinel.parsing import LogEvent, parse_line, template_of
from agents.sentinel.signals import RuleSet

# Ids, sizes and counters (4 digits or more) do not change what a line is; error codes
# ("(111: ...") and the digits of payloads ("1=1") are shorter and stay in the shape.
_LONG_NUMBER = re.compile(r"\d{4,}")
MAX_TRACKED_REQUESTS = 2000
PARALLEL_MIN_LINES = 100_000
MAX_SAMPLES = 5
MAX_UNPARSED_SAMPLES = 5
SAMPLE_CHARS = 2000


@dataclass
class Cluster:
    template: str
    signal: str  # the strongest rule id, or "" when no rule matched
    count: int = 0
    first_seen: str = ""
    last_seen: str = ""
    kind: str = "error"
    signals: Counter[str] = field(default_factory=Counter)
    clients: Counter[str] = field(default_factory=Counter)
    requests: Counter[str] = field(default_factory=Counter)
    samples: list[str] = field(default_factory=list)

    @property
    def key(self) -> str:
        """Stable identity of the cluster across runs (what the LLM analysed, what an incident is about)."""
        return hashlib.sha256(f"{self.template}\x00{self.signal}".encode()).hexdigest()[:24]


@dataclass
class Grouping:
    lines: int = 0
    unparsed: int = 0
    unparsed_samples: list[str] = field(default_factory=list)
    clusters: dict[tuple[str, str], Cluster] = field(default_factory=dict)


def group_lines(lines: Iterable[str], rules: RuleSet, grouping: Grouping | None = None) -> Grouping:
    """Parse, template and cluster lines; unparsed lines are counted and a few kept, never dropped silently."""
    result = grouping or Grouping()
    clusters = result.clusters
    # Lines of one shape (same message, path, agent...) share template and signals: work them out once.
    shapes: dict[tuple[object, ...], tuple[tuple[str, str], tuple[str, ...]]] = {}
    count = 0
    for line in lines:
        count += 1
        event = parse_line(line)
        if event is None:
            if line.strip():
                result.unparsed += 1
                if len(result.unparsed_samples) < MAX_UNPARSED_SAMPLES:
                    result.unparsed_samples.append(line.rstrip("\r\n")[:SAMPLE_CHARS])
            continue
        shape = (_LONG_NUMBER.sub("0", event.message), _LONG_NUMBER.sub("0", event.path), event.host,
                 event.referrer, event.method, event.status, event.user_agent)
        known = shapes.get(shape)
        if known is None:
            matched = rules.match(event)
            known = ((template_of(event), matched[0] if matched else ""), matched)
            if len(shapes) < 200_000:
                shapes[shape] = known
        key, matched = known
        cluster = clusters.get(key)
        if cluster is None:
            cluster = clusters[key] = Cluster(template=key[0], signal=key[1], first_seen=event.time, kind=event.kind)
        _add(cluster, event, matched)
    result.lines += count
    return result


def _add(cluster: Cluster, event: LogEvent, matched: tuple[str, ...]) -> None:
    cluster.count += 1
    cluster.last_seen = event.time
    for rule_id in matched:
        cluster.signals[rule_id] += 1
    if event.client:
        cluster.clients[event.client] += 1
    if event.request:
        request = event.request[:200]
        # Distinct requests are unbounded (ids in URLs): past the cap, only known ones are counted,
        # which keeps the frequent ones, the ones the report shows.
        if request in cluster.requests or len(cluster.requests) < MAX_TRACKED_REQUESTS:
            cluster.requests[request] += 1
    if len(cluster.samples) < MAX_SAMPLES:
        cluster.samples.append(event.raw[:SAMPLE_CHARS])


_FORMATS = ("%Y/%m/%d %H:%M:%S", "%d/%b/%Y:%H:%M:%S %z")


def parse_time(value: str) -> datetime | None:
    for fmt in _FORMATS:
        try:
            parsed = datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed.replace(tzinfo=None) if parsed.tzinfo else parsed
    return None


def burst_client(cluster: Cluster, min_events: int, window_seconds: float) -> str | None:
    """A client that sent at least ``min_events`` of this cluster's events faster than the window allows."""
    if not cluster.clients:
        return None
    client, count = cluster.clients.most_common(1)[0]
    if count < min_events:
        return None
    start, end = parse_time(cluster.first_seen), parse_time(cluster.last_seen)
    if start is None or end is None:
        return None
    span = max((end - start).total_seconds(), 1.0)
    return client if span <= window_seconds or count / span >= min_events / window_seconds else None


def merge(parts: list[Grouping]) -> Grouping:
    """Groupings of consecutive slices of one log, in order, as if grouped in one pass."""
    result = Grouping()
    for part in parts:
        result.lines += part.lines
        result.unparsed += part.unparsed
        room = MAX_UNPARSED_SAMPLES - len(result.unparsed_samples)
        result.unparsed_samples.extend(part.unparsed_samples[:room])
        for key, cluster in part.clusters.items():
            mine = result.clusters.get(key)
            if mine is None:
                result.clusters[key] = cluster
                continue
            mine.count += cluster.count
            mine.last_seen = cluster.last_seen
            mine.signals.update(cluster.signals)
            mine.clients.update(cluster.clients)
            mine.requests.update(cluster.requests)
            mine.samples.extend(cluster.samples[: MAX_SAMPLES - len(mine.samples)])
    return result


_SHARED: list[tuple[list[str], RuleSet]] = []


def _group_slice(bounds: tuple[int, int]) -> Grouping:
    lines, rules = _SHARED[0]
    start, end = bounds
    return group_lines(lines[start:end], rules)


def group_lines_parallel(lines: list[str], rules: RuleSet, workers: int) -> Grouping:
    """Slices of a large log grouped in forked processes (which inherit the lines), then merged in order."""
    if workers <= 1 or len(lines) < PARALLEL_MIN_LINES:
        return group_lines(lines, rules)
    size = -(-len(lines) // workers)
    bounds = [(start, min(start + size, len(lines))) for start in range(0, len(lines), size)]
    _SHARED.append((lines, rules))
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_group_slice, bounds)
    finally:
        _SHARED.clear()
    return merge(parts)
