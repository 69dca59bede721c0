"""Hybrid retrieval over the example repo: French and English questions find the right file."""

import pytest

from tools.retriever import HybridRetriever

pytestmark = pytest.mark.integration

QUESTIONS = [
    ("Comment je redéploie le service Dolibarr ?", "docs/runbooks/dolibarr-redeploy.md"),
    ("How do I redeploy Dolibarr after an image update?", "docs/runbooks/dolibarr-redeploy.md"),
    ("Quelles sont les IPs bannies hier ?", "docs/runbooks/crowdsec.md"),
    ("Comment débannir une IP dans CrowdSec ?", "docs/runbooks/crowdsec.md"),
    ("How do I restore GitLab from a backup?", "docs/runbooks/gitlab-backup-restore.md"),
    ("Où est le fichier gitlab-secrets.json sauvegardé ?", "docs/runbooks/gitlab-backup-restore.md"),
    ("The backup failed with no space left on device, what do I do?", "docs/runbooks/backups.md"),
    ("Quelle est la rétention des sauvegardes restic ?", "docs/runbooks/backups.md"),
    ("Comment ajouter un nouveau virtual host nginx ?", "docs/runbooks/nginx-reverse-proxy.md"),
    ("nginx 502 connect() failed (111: Connection refused)", "docs/runbooks/nginx-reverse-proxy.md"),
    ("Qui appeler si l'astreinte principale ne répond pas ?", "docs/oncall.md"),
    ("When is a post-mortem required after an incident?", "docs/oncall.md"),
    ("Can we deploy on Friday afternoon?", "docs/deployment.md"),
    ("MariaDB Too many connections error", "docs/runbooks/mariadb.md"),
    ("Quelle machine héberge Ollama et ChromaDB ?", "docs/architecture.md"),
    ("Which port does the restic REST server listen on?", "docs/runbooks/backups.md"),
    ("10.20.0.13", "ansible/inventory/hosts.yml"),
    ("dolibarr-db healthcheck", "compose/dolibarr/docker-compose.yml"),
    ("OPS-118", "compose/dolibarr/docker-compose.yml"),
    ("limit_req zone perip burst", "nginx/sites-available/dolibarr.conf"),
]


@pytest.fixture(scope="module")
def retriever(tmp_path_factory, minilm):
    from aiops.ingest import ingest_paths
    from tests.conftest import EXAMPLE_REPO, make_settings

    settings = make_settings(tmp_path_factory.mktemp("quality"))
    ingest_paths([EXAMPLE_REPO], settings, minilm)
    return HybridRetriever(settings, minilm)


def test_hit_at_5_over_french_and_english_questions(retriever, capsys):
    misses = []
    for question, expected in QUESTIONS:
        sources = [r.source for r in retriever.search(question, 5)]
        if expected not in sources:
            misses.append((question, expected, sources))
    hit_rate = 1 - len(misses) / len(QUESTIONS)
    with capsys.disabled():
        print(f"\nhit@5 = {hit_rate:.2f} over {len(QUESTIONS)} questions; misses: {misses}")
    assert hit_rate >= 0.9, misses


@pytest.mark.parametrize(("question", "expected"), QUESTIONS[:6])
def test_right_file_first_for_runbook_questions(retriever, question, expected):
    assert retriever.search(question, 5)[0].source == expected


def test_an_off_topic_question_retrieves_nothing_relevant(retriever):
    results = retriever.search("Quelle est la recette du gâteau au chocolat ?", 5)
    assert results
    assert not any(retriever.is_relevant(r) for r in results)


def test_results_report_line_ranges_that_match_the_text(retriever):
    from tests.conftest import EXAMPLE_REPO

    for result in retriever.search("gitlab-backup restore BACKUP", 3):
        lines = (EXAMPLE_REPO / result.source).read_text().split("\n")
        start, end = result.lines
        assert "\n".join(lines[start - 1 : end]) == result.text
