from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from aiops.settings import Settings

PROJECT = Path(__file__).resolve().parents[1]
EXAMPLE_REPO = PROJECT / "examples" / "infrastructure"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for a test: explicit values, so that the developer's AIOPS_* variables do not leak in."""
    values: dict[str, object] = {
        "data_dir": data_dir,
        "llm_provider": "embedded",
        "embedding_provider": "embedded",
        "chroma_mode": "persistent",
        "collection": "test",
    }
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path / "data")


@pytest.fixture
def example_repo(tmp_path: Path) -> Path:
    """A private copy of the example infrastructure repo that a test may edit."""
    target = tmp_path / "infrastructure"
    shutil.copytree(EXAMPLE_REPO, target)
    return target


@pytest.fixture
def sandbox(tmp_path: Path):
    from tests.doubles.sandbox import RunningSandbox

    running = RunningSandbox(tmp_path / "uhub-sandbox.sqlite").start()
    yield running
    running.stop()
