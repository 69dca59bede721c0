"""Hybrid retrieval latency (p50/p95) at 10k and 100k chunks of a synthetic corpus.

    .venv/bin/python bench/retrieve.py [SIZE ...]

Chunks are generated from an ops vocabulary with random unit vectors (embedding 100k chunks on
CPU would take the better part of an hour and measures the embedder, not retrieval). Each query
is embedded for real by the embedded model, so the latency is what a user sees.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiops.models import embeddings  # noqa: E402
from aiops.settings import Settings  # noqa: E402
from tools.keyword_index import KeywordIndex, keyword_dir  # noqa: E402
from tools.retriever import HybridRetriever  # noqa: E402
from tools.vectorstore import chroma_client  # noqa: E402

WORDS = (
    "nginx upstream timeout dolibarr mariadb gitlab runner backup restic restore crowdsec ban decision "
    "certificate renew certbot docker compose volume disk full inode memory swap cpu load alert "
    "prometheus grafana deploy rollback migration schema index replica failover vpn wireguard firewall "
    "sauvegarde redéployer astreinte incident panne journal erreur conteneur service serveur réseau"
).split()
QUERIES = [
    "how to restore a restic backup", "nginx upstream timed out", "redéployer dolibarr", "disk full on vps-3",
    "crowdsec ban decision", "gitlab runner docker", "certificate renew certbot", "10.20.0.42",
    "job 4242 failed", "mariadb migration rollback",
]
DIM = 384
BATCH = 5000


def build(size: int, settings: Settings) -> None:
    rng = random.Random(size)
    vectors = np.random.default_rng(size).standard_normal((size, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    collection = chroma_client(settings).get_or_create_collection(
        settings.collection_name, metadata={"hnsw:space": "cosine"}
    )
    for start in range(0, size, BATCH):
        stop = min(start + BATCH, size)
        ids = [f"chunk-{n}" for n in range(start, stop)]
        documents = [
            f"docs/page-{n}.md\n" + " ".join(rng.choices(WORDS, k=60)) + f" 10.20.{n % 250}.{n % 200} job {n}"
            for n in range(start, stop)
        ]
        metadatas = [{"source": f"docs/page-{n}.md", "start_line": 1, "end_line": 20, "heading": "",
                      "audience": "all"} for n in range(start, stop)]
        collection.add(ids=ids, embeddings=vectors[start:stop], documents=documents, metadatas=metadatas)
    KeywordIndex.from_collection(collection).save(keyword_dir(settings))


def measure(size: int) -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), collection=f"bench{size}")
        started = time.perf_counter()
        build(size, settings)
        built = time.perf_counter() - started
        retriever = HybridRetriever(settings, embeddings(settings))
        retriever.search("warm up", 5)
        latencies = []
        for _ in range(10):
            for query in QUERIES:
                started = time.perf_counter()
                retriever.search(query, 5)
                latencies.append((time.perf_counter() - started) * 1000)
        latencies.sort()
        p95 = latencies[int(len(latencies) * 0.95) - 1]
        print(f"{size} chunks: p50 {statistics.median(latencies):.1f} ms, p95 {p95:.1f} ms "
              f"over {len(latencies)} queries (store and keyword index built in {built:.0f} s)")


def main() -> None:
    for size in [int(arg) for arg in sys.argv[1:]] or [10_000, 100_000]:
        measure(size)


if __name__ == "__main__":
    main()
