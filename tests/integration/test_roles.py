"""Role filtering holds even when every nearest chunk is one the caller may not read."""

import pytest
from langchain_core.documents import Document

from aiops.ingest import index_documents, refresh_keyword_index
from tools.retriever import HybridRetriever
from tools.vectorstore import chroma_client

pytestmark = pytest.mark.integration


def doc(n: int, text: str, audience: str) -> Document:
    return Document(page_content=f"uhub/audit_log/{n}\n{text}", metadata={
        "source": f"uhub/audit_log/{n}" if audience == "auditor" else "docs/secrets.md", "source_id": f"s:{n}",
        "start_line": 1, "end_line": 1, "heading": "", "audience": audience, "doc_type": "t", "commit": ""})


def test_viewer_gets_the_public_chunk_behind_a_wall_of_restricted_ones(settings, minilm):
    client = chroma_client(settings)
    documents = [doc(n, f"alice rotated the secret DB_PASSWORD_{n} of service {n}", "auditor") for n in range(80)]
    documents.append(doc(999, "How to rotate a secret: change it in the vault, then redeploy.", "all"))
    index_documents(documents, "test:roles", settings, minilm, client, cleanup="full", what="test")
    refresh_keyword_index(client, settings)
    retriever = HybridRetriever(settings, minilm, client)
    viewer = retriever.search("who rotated the secret DB_PASSWORD", 5)
    assert [r.source for r in viewer] == ["docs/secrets.md"]
    auditor = retriever.search("who rotated the secret DB_PASSWORD", 5, roles=("auditor",))
    assert len(auditor) == 5
    assert all(r.metadata["audience"] == "auditor" for r in auditor[:4])
