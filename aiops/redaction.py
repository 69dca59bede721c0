"""Secret values found in ingested files are redacted before anything is stored.

Detection is detect-secrets' (its plugins, filters and file-type transformers); we only replace
what it finds. Hex entropy is left out: commit ids and checksums fill ops documents, and a hex
token next to a keyword ("token = ...") is still caught by the keyword plugin.
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from detect_secrets.core.secrets_collection import SecretsCollection
from detect_secrets.settings import transient_settings

_PLUGINS = [
    {"name": "ArtifactoryDetector"},
    {"name": "AWSKeyDetector"},
    {"name": "AzureStorageKeyDetector"},
    {"name": "BasicAuthDetector"},
    {"name": "CloudantDetector"},
    {"name": "DiscordBotTokenDetector"},
    {"name": "GitHubTokenDetector"},
    {"name": "GitLabTokenDetector"},
    {"name": "Base64HighEntropyString", "limit": 4.5},
    {"name": "IbmCloudIamDetector"},
    {"name": "IbmCosHmacDetector"},
    {"name": "JwtTokenDetector"},
    {"name": "KeywordDetector"},
    {"name": "MailchimpDetector"},
    {"name": "NpmDetector"},
    {"name": "OpenAIDetector"},
    {"name": "PrivateKeyDetector"},
    {"name": "PypiTokenDetector"},
    {"name": "SendGridDetector"},
    {"name": "SlackDetector"},
    {"name": "SoftlayerDetector"},
    {"name": "SquareOAuthDetector"},
    {"name": "StripeDetector"},
    {"name": "TelegramBotTokenDetector"},
    {"name": "TwilioKeyDetector"},
]

# Changes whenever what counts as a secret changes, so that cached "clean" verdicts expire.
SCANNER_VERSION = "detect-secrets-1.5.0/plugins-1"

_PRIVATE_KEY_BLOCK = re.compile(
    r"-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----.*?-----END \1PRIVATE KEY-----", re.DOTALL
)


def redaction_marker(secret_type: str) -> str:
    return f"[REDACTED {secret_type}]"


def find_secrets(path: Path) -> dict[int, list[tuple[str, str]]]:
    """Secrets in a file on disk, by 1-based line number: (type, value)."""
    collection = SecretsCollection()
    with transient_settings({"plugins_used": _PLUGINS}):
        collection.scan_file(str(path))
    found: dict[int, list[tuple[str, str]]] = {}
    for _filename, secret in collection:
        if secret.secret_value:
            found.setdefault(secret.line_number, []).append((secret.type, secret.secret_value))
    return found


def redact(text: str, secrets: dict[int, list[tuple[str, str]]]) -> tuple[str, int]:
    """Remove every private key block, then each found value on its line; returns (text, count)."""

    def _block(match: re.Match[str]) -> str:
        # Keep the line count so that line numbers, and chunk line ranges, stay right.
        return redaction_marker("Private Key") + "\n" * match.group(0).count("\n")

    text, count = _PRIVATE_KEY_BLOCK.subn(_block, text)
    lines = text.split("\n")
    for line_number, items in secrets.items():
        index = line_number - 1
        if not 0 <= index < len(lines):
            continue
        for secret_type, value in sorted(items, key=lambda item: -len(item[1])):
            if value in lines[index]:
                lines[index] = lines[index].replace(value, redaction_marker(secret_type))
                count += 1
    return "\n".join(lines), count


def find_secrets_in_lines(filename: str, lines: dict[int, str]) -> dict[int, list[tuple[str, str]]]:
    """Secrets on given lines of a file that is not on disk (the added lines of a diff).

    The lines are written at their own line numbers into a scratch file of the same name, so that
    detect-secrets' file-type handling (YAML, INI, .env) and its allowlist pragmas apply as usual.
    """
    if not lines:
        return {}
    with tempfile.TemporaryDirectory(prefix="aiops-scan-") as scratch:
        path = Path(scratch) / (Path(filename).name or "file")
        last = max(lines)
        path.write_text("\n".join(lines.get(number, "") for number in range(1, last + 1)) + "\n")
        return find_secrets(path)
