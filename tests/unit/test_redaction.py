from pathlib import Path

import pytest

from aiops.redaction import find_secrets, redact

pytestmark = pytest.mark.unit


def scan(tmp_path: Path, name: str, text: str) -> tuple[str, int]:
    path = tmp_path / name
    path.write_text(text)
    return redact(text, find_secrets(path))


def test_hardcoded_password_in_compose_is_redacted(tmp_path):
    text = 'services:\n  app:\n    environment:\n      SMTP_PASSWORD: "Tr0ub4dor-smtp-2024"\n'
    redacted, count = scan(tmp_path, "docker-compose.yml", text)
    assert count == 1
    assert "Tr0ub4dor-smtp-2024" not in redacted
    assert "SMTP_PASSWORD: \"[REDACTED" in redacted


def test_credentials_in_a_connection_string_are_redacted(tmp_path):
    redacted, count = scan(tmp_path, "app.conf", "dsn = postgres://admin:S3cretPassw0rd@db:5432/app\n")
    assert count >= 1
    assert "S3cretPassw0rd" not in redacted


def test_private_key_block_is_removed_but_line_count_kept(tmp_path):
    key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nabcdefghijk\n-----END RSA PRIVATE KEY-----"
    text = f"before\n{key}\nafter\n"
    redacted, count = scan(tmp_path, "notes.md", text)
    assert "MIIEpAIBAAKCAQEA7" not in redacted
    assert count >= 1
    assert redacted.count("\n") == text.count("\n")
    assert redacted.split("\n")[-2] == "after"


def test_placeholders_and_references_are_left_alone(tmp_path):
    text = "MARIADB_PASSWORD: ${MARIADB_PASSWORD}\nDB_PASSWORD=changeme\n"
    redacted, _ = scan(tmp_path, "docker-compose.yml", text)
    assert "${MARIADB_PASSWORD}" in redacted
