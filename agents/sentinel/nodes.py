"""Nodes of the Log Sentinel: rules decide what they can; the model explains and judges the rest."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import Runnable

from agents.sentinel.grouping import Cluster, burst_client, group_lines_parallel
from agents.sentinel.prompts import CLUSTER_TEMPLATE, INCIDENT_SUMMARY, INCIDENT_TITLE, SYSTEM_PROMPT
from agents.sentinel.signals import RuleSet
from agents.sentinel.state import ClusterAnalysis, ClusterReport, IncidentReport, SentinelState, Verdict
from aiops.errors import AiopsError, ServiceUnavailable
from aiops.metrics import SENTINEL_LINES
from aiops.settings import Settings
from tools.outbox import Outbox
from tools.sentinel_store import SentinelStore, StoredAnalysis
from tools.uhub_client import UhubClient
from tools.uhub_contract import IncidentCreate

Node = Callable[..., Any]
BURST = "burst-from-one-client"
NO_RULE = "No detection rule covers this template and no analysis is available yet: it needs a human look."
SIGNAL_CONFIDENCE = 0.9
BURST_CONFIDENCE = 0.8


def _deterministic(cluster: Cluster, rules: RuleSet, settings: Settings) -> tuple[Verdict, float, list[str], str]:
    """Verdict, confidence, signals and a default root cause, from the rules alone."""
    signals = [rule_id for rule_id, _ in cluster.signals.most_common()]
    verdict: Verdict = "unknown"
    confidence = 0.0
    reason = NO_RULE
    if cluster.signal:
        rule = rules.rules[cluster.signal]
        verdict, confidence, reason = rule.category, SIGNAL_CONFIDENCE, rule.description
    client = burst_client(cluster, settings.sentinel_burst_events, settings.sentinel_burst_window_seconds)
    if client and verdict in {"unknown", "benign"} and not (cluster.kind == "access" and cluster.signal ==
                                                             "successful-request" and cluster.count < 1000):
        signals.append(BURST)
        verdict, confidence = "attack", BURST_CONFIDENCE
        reason = f"A burst of {cluster.clients[client]} requests from {client}."
    return verdict, confidence, signals, reason


def _report(cluster: Cluster, verdict: Verdict, confidence: float, signals: list[str], root_cause: str,
            decided_by: str) -> ClusterReport:
    return ClusterReport(
        key=cluster.key, template=cluster.template, signal=cluster.signal, kind=cluster.kind, count=cluster.count,
        first_seen=cluster.first_seen, last_seen=cluster.last_seen, verdict=verdict, confidence=confidence,
        root_cause=root_cause, decided_by=decided_by,
        signals=signals, top_clients=cluster.clients.most_common(5), top_requests=cluster.requests.most_common(5),
        samples=cluster.samples,
    )


def make_group(rules: RuleSet, settings: Settings) -> Node:
    def group(state: SentinelState) -> dict[str, Any]:
        grouping = group_lines_parallel(state.get("log_lines") or [], rules, settings.sentinel_workers)
        SENTINEL_LINES.inc(grouping.lines)
        reports = []
        for cluster in sorted(grouping.clusters.values(), key=lambda c: -c.count):
            verdict, confidence, signals, reason = _deterministic(cluster, rules, settings)
            reports.append(_report(cluster, verdict, confidence, signals, reason,
                                   "signals" if verdict != "unknown" else "none"))
        return {"lines": grouping.lines, "unparsed": grouping.unparsed,
                "unparsed_samples": grouping.unparsed_samples, "clusters": reports}

    return group


def cluster_prompt(report: ClusterReport) -> list[SystemMessage | HumanMessage]:
    # Inside <log>, our own delimiter cannot be closed by a log line.
    samples = "\n".join(s.replace("</log>", "</ log>") for s in report.samples)
    return [SystemMessage(SYSTEM_PROMPT), HumanMessage(CLUSTER_TEMPLATE.format(
        template=report.template, count=report.count, first_seen=report.first_seen, last_seen=report.last_seen,
        signals=", ".join(report.signals) or "none",
        clients=", ".join(f"{c} ({n})" for c, n in report.top_clients) or "-",
        requests=", ".join(f"{r} ({n})" for r, n in report.top_requests) or "-", samples=samples))]


def structured_analyst(model: BaseChatModel) -> Runnable[Any, Any]:
    return model.with_structured_output(ClusterAnalysis, method="json_schema", include_raw=True).with_retry(
        stop_after_attempt=2, retry_if_exception_type=(ServiceUnavailable, ConnectionError))


def merge(report: ClusterReport, answer: ClusterAnalysis | None) -> ClusterReport:
    """A verdict backed by a signal stands; the model fills the root cause, and the verdict only if none."""
    if answer is None:
        return report
    update: dict[str, Any] = {"root_cause": answer.root_cause.strip() or report.root_cause}
    if report.decided_by == "none":
        update.update(verdict=answer.verdict, confidence=min(answer.confidence, 0.85), decided_by="model")
    return report.model_copy(update=update)


def make_analyse(model: BaseChatModel, store: SentinelStore, settings: Settings) -> Node:
    analyst = structured_analyst(model)

    def analyse(state: SentinelState) -> dict[str, Any]:
        reports = state.get("clusters") or []
        known = store.get([r.key for r in reports])
        calls = 0
        result: list[ClusterReport] = []
        for report in reports:
            stored = known.get(report.key)
            if stored is not None:
                remembered = ClusterAnalysis(root_cause=stored.root_cause, verdict=stored.verdict,
                                             confidence=stored.confidence)
                result.append(merge(report, remembered) if stored.by_model else report)
                continue
            if report.verdict == "benign" or calls >= settings.sentinel_max_llm_calls:
                if report.verdict == "benign":
                    store.put(_stored(report, by_model=False))
                result.append(report)
                continue
            calls += 1
            try:
                output = analyst.invoke(cluster_prompt(report))
            except AiopsError:
                result.append(report)  # the model is unreachable: signals stand, retried next run
                continue
            answer = output.get("parsed") if isinstance(output, dict) else None
            merged = merge(report, answer if isinstance(answer, ClusterAnalysis) else None)
            store.put(_stored(merged, by_model=isinstance(answer, ClusterAnalysis)))
            result.append(merged)
        return {"clusters": result, "llm_calls": calls}

    return analyse


def _stored(report: ClusterReport, by_model: bool) -> StoredAnalysis:
    return StoredAnalysis(key=report.key, template=report.template, signal=report.signal, verdict=report.verdict,
                          confidence=report.confidence, root_cause=report.root_cause, by_model=by_model)


def fingerprint(report: ClusterReport) -> str:
    """Template and signal (the cluster key) and the day it started: a growing log keeps its incident."""
    window = report.first_seen[:10]
    return "sentinel-" + hashlib.sha256(f"{report.key}|{window}".encode()).hexdigest()[:24]


def incident_for(report: ClusterReport, source: str) -> IncidentCreate:
    severity = "SEV2" if report.verdict == "misconfiguration" or report.count >= 1000 else "SEV3"
    reason = report.signal or (report.signals[0] if report.signals else report.template[:80])
    clients = ", ".join(f"{c} ({n})" for c, n in report.top_clients) or "-"
    return IncidentCreate(
        title=INCIDENT_TITLE.format(verdict=report.verdict, reason=reason, count=report.count)[:300],
        severity=severity,
        summary=INCIDENT_SUMMARY.format(
            count=report.count, first_seen=report.first_seen, last_seen=report.last_seen,
            source=f" in {source}" if source else "", template=report.template, verdict=report.verdict,
            confidence=report.confidence, decided_by=report.decided_by, signals=", ".join(report.signals) or "none",
            root_cause=report.root_cause or "-", clients=clients),
        source="aiops-sentinel", fingerprint=fingerprint(report),
        evidence={"count": report.count, "signals": report.signals, "top_clients": report.top_clients,
                  "top_requests": report.top_requests, "samples": report.samples[:3], "template": report.template},
    )


def should_open(report: ClusterReport, settings: Settings) -> bool:
    return (report.verdict in {"attack", "misconfiguration"}
            and report.confidence >= settings.sentinel_incident_confidence
            and report.count >= settings.sentinel_incident_min_events)


def make_open_incidents(outbox: Outbox, client_factory: Callable[[], UhubClient], settings: Settings) -> Node:
    async def open_incidents(state: SentinelState) -> dict[str, Any]:
        chosen = [r for r in state.get("clusters") or [] if should_open(r, settings)]
        incidents = [(r, incident_for(r, state.get("source", ""))) for r in chosen]
        if state.get("dry_run"):
            return {"incidents": [IncidentReport(fingerprint=i.fingerprint, title=i.title, severity=i.severity,
                                                 cluster=r.key, status="dry-run") for r, i in incidents]}
        fresh: set[str] = set()
        for _, incident in incidents:
            _, created = outbox.enqueue("incident", incident, incident.fingerprint)
            if created:
                fresh.add(incident.fingerprint)
        if incidents:
            try:
                async with client_factory() as client:
                    await outbox.flush(client)
            except AiopsError:
                pass  # kept in the outbox; `aiops outbox flush` or the next run delivers them
        reports = []
        for report, incident in incidents:
            item = outbox.get(incident.fingerprint)
            status = item.status if item else "pending"
            reports.append(IncidentReport(
                fingerprint=incident.fingerprint, title=incident.title, severity=incident.severity, cluster=report.key,
                status=status if incident.fingerprint in fresh else "already-open",
                id=(item.response or {}).get("id") if item else None))
        return {"incidents": reports}

    return open_incidents
