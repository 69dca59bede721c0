import pytest
import yaml
from typer.testing import CliRunner

from aiops.cli import app

pytestmark = pytest.mark.unit


def test_continue_config_uses_aiops_for_chat_and_ollama_for_completion():
    result = CliRunner().invoke(app, ["continue-config", "--server", "http://10.20.0.12:8000/",
                                      "--ollama", "http://10.20.0.12:11434"])
    assert result.exit_code == 0
    config = yaml.safe_load(result.stdout)
    by_role = {role: m for m in config["models"] for role in m["roles"]}
    assert (by_role["chat"]["provider"], by_role["chat"]["apiBase"]) == ("openai", "http://10.20.0.12:8000/v1")
    assert by_role["chat"]["model"] in {"aiops-assistant", "aiops-rag"}
    assert (by_role["autocomplete"]["provider"], by_role["autocomplete"]["model"]) == ("ollama", "starcoder2:3b")
    assert "secrets.AIOPS_API_KEY" in by_role["chat"]["apiKey"]
