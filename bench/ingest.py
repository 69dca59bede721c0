"""Ingestion speed: full ingest, no-change re-ingest, and the raw embedding time of the same chunks.

    .venv/bin/python bench/ingest.py [PATH ...]

Default corpus: ../shared/corpora/prometheus-runbooks and gitlab-runbooks when present (real public
runbooks), else the bundled example repo. Uses a throwaway data directory.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiops.ingest import file_documents, ingest_paths  # noqa: E402
from aiops.models import embeddings  # noqa: E402
from aiops.settings import Settings  # noqa: E402
from tools.sources import discover, read_text  # noqa: E402


def default_corpus() -> list[Path]:
    shared = ROOT.parent / "shared" / "corpora"
    found = [p for p in (shared / "prometheus-runbooks", shared / "gitlab-runbooks") if p.is_dir()]
    return found or [ROOT / "examples" / "infrastructure"]


def main() -> None:
    paths = [Path(p) for p in sys.argv[1:]] or default_corpus()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), collection="bench")
        model = embeddings(settings)
        model.embed_query("warm up")  # model load is not ingestion time

        full = ingest_paths(paths, settings, model)
        started = time.perf_counter()
        again = ingest_paths(paths, settings, model)
        no_change = time.perf_counter() - started

        texts = []
        for root in paths:
            for source in discover(root.resolve())[0]:
                try:
                    text = read_text(source.path, settings.max_file_bytes)
                except Exception:
                    continue
                texts += [d.page_content for d in file_documents(source, text, root.name, "", settings)]
        started = time.perf_counter()
        model.embed_documents(texts)
        raw = time.perf_counter() - started

    print(f"corpus: {', '.join(str(p) for p in paths)}")
    print(f"files: {full.files}")
    print(f"chunks: {full.chunks}")
    print(f"full ingest: {full.seconds:.2f} s ({full.embedded} embedded)")
    print(f"no-change re-ingest: {no_change:.2f} s ({again.embedded} embedded)")
    print(f"raw embedding of the same {len(texts)} chunks: {raw:.2f} s")
    print(f"ingest overhead over raw embedding: {full.seconds - raw:.2f} s")


if __name__ == "__main__":
    main()
