"""Ingestion into the real Chroma with the real embedded embedding model."""

import subprocess

import pytest
from langchain_core.embeddings import Embeddings

from aiops.errors import AiopsError, InvalidInput
from tools.retriever import HybridRetriever
from tools.vectorstore import chroma_client

pytestmark = pytest.mark.integration


def stored(settings):
    client = chroma_client(settings)
    collection = client.get_or_create_collection(settings.collection_name)
    return collection.get(include=["metadatas", "documents"])


def ids_by_source(settings):
    data = stored(settings)
    result: dict[str, set[str]] = {}
    for chunk_id, meta in zip(data["ids"], data["metadatas"], strict=True):
        result.setdefault(meta["source"], set()).add(chunk_id)
    return result


def test_second_run_on_an_unchanged_tree_embeds_nothing(example_repo, ingest):
    first = ingest(example_repo)
    assert first.files >= 20
    assert first.embedded == first.chunks > 40
    assert first.deleted == 0
    second = ingest(example_repo)
    assert second.embedded == 0
    assert second.unchanged == first.chunks
    assert second.deleted == 0


def test_editing_one_file_reembeds_only_its_chunks(example_repo, ingest, settings):
    ingest(example_repo)
    before = ids_by_source(settings)
    runbook = example_repo / "docs/runbooks/backups.md"
    runbook.write_text(runbook.read_text() + "\n## Offsite copy\n\nA weekly copy goes to the office NAS.\n")
    report = ingest(example_repo)
    after = ids_by_source(settings)
    assert report.embedded == 1
    assert after["docs/runbooks/backups.md"] - before["docs/runbooks/backups.md"]
    for source, ids in before.items():
        if source != "docs/runbooks/backups.md":
            assert after[source] == ids, source


def test_changing_a_section_replaces_its_chunk(example_repo, ingest, settings):
    ingest(example_repo)
    path = example_repo / "docs/runbooks/mariadb.md"
    path.write_text(path.read_text().replace("current value 200", "current value 400"))
    report = ingest(example_repo)
    assert (report.embedded, report.deleted) == (1, 1)
    texts = [d for d, m in zip(stored(settings)["documents"], stored(settings)["metadatas"], strict=True)
             if m["source"] == "docs/runbooks/mariadb.md"]
    assert any("current value 400" in t for t in texts)
    assert not any("current value 200" in t for t in texts)


def test_deleting_a_file_removes_its_chunks_from_both_indexes(example_repo, ingest, settings, minilm):
    ingest(example_repo)
    crowdsec_chunks = len(ids_by_source(settings)["docs/runbooks/crowdsec.md"])
    (example_repo / "docs/runbooks/crowdsec.md").unlink()
    report = ingest(example_repo)
    assert report.deleted == crowdsec_chunks
    assert report.embedded == 0
    assert "docs/runbooks/crowdsec.md" not in ids_by_source(settings)
    results = HybridRetriever(settings, minilm).search("cscli decisions delete", 10)
    assert all(r.source != "docs/runbooks/crowdsec.md" for r in results)


def test_ingesting_another_tree_keeps_the_first(example_repo, tmp_path, ingest, settings):
    ingest(example_repo)
    other = tmp_path / "team-docs"
    other.mkdir()
    (other / "oncall-phone.md").write_text("# Alert phone\n\nThe alert phone PIN is kept in the vault.\n")
    report = ingest(other)
    assert report.embedded == 1
    assert report.deleted == 0
    sources = ids_by_source(settings)
    assert "oncall-phone.md" in sources
    assert "docs/runbooks/crowdsec.md" in sources


