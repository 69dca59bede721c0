"""A local double of Prometheus' HTTP API: /api/v1/query_range answering a fixed matrix."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

from tests.doubles.http import JsonHandler


class PrometheusHandler(JsonHandler):
    """``server.state["series"]``: {service: [(unix_ts, hourly_cost), ...]}; the query is recorded."""

    def route(self, method: str, path: str, body: Any) -> None:
        url = urlparse(path)
        if url.path != "/api/v1/query_range":
            self.send_json(404, {"status": "error", "error": "not found"})
            return
        query = parse_qs(url.query)
        self.server.state["query"] = query
        start, end = float(query["start"][0]), float(query["end"][0])
        result = [{"metric": {"service": service}, "values": [[ts, str(v)] for ts, v in points if start <= ts <= end]}
                  for service, points in self.server.state["series"].items()]
        self.send_json(200, {"status": "success", "data": {"resultType": "matrix", "result": result}})
