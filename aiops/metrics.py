"""Prometheus metrics of the service, in one registry."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.outputs import LLMResult
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

REGISTRY = CollectorRegistry()

HTTP_REQUESTS = Counter("aiops_http_requests_total", "HTTP requests.", ["route", "method", "status"],
                        registry=REGISTRY)
HTTP_SECONDS = Histogram("aiops_http_request_seconds", "HTTP request latency.", ["route"], registry=REGISTRY)
LLM_CALLS = Counter("aiops_llm_calls_total", "Calls to the LLM.", registry=REGISTRY)
LLM_TOKENS = Counter("aiops_llm_tokens_total", "LLM tokens.", ["direction"], registry=REGISTRY)
RETRIEVAL_SECONDS = Histogram("aiops_retrieval_seconds", "Hybrid retrieval latency.", registry=REGISTRY,
                              buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5))
SENTINEL_LINES = Counter("aiops_sentinel_lines_total", "Log lines read by the Sentinel.", registry=REGISTRY)
OUTBOX_PENDING = Gauge("aiops_outbox_pending", "Writes to uHub waiting for delivery.", registry=REGISTRY)


class LlmMetrics(BaseCallbackHandler):
    """Counts LLM calls and tokens for every graph run it is attached to."""

    def on_llm_end(self, response: LLMResult, *, run_id: UUID, parent_run_id: UUID | None = None,
                   **kwargs: Any) -> None:
        LLM_CALLS.inc()
        for generations in response.generations:
            for generation in generations:
                usage = getattr(getattr(generation, "message", None), "usage_metadata", None) or {}
                LLM_TOKENS.labels("input").inc(usage.get("input_tokens", 0))
                LLM_TOKENS.labels("output").inc(usage.get("output_tokens", 0))
