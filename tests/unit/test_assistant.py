"""The assistant graph with a fake model, an in-memory retriever and the uHub sandbox over HTTP."""

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from aiops.roles import CallerContext
from graphs.assistant import build_graph
from tests.doubles.sandbox import TOKEN
from tests.fakes import ListRetriever, chunk, fake_model, recording_model
from tools.uhub_client import UhubClient

pytestmark = pytest.mark.unit

DOCS = [
    chunk("docs/runbooks/dolibarr-redeploy.md",
          "When the redeploy job fails at the migration (Duplicate column name), restore the backup. "
          "Si le job échoue à la migration, restaurer la sauvegarde."),
    chunk("uhub/audit_log/901", "alice did secret.update on DOLIBARR_DB_PASSWORD", audience="auditor"),
]


def graph_for(url, model, retriever=None, checkpointer=None):
    return build_graph(model=model, retriever=retriever or ListRetriever(DOCS), checkpointer=checkpointer,
                       uhub=lambda: UhubClient(url, TOKEN, timeout=5, retries=1, backoff=0.01))


@pytest.mark.parametrize(
    ("question", "expected"),
    [("Why did job 42 fail?", 'Job 42 (dolibarr-redeploy) failed in run 318 at step "migrate-db"'),
     ("Pourquoi le job 42 a échoué ?", "Le job 42 (dolibarr-redeploy) a échoué au run 318, à l'étape « migrate-db »")],
)
async def test_why_did_job_42_fail_names_the_step_from_the_log_and_cites_the_job(sandbox, question, expected):
    model = recording_model("The database migration failed [1].")
    result = await graph_for(sandbox.url, model).ainvoke({"question": question})
    assert result["answer"].startswith(expected)
    assert "Duplicate column name" in result["answer"]
    assert result["sources"][0] == {"n": 1, "source": "uhub/job/42", "kind": "job", "id": 42}
    assert any(s["source"] == "docs/runbooks/dolibarr-redeploy.md" for s in result["sources"])
    prompt = model.seen[0][1].text
    assert '<source n="1" uhub="uhub/job/42">' in prompt
    assert "step migrate-db failed with exit code 1" in prompt


async def test_unknown_job_says_so(sandbox):
    no_docs = graph_for(sandbox.url, fake_model(), ListRetriever([]))
    result = await no_docs.ainvoke({"question": "Why did job 999 fail?"})
    assert result["answer"] == "Job 999 does not exist in uHub."
    assert result["sources"] == []
    with_docs = await graph_for(sandbox.url, fake_model("See the runbook [1].")).ainvoke(
        {"question": "Why did job 999 fail?"})
    assert with_docs["answer"] == "See the runbook [1].\n\nJob 999 does not exist in uHub."
    assert all(not s["source"].startswith("uhub/job") for s in with_docs["sources"])


async def test_uhub_down_still_answers_from_the_docs_and_says_uhub_was_not_read(sandbox):
    sandbox.stop()
    result = await graph_for(sandbox.url, fake_model("Restore the backup [1].")).ainvoke(
        {"question": "Pourquoi le job 42 a échoué ? migration Duplicate column"})
    assert result["answer"].startswith("Restore the backup [1].")
    assert "uHub n'a pas pu être lu" in result["answer"]
    assert [s["source"] for s in result["sources"]] == ["docs/runbooks/dolibarr-redeploy.md"]


async def test_incident_by_date_and_failed_jobs_this_week(sandbox):
    graph = graph_for(sandbox.url, fake_model("Résumé [1].", "Deux jobs [1]."))
    incident = await graph.ainvoke({"question": "Résume l'incident du 15/03"})
    assert incident["answer"].startswith("Incident 7, « Dolibarr inaccessible après montée de version » (SEV1")
    assert incident["sources"][0]["id"] == 7
    failed = await graph.ainvoke({"question": "Quels jobs ont échoué cette semaine ?"})
    assert "backup-nightly (job 17)" in failed["answer"]
    assert "dolibarr-redeploy (job 42)" in failed["answer"]
    assert "certbot-renew" not in failed["answer"]


async def test_a_follow_up_in_the_same_thread_keeps_its_subject(sandbox):
    graph = graph_for(sandbox.url, fake_model("a [1]", "b [1]", "c [1]"), checkpointer=InMemorySaver())
    thread = {"configurable": {"thread_id": "ops-1"}}
    await graph.ainvoke({"question": "Why did job 17 fail?"}, thread)
    follow_up = await graph.ainvoke({"question": "and what should I do now?"}, thread)
    assert follow_up["sources"][0]["source"] == "uhub/job/17"
    assert "upload-restic" in follow_up["answer"]
    other = await graph.ainvoke({"question": "and what should I do now?"}, {"configurable": {"thread_id": "ops-2"}})
    assert all(s["source"] != "uhub/job/17" for s in other["sources"])


async def test_audit_logs_only_reach_auditors(sandbox):
    question = {"question": "who did secret.update on DOLIBARR_DB_PASSWORD"}
    retriever = ListRetriever(DOCS)
    viewer = await graph_for(sandbox.url, fake_model("x [1]"), retriever).ainvoke(question)
    assert all(not s["source"].startswith("uhub/audit_log") for s in viewer["sources"])
    auditor = await graph_for(sandbox.url, fake_model("alice [1]"), retriever).ainvoke(
        question, context=CallerContext(roles=("auditor",)))
    assert [s["source"] for s in auditor["sources"]] == ["uhub/audit_log/901"]
