"""The deterministic parts of the assistant: references in a question, the failing step in a log."""

from datetime import date

import pytest

from agents.assistant.failures import find_failure
from agents.assistant.references import extract_references
from uhub_sandbox.seed import BACKUP_FAILED_LOG, DOLIBARR_FAILED_LOG, DOLIBARR_OK_LOG

pytestmark = pytest.mark.unit
TODAY = date(2026, 11, 25)


@pytest.mark.parametrize(
    ("question", "jobs", "failures"),
    [("Why did job 42 fail?", [42], True), ("Pourquoi le job 42 a échoué ?", [42], True),
     ("état de la tâche n°17", [17], False), ("job #7 and job 9", [7, 9], False), ("Hello", [], False)],
)
def test_job_numbers_and_failure_intent(question, jobs, failures):
    refs = extract_references(question, TODAY)
    assert refs.job_ids == jobs
    assert refs.about_failures is failures


def test_incident_dates_and_periods():
    refs = extract_references("Résume l'incident du 15/03", TODAY)
    assert refs.dates == [date(2026, 3, 15)]
    assert extract_references("incident du 28/12", TODAY).dates == [date(2025, 12, 28)]
    assert extract_references("incident 2026-03-15", TODAY).dates == [date(2026, 3, 15)]
    assert extract_references("le 31/02", TODAY).dates == []
    assert extract_references("Quels jobs ont échoué ce mois ?", TODAY).period == "month"
    assert extract_references("what failed this week", TODAY).period == "week"
    assert extract_references("INC-12 status", TODAY).incident_ids == [12]
    assert extract_references("run 318", TODAY).run_ids == [318]


def test_failing_step_and_error_line_from_the_log():
    failure = find_failure(DOLIBARR_FAILED_LOG)
    assert failure.step == "migrate-db"
    assert "Duplicate column name" in (failure.error_line or "")
    backup = find_failure(BACKUP_FAILED_LOG)
    assert backup.step == "upload-restic"
    assert "no space left on device" in (backup.error_line or "")


def test_a_successful_log_has_no_failure():
    assert find_failure(DOLIBARR_OK_LOG).step is None


def test_without_an_explicit_failed_step_the_step_open_at_the_first_error_is_blamed():
    lines = ["==> step: build", "ok", "==> step: deploy", "FATAL: permission denied on /srv/app", "cleanup"]
    failure = find_failure(lines)
    assert (failure.step, failure.error_line) == ("deploy", "FATAL: permission denied on /srv/app")
