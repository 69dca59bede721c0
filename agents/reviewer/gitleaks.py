"""gitleaks' rules (agents/reviewer/gitleaks.toml, MIT) run in Python on added lines.

detect-secrets knows a few dozen token formats; gitleaks' rules know a couple of hundred, with
keywords to prefilter, entropy floors and allowlists. Rules whose Go regex Python cannot compile
are left out (counted in ``GitleaksRules.skipped``).
"""

from __future__ import annotations

import math
import re
import tomllib
import warnings
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

_LEADING_FLAGS = re.compile(r"^\(\?([imsx]+)\)")


@dataclass
class Allowlist:
    regexes: list[re.Pattern[str]] = field(default_factory=list)
    stopwords: list[str] = field(default_factory=list)
    paths: list[re.Pattern[str]] = field(default_factory=list)
    target: str = "secret"
    require_all: bool = False

    def allows(self, path: str, secret: str, match: str, line: str) -> bool:
        subject = {"secret": secret, "match": match, "line": line}.get(self.target, secret)
        checks = []
        if self.regexes:
            checks.append(any(r.search(subject) for r in self.regexes))
        if self.stopwords:
            checks.append(any(word in secret.lower() for word in self.stopwords))
        if self.paths:
            checks.append(any(p.search(path) for p in self.paths))
        if not checks:
            return False
        return all(checks) if self.require_all else any(checks)


@dataclass
class Rule:
    id: str
    pattern: re.Pattern[str]
    secret_group: int
    entropy: float
    keywords: list[str]
    path: re.Pattern[str] | None
    allowlists: list[Allowlist]


@dataclass
class GitleaksRules:
    rules: list[Rule]
    allow: Allowlist
    skipped: list[str]


def _compile(pattern: str) -> re.Pattern[str]:
    # Go accepts "(?i)" anywhere; Python only at the start, so inner ones become scoped groups.
    match = _LEADING_FLAGS.match(pattern)
    flags = 0
    if match:
        flags = sum(getattr(re, letter.upper()) for letter in match.group(1))
        pattern = pattern[match.end():]
    pattern = re.sub(r"\(\?i\)([^|)]*)", r"(?i:\1)", pattern)
    pattern = pattern.replace(r"\z", r"\Z")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": Go syntax, same meaning
        return re.compile(pattern, flags)


def _allowlist(data: dict[str, Any]) -> Allowlist:
    return Allowlist(
        regexes=[_compile(r) for r in data.get("regexes", [])],
        stopwords=[w.lower() for w in data.get("stopwords", [])],
        paths=[_compile(p) for p in data.get("paths", [])],
        target=data.get("regexTarget", "secret"),
        require_all=data.get("condition", "OR").upper() == "AND",
    )


@lru_cache(maxsize=1)
def gitleaks_rules() -> GitleaksRules:
    data = tomllib.loads(resources.files("agents.reviewer").joinpath("gitleaks.toml").read_text())
    rules: list[Rule] = []
    skipped: list[str] = []
    for item in data.get("rules", []):
        if "regex" not in item:
            continue  # path-only rules flag files, not lines
        try:
            rules.append(Rule(
                id=item["id"], pattern=_compile(item["regex"]), secret_group=int(item.get("secretGroup", 0)),
                entropy=float(item.get("entropy", 0)), keywords=[k.lower() for k in item.get("keywords", [])],
                path=_compile(item["path"]) if item.get("path") else None,
                allowlists=[_allowlist(a) for a in item.get("allowlists", [])],
            ))
        except (re.error, ValueError):
            skipped.append(item["id"])
    return GitleaksRules(rules=rules, allow=_allowlist(data.get("allowlist", {})), skipped=skipped)


def shannon_entropy(text: str) -> float:
    if not text:
        return 0.0
    counts = Counter(text)
    return -sum(n / len(text) * math.log2(n / len(text)) for n in counts.values())


def scan_line(path: str, line: str) -> list[tuple[str, str]]:
    """(rule id, secret) for each gitleaks rule that fires on a line of a file."""
    config = gitleaks_rules()
    if any(p.search(path) for p in config.allow.paths):
        return []
    lowered = line.lower()
    found: list[tuple[str, str]] = []
    for rule in config.rules:
        if rule.keywords and not any(k in lowered for k in rule.keywords):
            continue
        if rule.path is not None and not rule.path.search(path):
            continue
        for match in rule.pattern.finditer(line):
            secret = _secret(match, rule.secret_group)
            if rule.entropy and shannon_entropy(secret) < rule.entropy:
                continue
            if config.allow.allows(path, secret, match.group(0), line):
                continue
            if any(a.allows(path, secret, match.group(0), line) for a in rule.allowlists):
                continue
            found.append((rule.id, secret))
            break
    return found


def _secret(match: re.Match[str], group: int) -> str:
    if group and group <= (match.re.groups or 0):
        return match.group(group) or match.group(0)
    if match.re.groups:
        return next((g for g in match.groups() if g), match.group(0))
    return match.group(0)
