"""Deterministic signals: the detection rules of ``rules.yaml`` applied to events, and bursts."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Literal
from urllib.parse import unquote

import yaml
from pydantic import BaseModel, Field, field_validator

from agents.sentinel.parsing import LogEvent

Category = Literal["attack", "misconfiguration", "benign"]
Field_ = Literal["path", "message", "user_agent", "method", "status", "request"]
PRIORITY: dict[str, int] = {"attack": 3, "misconfiguration": 2, "benign": 1}


class Rule(BaseModel):
    id: str
    category: Category
    description: str
    field: Field_
    pattern: str
    allowlist: list[str] = Field(default_factory=list)
    referrer_same_host: bool = False

    @field_validator("pattern", "allowlist")
    @classmethod
    def _compiles(cls, value: str | list[str]) -> str | list[str]:
        for pattern in [value] if isinstance(value, str) else value:
            try:
                re.compile(pattern)
            except re.error as error:
                raise ValueError(f"pattern {pattern!r} does not compile: {error}") from error
        return value


class RuleSet:
    def __init__(self, rules: list[Rule]) -> None:
        ordered = sorted(rules, key=lambda r: -PRIORITY[r.category])
        self.rules = {rule.id: rule for rule in ordered}
        # Strongest category first; within one, the order of rules.yaml (the sort above is stable).
        self._rank = {rule.id: position for position, rule in enumerate(ordered)}
        self._by_field: dict[str, list[tuple[Rule, re.Pattern[str], list[re.Pattern[str]]]]] = {}
        for rule in ordered:
            self._by_field.setdefault(rule.field, []).append(
                (rule, re.compile(rule.pattern), [re.compile(a) for a in rule.allowlist])
            )
        # One pattern per field that any rule of the field would match: most values match none, and
        # one search is much cheaper than one per rule.
        self._any: dict[str, re.Pattern[str]] = {
            field: re.compile("|".join(f"(?:{_scoped(rule.pattern)})" for rule, _, _ in entries))
            for field, entries in self._by_field.items()
        }
        self._cache: dict[tuple[str, str], tuple[str, ...]] = {}

    def _field_matches(self, field: str, value: str) -> tuple[str, ...]:
        key = (field, value)
        found = self._cache.get(key)
        if found is None:
            if field not in self._any or self._any[field].search(value) is None:
                return ()
            found = tuple(rule.id for rule, pattern, allow in self._by_field.get(field, ())
                          if pattern.search(value) and not any(a.search(value) for a in allow))
            if len(self._cache) < 500_000:
                self._cache[key] = found
        return found

    def match(self, event: LogEvent) -> tuple[str, ...]:
        """Ids of the rules an event matches, strongest category first."""
        ids: list[str] = []
        ids += self._field_matches("path", _decoded(event.path)) if event.path else ()
        if event.kind == "error":
            ids += self._field_matches("message", event.message)
        else:
            ids += self._field_matches("method", event.method)
            ids += self._field_matches("status", str(event.status))
            if event.user_agent:
                ids += self._field_matches("user_agent", event.user_agent)
        if not ids:
            return ()
        kept = [i for i in ids if not self.rules[i].referrer_same_host or _same_host(event)]
        return tuple(sorted(dict.fromkeys(kept), key=self._rank.__getitem__))

    def category(self, rule_id: str) -> Category:
        return self.rules[rule_id].category


def _scoped(pattern: str) -> str:
    """Leading inline flags, made local so that patterns can be joined into one."""
    match = re.match(r"^\(\?([aiLmsux]+)\)", pattern)
    return f"(?{match.group(1)}:{pattern[match.end():]})" if match else pattern


def _decoded(path: str) -> str:
    """The path as sent and URL-decoded once and twice: probes hide in %2e%2e and %252e."""
    if "%" not in path:
        return path
    once = unquote(path)
    return f"{path} {once} {unquote(once)}"


def _same_host(event: LogEvent) -> bool:
    if not event.referrer or not event.host:
        return False
    return re.match(rf"^https?://{re.escape(event.host)}(?::\d+)?(/|$)", event.referrer) is not None


@lru_cache(maxsize=1)
def default_rules() -> RuleSet:
    text = resources.files("agents.sentinel").joinpath("rules.yaml").read_text()
    data = yaml.safe_load(text)
    return RuleSet([Rule.model_validate(item) for item in data["rules"]])
