"""Deterministic checks on added lines: secrets (detect-secrets) and infra rules (rules.yaml)."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import BaseModel

from agents.reviewer.diff import ChangedFile
from agents.reviewer.gitleaks import scan_line
from agents.reviewer.state import Finding, Severity
from aiops.redaction import find_secrets_in_lines

Language = Literal["fr", "en"]
# Kinds that say "looks like a secret" rather than naming a provider's token format.
GENERIC = {"Secret Keyword", "Base64 High Entropy String", "Hex High Entropy String", "Basic Auth Credentials",
           "generic-api-key"}
# Documentation values, not secrets: AWS's own EXAMPLE keys, "changeme", "<password>", "${VAR}"...
PLACEHOLDER = re.compile(r"EXAMPLE$|^(?i:changeme|example|dummy|placeholder|secret|password|x{3,}|\*+)$|^<[^>]*>$|"
                         r"^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$")
ALLOW_PRAGMA = re.compile(r"aiops:\s*allow|gitleaks:allow|pragma:\s*allowlist\s+secret", re.IGNORECASE)
CRITICAL_SECRETS = {"Private Key", "AWS Access Key", "GitLab Token", "GitHub Token", "Azure Storage Account access key",
                    "OpenAI Token", "Slack Token", "Stripe Access Key"}
SECRET_MESSAGE: dict[Language, str] = {
    "fr": "Attention, tu as hardcodé un secret ({kind}) ligne {line} : `{masked}`. Mets-le dans une variable "
          "CI/CD protégée ou dans le coffre, et change-le : il est maintenant dans l'historique Git.",
    "en": "Careful, a secret ({kind}) is hardcoded on line {line}: `{masked}`. Move it to a protected CI/CD "
          "variable or the vault, and rotate it: it is now in the Git history.",
}
KIND_FR = {"Secret Keyword": "mot de passe", "Basic Auth Credentials": "identifiants dans une URL",
           "Private Key": "clé privée"}


class InfraRule(BaseModel):
    id: str
    severity: Severity
    files: str
    pattern: str
    message_fr: str
    message_en: str


def fingerprint(file: str, rule: str, text: str) -> str:
    """Stable across commits: the same finding on a moved line is the same finding."""
    return hashlib.sha256(f"{file}\x00{rule}\x00{' '.join(text.split())}".encode()).hexdigest()[:16]


@lru_cache(maxsize=1)
def infra_rules() -> list[tuple[InfraRule, re.Pattern[str], re.Pattern[str]]]:
    data = yaml.safe_load(resources.files("agents.reviewer").joinpath("rules.yaml").read_text())
    rules = [InfraRule.model_validate(item) for item in data["rules"]]
    return [(rule, re.compile(rule.files), re.compile(rule.pattern)) for rule in rules]


def mask(value: str) -> str:
    """Never echo a secret: its kind and length are enough to find it."""
    return f"****({len(value)} chars)"


def secret_findings(changed: ChangedFile, language: Language) -> list[Finding]:
    """detect-secrets (with its file-type handling) and gitleaks' rules; one finding per line."""
    lines = {line.number: line.text for line in changed.added}
    found = find_secrets_in_lines(changed.path, lines)
    for number, text in lines.items():
        for rule_id, value in scan_line(changed.path, text):
            found.setdefault(number, []).append((rule_id, value))
    findings = []
    for number, secrets in sorted(found.items()):
        text = lines.get(number, "")
        if ALLOW_PRAGMA.search(text):
            continue
        secrets = [s for s in secrets if not PLACEHOLDER.search(s[1])]
        if not secrets:
            continue
        specific = [s for s in secrets if s[0] not in GENERIC]
        # The most specific kind, and of those the one that captured the whole value.
        kind, value = max(specific or secrets, key=lambda s: len(s[1]))
        shown = KIND_FR.get(kind, kind) if language == "fr" else kind
        critical = kind in CRITICAL_SECRETS or (kind not in GENERIC and "-" in kind)
        findings.append(Finding(
            file=changed.path, line=number, rule="hardcoded-secret",
            severity="critical" if critical else "high",
            message=SECRET_MESSAGE[language].format(kind=shown, line=number, masked=mask(value)),
            source="secrets", fingerprint=fingerprint(changed.path, "hardcoded-secret", text)))
    return findings


def rule_findings(changed: ChangedFile, language: Language) -> list[Finding]:
    findings = []
    for rule, files, pattern in infra_rules():
        if not files.search(changed.path):
            continue
        for line in changed.added:
            if pattern.search(line.text) and not ALLOW_PRAGMA.search(line.text):
                message = rule.message_fr if language == "fr" else rule.message_en
                findings.append(Finding(file=changed.path, line=line.number, rule=rule.id, severity=rule.severity,
                                        message=f"{message} (ligne {line.number})" if language == "fr"
                                        else f"{message} (line {line.number})",
                                        source="rules", fingerprint=fingerprint(changed.path, rule.id, line.text)))
    return findings


def deterministic_findings(files: list[ChangedFile], language: Language, baseline: set[str]) -> list[Finding]:
    findings: list[Finding] = []
    for changed in files:
        if not changed.added:
            continue
        findings += secret_findings(changed, language)
        findings += rule_findings(changed, language)
    return [f for f in findings if f.fingerprint not in baseline]
