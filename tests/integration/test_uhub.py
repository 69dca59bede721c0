"""uHub's export in the real Chroma, the assistant with the embedded model, the CLI against the sandbox."""

import json
import os
import subprocess
import sys

import pytest

from aiops.errors import UpstreamError
from aiops.roles import CallerContext
from aiops.uhub_ingest import ingest_uhub, load_cursor
from graphs.assistant import build_graph
from tests.conftest import PROJECT
from tests.doubles.flaky import ScriptedHandler
from tests.doubles.http import serve
from tests.doubles.sandbox import TOKEN
from tools.retriever import HybridRetriever
from tools.uhub_client import UhubClient

pytestmark = pytest.mark.integration


def uhub(url):
    return UhubClient(url, TOKEN, timeout=5, retries=1, backoff=0.01)


async def test_export_is_ingested_incrementally_and_audit_logs_stay_with_auditors(sandbox, settings, minilm):
    async with uhub(sandbox.url) as client:
        first = await ingest_uhub(settings, minilm, client)
        second = await ingest_uhub(settings, minilm, client)
    assert (first.jobs, first.incidents, first.postmortems, first.audit_logs) == (4, 2, 1, 3)
    assert first.embedded == first.chunks > 0
    assert (second.jobs, second.embedded, second.cursor) == (0, 0, first.cursor)

    retriever = HybridRetriever(settings, minilm)
    question = "Who changed the secret DOLIBARR_DB_PASSWORD?"
    assert all(r.metadata["doc_type"] != "audit_log" for r in retriever.search(question, 10))
    auditor = retriever.search(question, 10, roles=("auditor",))
    assert auditor[0].source == "uhub/audit_log/901"
    assert "alice" in auditor[0].text

    sandbox.app.state.store.put("incident", {
        "id": 77, "title": "Certificat expiré sur git.example.org", "severity": "SEV2", "status": "open",
        "created_at": "2026-11-25T07:00:00+00:00", "updated_at": "2026-11-25T07:00:00+00:00", "timeline": []})
    sandbox.app.state.store.delete("audit_log", 903)
    async with uhub(sandbox.url) as client:
        third = await ingest_uhub(settings, minilm, client)
    assert (third.incidents, third.jobs) == (1, 0)
    assert third.embedded == third.chunks > 0
    assert third.deleted == 1
    assert retriever.search("certificat expiré git.example.org", 3)[0].source == "uhub/incident/77"
    sources = {r.source for r in retriever.search("user.role.grant dave", 10, roles=("auditor",))}
    assert "uhub/audit_log/903" not in sources


async def test_a_malformed_export_changes_nothing(settings, minilm):
    with serve(ScriptedHandler) as double:
        double.state["script"] = [(200, '{"cursor": "5", "jobs": [{"id": "x"')]
        async with uhub(double.url) as client:
            with pytest.raises(UpstreamError, match="malformed JSON"):
                await ingest_uhub(settings, minilm, client)
    assert load_cursor(settings) is None


async def test_embedded_model_explains_why_job_42_failed(sandbox, settings, minilm):
    graph = build_graph(settings=settings, retriever=HybridRetriever(settings, minilm),
                        uhub=lambda: uhub(sandbox.url))
    result = await graph.ainvoke({"question": "Why did job 42 fail?"}, context=CallerContext())
    assert "migrate-db" in result["answer"]
    assert result["sources"][0]["kind"] == "job"
    assert result["sources"][0]["id"] == 42


def run_cli(*args, data_dir, url):
    env = {**os.environ, "AIOPS_DATA_DIR": str(data_dir), "AIOPS_UHUB_URL": url, "AIOPS_UHUB_TOKEN": TOKEN,
           "AIOPS_COLLECTION": "cli"}
    return subprocess.run([sys.executable, "-m", "aiops.cli", *args], capture_output=True, text=True, env=env,
                          cwd=PROJECT, timeout=600, check=False)


def test_cli_ingest_uhub_is_cron_friendly_and_chat_answers_in_french(sandbox, tmp_path):
    pulled = run_cli("ingest", "--uhub", data_dir=tmp_path, url=sandbox.url)
    assert pulled.returncode == 0, pulled.stderr
    assert pulled.stderr.strip().startswith("uhub export: 4 jobs, 2 incidents")
    assert len(pulled.stderr.strip().splitlines()) == 1

    chat = run_cli("chat", "Pourquoi le job 42 a échoué ?", "--json", data_dir=tmp_path, url=sandbox.url)
    assert chat.returncode == 0, chat.stderr
    answer = json.loads(chat.stdout)
    assert "« migrate-db »" in answer["answer"]
    assert answer["sources"][0] == {"n": 1, "source": "uhub/job/42", "kind": "job", "id": 42}
    follow = run_cli("chat", "et maintenant, que faire ?", "--thread", answer["thread"], "--json",
                     data_dir=tmp_path, url=sandbox.url)
    assert json.loads(follow.stdout)["sources"][0]["id"] == 42


def test_cli_uhub_unreachable_or_refusing_ends_cleanly(sandbox, tmp_path):
    down = run_cli("ingest", "--uhub", data_dir=tmp_path, url="http://127.0.0.1:9")
    assert down.returncode == 3
    assert "uHub unreachable" in down.stderr
    refused = subprocess.run(
        [sys.executable, "-m", "aiops.cli", "ingest", "--uhub"], capture_output=True, text=True, cwd=PROJECT,
        env={**os.environ, "AIOPS_DATA_DIR": str(tmp_path), "AIOPS_UHUB_URL": sandbox.url,
             "AIOPS_UHUB_TOKEN": "wrong"}, timeout=600, check=False)
    assert refused.returncode == 4
    assert "refused the token (401)" in refused.stderr
    assert "Traceback" not in refused.stderr + down.stderr
