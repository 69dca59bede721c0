"""Async client of uHub's API: bearer token, timeouts, retries with backoff on network errors and 5xx."""

from __future__ import annotations

from datetime import datetime
from types import TracebackType
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, TypeAdapter, ValidationError
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from aiops.errors import NotFound, ServiceUnavailable, UpstreamError
from aiops.settings import Settings
from tools.uhub_contract import Incident, Job, RagExport, Run, RunLogs

T = TypeVar("T")


class _Transient(Exception):
    """A 5xx answer: worth another try."""

    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"{response.status_code} {response.reason_phrase}")
        self.response = response


def _is_transient(error: BaseException) -> bool:
    return isinstance(error, httpx.TransportError | _Transient)


class UhubClient:
    def __init__(self, base_url: str, token: str, *, timeout: float = 10.0, retries: int = 3,
                 backoff: float = 0.2, transport: httpx.AsyncBaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.retries = retries
        self.backoff = backoff
        self._http = httpx.AsyncClient(
            base_url=self.base_url, timeout=timeout, transport=transport,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json",
                     "User-Agent": "aiops"},
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> UhubClient:
        return cls(settings.uhub_url, settings.uhub_token, timeout=settings.uhub_timeout_seconds,
                   retries=settings.uhub_retries)

    async def __aenter__(self) -> UhubClient:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def request(self, method: str, path: str, *, params: dict[str, Any] | None = None,
                      json: Any = None, headers: dict[str, str] | None = None) -> Any:
        """One call with retries; returns the decoded JSON body or raises a clear AiopsError."""
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.retries), wait=wait_exponential(multiplier=self.backoff, max=5),
                retry=retry_if_exception(_is_transient), reraise=True,
            ):
                with attempt:
                    response = await self._http.request(method, path, params=params, json=json, headers=headers)
                    if response.status_code >= 500:
                        raise _Transient(response)
        except httpx.TransportError as error:
            raise ServiceUnavailable(f"uHub unreachable at {self.base_url}: {error!r}") from error
        except _Transient as error:
            raise ServiceUnavailable(f"uHub failed on {method} {path}: {error}") from error
        return self._decode(method, path, response)

    def _decode(self, method: str, path: str, response: httpx.Response) -> Any:
        status = response.status_code
        if status in {401, 403}:
            raise UpstreamError(f"uHub refused the token ({status}) on {method} {path}: check AIOPS_UHUB_TOKEN")
        if status == 404:
            raise NotFound(f"not found in uHub: {method} {path}")
        if status >= 400:
            raise UpstreamError(f"uHub answered {status} on {method} {path}: {response.text[:300]}")
        try:
            return response.json()
        except ValueError as error:
            raise UpstreamError(f"malformed JSON from uHub on {method} {path}: {error}") from error

    async def _get(self, path: str, model: type[T] | Any, params: dict[str, Any] | None = None) -> T:
        body = await self.request("GET", path, params={k: v for k, v in (params or {}).items() if v is not None})
        try:
            return TypeAdapter(model).validate_python(body)  # type: ignore[no-any-return]
        except ValidationError as error:
            raise UpstreamError(f"uHub's answer to GET {path} does not match the contract: {error}") from error

    async def job(self, job_id: int) -> Job:
        return await self._get(f"/api/jobs/{job_id}", Job)

    async def jobs(self, status: str | None = None, since: datetime | None = None) -> list[Job]:
        return await self._get("/api/jobs", list[Job],
                               {"status": status, "since": since.isoformat() if since else None})

    async def job_runs(self, job_id: int) -> list[Run]:
        return await self._get(f"/api/jobs/{job_id}/runs", list[Run])

    async def run_logs(self, run_id: int, tail: int = 200) -> RunLogs:
        return await self._get(f"/api/runs/{run_id}/logs", RunLogs, {"tail": tail})

    async def incidents(self, since: datetime | None = None, status: str | None = None) -> list[Incident]:
        return await self._get("/api/incidents", list[Incident],
                               {"since": since.isoformat() if since else None, "status": status})

    async def incident(self, incident_id: int) -> Incident:
        return await self._get(f"/api/incidents/{incident_id}", Incident)

    async def export_rag(self, since: str | None = None) -> RagExport:
        return await self._get("/api/export/rag", RagExport, {"since": since})

    async def post(self, path: str, payload: BaseModel | dict[str, Any], idempotency_key: str) -> Any:
        body = payload.model_dump(mode="json") if isinstance(payload, BaseModel) else payload
        return await self.request("POST", path, json=body, headers={"Idempotency-Key": idempotency_key})
