"""LangChain tools over the uHub client, for agents and tool-calling models.

The assistant does not leave the choice of tools to the small embedded model: it recognises
references by rule and calls the client itself. These tools are for larger models (Ollama) and
for other agents; writes go through the outbox, never straight to uHub.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import ValidationError

from aiops.errors import AiopsError
from tools.outbox import Outbox
from tools.uhub_client import UhubClient
from tools.uhub_contract import IncidentCreate


def incident_key(incident: IncidentCreate) -> str:
    """Same incident, same key: a fingerprint when there is one, else the content."""
    material = incident.fingerprint or json.dumps(incident.model_dump(mode="json", exclude={"evidence"}),
                                                  sort_keys=True)
    return "incident-" + hashlib.sha256(material.encode()).hexdigest()[:32]


async def open_incident(incident: IncidentCreate, outbox: Outbox, client: UhubClient | None) -> dict[str, Any]:
    """Record the incident in the outbox, then try to deliver what is pending (if a client is given)."""
    item, created = outbox.enqueue("incident", incident, incident_key(incident))
    delivery_error = ""
    if client is not None and item.status == "pending":
        report = await outbox.flush(client)
        delivery_error = "; ".join(report.errors)
    item = outbox.get(item.key) or item
    return {"key": item.key, "new": created, "status": item.status,
            "id": (item.response or {}).get("id"), "error": delivery_error or item.last_error}


def uhub_tools(client_factory: Callable[[], UhubClient], outbox: Outbox) -> list[BaseTool]:
    async def _call(fetch: Callable[[UhubClient], Any]) -> str:
        try:
            async with client_factory() as client:
                result = await fetch(client)
        except AiopsError as error:
            return f"error: {error.message}"
        if isinstance(result, list):
            return json.dumps([item.model_dump(mode="json") for item in result], ensure_ascii=False)
        return str(result.model_dump_json())

    async def get_job(job_id: int) -> str:
        """Read a uHub job by its number: name, service, last status."""
        return await _call(lambda c: c.job(job_id))

    async def get_job_runs(job_id: int) -> str:
        """List the runs of a uHub job, newest first, with status and exit code."""
        return await _call(lambda c: c.job_runs(job_id))

    async def get_run_logs(run_id: int, tail: int = 100) -> str:
        """Read the last lines of a run's log."""
        return await _call(lambda c: c.run_logs(run_id, tail=tail))

    async def list_incidents(status: str | None = None) -> str:
        """List uHub incidents, optionally by status (open, investigating, resolved)."""
        return await _call(lambda c: c.incidents(status=status))

    async def create_incident(title: str, severity: str = "SEV3", service: str = "", summary: str = "") -> str:
        """Open a uHub incident through the durable outbox (delivered once, even if uHub is down now)."""
        try:
            incident = IncidentCreate.model_validate({"title": title, "severity": severity, "service": service,
                                                      "summary": summary, "source": "aiops-agent"})
        except ValidationError as error:
            return f"error: {error}"
        async with client_factory() as client:
            return json.dumps(await open_incident(incident, outbox, client))

    return [StructuredTool.from_function(coroutine=fn) for fn in
            (get_job, get_job_runs, get_run_logs, list_incidents, create_incident)]
