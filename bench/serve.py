"""Server overhead per /rag/invoke over a direct graph call, and requests/s with 50 concurrent clients.

    .venv/bin/python bench/serve.py

The RAG graph runs on a fake model and an in-memory retriever (tests/doubles/fake_app.py, served by
uvicorn in its own process), so what is measured is the HTTP, auth, validation, LangServe and
uvicorn work, on loopback. Bounded: 300 sequential calls each way,
then 3,000 requests from 50 concurrent clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from graphs.rag import build_graph  # noqa: E402
from tests.conftest import make_settings  # noqa: E402
from tests.doubles.fake_app import KEY as FAKE_APP_KEY  # noqa: E402
from tests.doubles.sandbox import free_port  # noqa: E402
from tests.fakes import ListRetriever, chunk  # noqa: E402

SEQUENTIAL = 300
CONCURRENT_CLIENTS = 50
CONCURRENT_REQUESTS = 3000
QUESTION = {"question": "How do I redeploy dolibarr?"}


@contextlib.contextmanager
def served(data_dir: str) -> Iterator[str]:
    """The fake-model app in its own uvicorn process, so that the load generator does not share its GIL."""
    port = free_port()
    env = {**os.environ, "AIOPS_DATA_DIR": str(Path(data_dir) / "server")}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "tests.doubles.fake_app:app", "--port", str(port), "--log-level", "error"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                httpx.get(f"{url}/healthz", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def main() -> None:
    with tempfile.TemporaryDirectory() as data_dir:
        settings = make_settings(Path(data_dir))
        answers = (AIMessage(content="docker compose up -d [1]") for _ in itertools.count())
        model = GenericFakeChatModel(messages=answers)
        retriever = ListRetriever([chunk("docs/runbooks/dolibarr-redeploy.md", "redeploy dolibarr docker compose")])
        graph = build_graph(model=model, retriever=retriever, settings=settings)

        async def direct() -> list[float]:
            times = []
            for _ in range(SEQUENTIAL):
                started = time.perf_counter()
                await graph.ainvoke(QUESTION)
                times.append(time.perf_counter() - started)
            return times

        direct_times = asyncio.run(direct())
        with served(data_dir) as url:
            headers = {"Authorization": f"Bearer {FAKE_APP_KEY}"}

            async def sequential() -> list[float]:
                times = []
                async with httpx.AsyncClient(base_url=url, headers=headers, timeout=30) as client:
                    for _ in range(SEQUENTIAL):
                        started = time.perf_counter()
                        response = await client.post("/rag/invoke", json={"input": QUESTION})
                        response.raise_for_status()
                        times.append(time.perf_counter() - started)
                return times

            async def concurrent() -> tuple[float, int]:
                remaining = iter(range(CONCURRENT_REQUESTS))
                failures = 0

                async def worker(client: httpx.AsyncClient) -> None:
                    nonlocal failures
                    for _ in remaining:
                        response = await client.post("/rag/invoke", json={"input": QUESTION})
                        failures += response.status_code != 200

                limits = httpx.Limits(max_connections=CONCURRENT_CLIENTS)
                async with httpx.AsyncClient(base_url=url, headers=headers, timeout=60, limits=limits) as client:
                    started = time.perf_counter()
                    await asyncio.gather(*(worker(client) for _ in range(CONCURRENT_CLIENTS)))
                    return time.perf_counter() - started, failures

            http_times = asyncio.run(sequential())
            elapsed, failures = asyncio.run(concurrent())
    direct_ms = statistics.median(direct_times) * 1000
    http_ms = statistics.median(http_times) * 1000
    print(f"direct graph call: p50 {direct_ms:.2f} ms over {SEQUENTIAL}")
    print(f"/rag/invoke over HTTP: p50 {http_ms:.2f} ms; server overhead {http_ms - direct_ms:.2f} ms per call")
    print(f"{CONCURRENT_CLIENTS} concurrent clients: {CONCURRENT_REQUESTS / elapsed:.0f} requests/s "
          f"({CONCURRENT_REQUESTS} requests in {elapsed:.1f} s, {failures} failed)")


if __name__ == "__main__":
    main()
