"""Who may call what: API keys from settings, each with roles, and the roles each route family needs."""

from __future__ import annotations

import hmac

from aiops.settings import Settings

ANY_ROLE = frozenset({"viewer", "ops", "auditor", "ci"})
PUBLIC = ("/healthz", "/readyz", "/widget/aiops-chat.js")
# Longest prefix first. Everything not listed needs a valid key of any role.
POLICY: list[tuple[str, frozenset[str]]] = [
    ("/sentinel", frozenset({"ops"})),
    ("/finops", frozenset({"ops"})),
    ("/reviewer", frozenset({"ci", "ops"})),
    ("/metrics", frozenset({"ops"})),
]


def required_roles(path: str) -> frozenset[str] | None:
    """The roles a path accepts, or None for a public path."""
    if path in PUBLIC:
        return None
    for prefix, roles in POLICY:
        if path == prefix or path.startswith(prefix + "/"):
            return roles
    return ANY_ROLE


def roles_for_key(settings: Settings, key: str) -> tuple[str, ...] | None:
    """The roles of a key, compared in constant time; None for an unknown key."""
    found: tuple[str, ...] | None = None
    for known, roles in settings.api_keys.items():
        if hmac.compare_digest(known.encode(), key.encode()):
            found = tuple(sorted(set(roles)))
    return found
