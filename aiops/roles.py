"""Who is asking: the caller's roles, from the graph's runtime context or its run configuration."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from langchain_core.runnables import RunnableConfig

Role = Literal["viewer", "ops", "auditor", "ci"]
KNOWN_ROLES: frozenset[str] = frozenset({"viewer", "ops", "auditor", "ci"})
DEFAULT_ROLES: tuple[str, ...] = ("viewer",)


@dataclass(frozen=True)
class CallerContext:
    """Run context of every graph: the roles that decide which documents a caller may read."""

    roles: tuple[str, ...] = DEFAULT_ROLES


def normalise_roles(roles: Sequence[str] | str | None) -> tuple[str, ...]:
    """Known roles only, sorted; a caller with none counts as a viewer."""
    if isinstance(roles, str):
        roles = [roles]
    kept = sorted({role for role in roles or () if role in KNOWN_ROLES})
    return tuple(kept) or DEFAULT_ROLES


def caller_roles(context: Any, config: RunnableConfig | None) -> tuple[str, ...]:
    """Roles from ``context`` (``graph.invoke(..., context=...)``) or ``configurable.roles`` (LangServe)."""
    if isinstance(context, CallerContext):
        return normalise_roles(context.roles)
    if isinstance(context, dict) and "roles" in context:
        return normalise_roles(context["roles"])
    configurable = (config or {}).get("configurable") or {}
    return normalise_roles(configurable.get("roles"))