def test_chunks_carry_path_heading_lines_and_commit(example_repo, ingest, settings):
    subprocess.run(["git", "init", "-q", str(example_repo)], check=True)
    subprocess.run(["git", "-C", str(example_repo), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(example_repo), "-c", "user.email=t@example.org", "-c", "user.name=t",
                    "commit", "-qm", "initial"], check=True)
    head = subprocess.run(["git", "-C", str(example_repo), "rev-parse", "HEAD"], capture_output=True,
                          text=True, check=True).stdout.strip()
    ingest(example_repo)
    data = stored(settings)
    procedure = [m for m in data["metadatas"] if m["heading"] == "Redéployer le service Dolibarr > Procédure"]
    assert len(procedure) == 1
    meta = procedure[0]
    assert meta["source"] == "docs/runbooks/dolibarr-redeploy.md"
    lines = (example_repo / meta["source"]).read_text().split("\n")
    assert lines[meta["start_line"] - 1] == "## Procédure"
    assert meta["commit"] == head


def test_secret_values_never_reach_the_store(example_repo, ingest, settings):
    report = ingest(example_repo)
    assert report.redacted >= 1
    documents = "\n".join(stored(settings)["documents"])
    assert "Tr0ub4dor-smtp-2024" not in documents
    assert "DOLI_SMTP_PASSWORD: \"[REDACTED Secret Keyword]\"" in documents
    keyword_files = (settings.data_dir / "keyword").rglob("*")
    assert all("Tr0ub4dor" not in p.read_text(errors="ignore") for p in keyword_files if p.is_file())


def test_binary_and_non_utf8_files_in_a_tree_are_skipped_with_a_reason(example_repo, ingest):
    (example_repo / "docs/latin1.md").write_bytes("# Procédure\n".encode("latin-1"))
    (example_repo / "docs/blob.conf").write_bytes(b"\x00\x01\x02binary")
    report = ingest(example_repo)
    reasons = {s.path: s.reason for s in report.skipped}
    assert "not UTF-8" in reasons["docs/latin1.md"]
    assert "binary" in reasons["docs/blob.conf"]
    assert report.embedded > 0


def test_a_named_bad_file_fails_before_anything_is_written(example_repo, tmp_path, ingest, settings):
    ingest(example_repo)
    count = len(stored(settings)["ids"])
    bad = tmp_path / "notes.md"
    bad.write_bytes("é".encode("latin-1"))
    with pytest.raises(InvalidInput, match="not UTF-8"):
        ingest(bad)
    with pytest.raises(InvalidInput, match="does not exist"):
        ingest(example_repo, tmp_path / "missing")
    assert len(stored(settings)["ids"]) == count


class FailingEmbeddings(Embeddings):
    """Real embeddings for the first calls, then a failure: an embedding server that dies mid-run."""

    def __init__(self, inner: Embeddings, fail_after: int) -> None:
        self.inner = inner
        self.calls = 0
        self.fail_after = fail_after

    def embed_documents(self, texts):
        self.calls += 1
        if self.calls > self.fail_after:
            raise RuntimeError("embedding server died")
        return self.inner.embed_documents(texts)

    def embed_query(self, text):
        return self.inner.embed_query(text)


def test_a_failure_mid_run_rolls_the_store_back(example_repo, ingest, settings, minilm):
    ingest(example_repo)
    before = stored(settings)["ids"]
    extra = example_repo / "docs" / "generated"
    extra.mkdir()
    for n in range(80):
        (extra / f"page-{n:03}.md").write_text(f"# Page {n}\n\nContent number {n} about service-{n}.\n")
    with pytest.raises(AiopsError, match="rolled back"):
        ingest(example_repo, embeddings=FailingEmbeddings(minilm, fail_after=1))
    assert sorted(stored(settings)["ids"]) == sorted(before)
    assert ingest(example_repo).embedded == 80


def test_a_reingest_skips_clean_files_scan_but_still_redacts(example_repo, ingest, settings):
    first = ingest(example_repo)
    second = ingest(example_repo)
    assert second.redacted == first.redacted >= 1  # files with secrets are scanned again, never cached
    assert second.embedded == 0
    path = example_repo / "docs/runbooks/backups.md"
    path.write_text(path.read_text() + '\npassword = "N3wlyLeak3dPassw0rd"\n')
    third = ingest(example_repo)
    assert third.redacted == first.redacted + 1
    documents = "\n".join(stored(settings)["documents"])
    assert "N3wlyLeak3dPassw0rd" not in documents
