"""The ``aiops`` command line. Every command meant for scripts takes ``--json``."""

from __future__ import annotations

import asyncio
import functools
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from aiops.errors import AiopsError, InvalidInput
from aiops.roles import normalise_roles
from aiops.settings import get_settings

app = typer.Typer(
    name="aiops", help="Sovereign AI agents for the ops team.", no_args_is_help=True,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])

JsonFlag = Annotated[bool, typer.Option("--json", help="Machine-readable output on stdout.")]
RoleOption = Annotated[
    list[str] | None, typer.Option("--role", help="Caller role (viewer, ops, auditor, ci); repeatable.")
]


def clean_errors(command: F) -> F:
    """Known failures end with one line on stderr and a meaningful exit code, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except AiopsError as error:
            err.print(f"[red]error:[/red] {error.message}", highlight=False)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def emit(payload: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False) + "\n")
    sys.stdout.flush()


@app.command()
@clean_errors
def ingest(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Git working trees, folders such as docs/, or files.")
    ] = None,
    uhub: Annotated[bool, typer.Option("--uhub", help="Also pull uHub's export (incremental, by cursor).")] = False,
    full: Annotated[bool, typer.Option("--full", help="With --uhub: pull the whole export again.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Index files (and uHub's export) into the vector store; unchanged chunks are not embedded again."""
    from aiops.ingest import ingest_paths
    from aiops.models import embeddings

    if not paths and not uhub:
        raise InvalidInput("nothing to ingest: give at least one path, or --uhub")
    settings = get_settings()
    payload: dict[str, Any] = {}
    if paths:
        with Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err, transient=True, disable=not err.is_terminal,
        ) as bar:
            task = bar.add_task("ingesting", total=None)

            def advance(relative: str, number: int, total: int) -> None:
                bar.update(task, completed=number, total=total, description=relative[-40:])

            report = ingest_paths(paths, settings, embeddings(settings), progress=advance)
        payload = report.model_dump(mode="json")
        if not as_json:
            err.print(
                f"{report.files} files, {report.chunks} chunks: {report.embedded} embedded, "
                f"{report.unchanged} unchanged, {report.deleted} deleted, {report.redacted} secrets redacted, "
                f"{len(report.skipped)} skipped ({report.seconds:.1f}s)"
            )
            for skipped in report.skipped:
                err.print(f"  skipped {skipped.path}: {skipped.reason}", highlight=False)
    if uhub:
        from aiops.uhub_ingest import ingest_uhub
        from tools.uhub_client import UhubClient

        async def pull() -> Any:
            async with UhubClient.from_settings(settings) as client:
                return await ingest_uhub(settings, embeddings(settings), client, full=full)

        uhub_report = asyncio.run(pull())
        payload["uhub"] = uhub_report.model_dump(mode="json")
        if not as_json:
            err.print(uhub_report.summary(), highlight=False)
    if as_json:
        emit(payload)


outbox_app = typer.Typer(help="The durable outbox of writes to uHub.", no_args_is_help=True)
app.add_typer(outbox_app, name="outbox")


@outbox_app.command("list")
@clean_errors
def outbox_list(
    status: Annotated[
        str | None, typer.Option(help="pending, delivered or failed; default: pending and failed.")
    ] = None,
    as_json: JsonFlag = False,
) -> None:
    """Show what waits for delivery, and what uHub refused."""
    from tools.outbox import Outbox

    if status not in {None, "pending", "delivered", "failed"}:
        raise InvalidInput(f"unknown status {status!r}: pending, delivered or failed")
    items = Outbox(get_settings().outbox_path).items()
    shown = [i for i in items if (i.status == status if status else i.status != "delivered")]
    if as_json:
        emit({"items": [i.model_dump(mode="json") for i in shown]})
        return
    for item in shown:
        sys.stdout.write(f"{item.status:9} {item.kind:12} {item.key}  attempts={item.attempts} {item.last_error}\n")


@outbox_app.command("flush")
@clean_errors
def outbox_flush(
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="Also retry items uHub refused.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Deliver pending writes to uHub; exit 3 while uHub is unreachable (nothing is lost)."""
    from tools.outbox import Outbox
    from tools.uhub_client import UhubClient

    settings = get_settings()

    async def deliver() -> Any:
        async with UhubClient.from_settings(settings) as client:
            return await Outbox(settings.outbox_path).flush(client, retry_failed=retry_failed)

    report = asyncio.run(deliver())
    if as_json:
        emit(report.model_dump(mode="json"))
    else:
        err.print(f"delivered {report.delivered}, failed {report.failed}, pending {report.pending}")
        for line in report.errors:
            err.print(f"  {line}", highlight=False)
    if report.pending:
        raise typer.Exit(3)
    if report.failed:
        raise typer.Exit(4)


@app.command("uhub-sandbox")
@clean_errors
def uhub_sandbox(
    host: Annotated[str, typer.Option(help="Interface to listen on (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8900,
    db: Annotated[Path | None, typer.Option(help="SQLite file; default: DATA_DIR/uhub-sandbox.sqlite.")] = None,
) -> None:
    """Serve a development double of uHub's API with demo data (not uHub itself)."""
    import uvicorn

    from uhub_sandbox.app import create_sandbox_app

    settings = get_settings()
    application = create_sandbox_app(db or settings.data_dir / "uhub-sandbox.sqlite", settings.uhub_token)
    err.print(f"uHub sandbox (development double) on http://{host}:{port}, token from AIOPS_UHUB_TOKEN")
    uvicorn.run(application, host=host, port=port, log_level="warning")


def _retrieve_payload(question: str, k: int, roles: tuple[str, ...]) -> dict[str, Any]:
    from aiops.runtime import default_retriever

    if not question.strip():
        raise InvalidInput("the question is empty")
    results = default_retriever(get_settings()).search(question, k, roles)
    return {
        "results": [
            {"source": r.source, "lines": list(r.lines), "score": round(r.score, 6), "heading": r.heading,
             "text": r.text}
            for r in results
        ]
    }


@app.command()
@clean_errors
def retrieve(
    question: Annotated[str, typer.Argument(help="The question, or - to read one question per line from stdin.")],
    k: Annotated[int, typer.Option("--k", min=1, max=50, help="How many passages.")] = 5,
    role: RoleOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Show the passages that would answer a question (hybrid dense + keyword retrieval)."""
    roles = normalise_roles(role)
    if question == "-":
        for line in sys.stdin:
            if line.strip():
                emit(_retrieve_payload(line.strip(), k, roles))
        return
    payload = _retrieve_payload(question, k, roles)
    if as_json:
        emit(payload)
        return
    for n, result in enumerate(payload["results"], start=1):
        start, end = result["lines"]
        err.print(f"[bold]{n}. {result['source']}:{start}-{end}[/bold] ({result['score']:.4f}) {result['heading']}")
        sys.stdout.write(result["text"][:400] + "\n\n")


@app.command()
@clean_errors
def ask(
    question: Annotated[str, typer.Argument(help="A question about the infrastructure.")],
    k: Annotated[int, typer.Option("--k", min=1, max=20)] = 5,
    role: RoleOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Answer a question from the indexed documentation, with numbered citations."""
    from agents.rag.state import RagInput
    from aiops.roles import CallerContext
    from graphs.rag import build_graph

    if not question.strip():
        raise InvalidInput("the question is empty")
    result = build_graph().invoke(
        RagInput(question=question, k=k), context=CallerContext(roles=normalise_roles(role))
    )
    if as_json:
        emit({"answer": result["answer"], "sources": result["sources"]})
        return
    sys.stdout.write(result["answer"] + "\n")
    for source in result["sources"]:
        start, end = source["lines"]
        err.print(f"  [{source['n']}] {source['source']}:{start}-{end}", highlight=False)


@app.command()
@clean_errors
def chat(
    question: Annotated[str, typer.Argument(help='E.g. "Pourquoi le job 42 a échoué ?"')],
    thread: Annotated[str | None, typer.Option("--thread", help="Conversation id; reuse it for follow-ups.")] = None,
    role: RoleOption = None,
    as_json: JsonFlag = False,
) -> None:
    """Ask the assistant about jobs, runs, incidents and the docs; threads persist in the data directory."""
    from agents.assistant.state import AssistantInput
    from aiops.roles import CallerContext
    from graphs.assistant import build_graph as build_assistant
    from tools.checkpoints import ThreadedSqliteSaver

    if not question.strip():
        raise InvalidInput("the question is empty")
    settings = get_settings()
    thread_id = thread or uuid.uuid4().hex[:12]
    graph = build_assistant(settings=settings,
                            checkpointer=ThreadedSqliteSaver.at(settings.data_dir / "threads.sqlite"))
    result = asyncio.run(graph.ainvoke(
        AssistantInput(question=question), {"configurable": {"thread_id": thread_id}},
        context=CallerContext(roles=normalise_roles(role)),
    ))
    if as_json:
        emit({"answer": result["answer"], "sources": result["sources"], "thread": thread_id})
        return
    sys.stdout.write(result["answer"] + "\n")
    for source in result["sources"]:
        err.print(f"  [{source['n']}] {source['source']}", highlight=False)
    err.print(f"thread: {thread_id}  (aiops chat --thread {thread_id} \"...\" to follow up)", highlight=False)


incident_app = typer.Typer(help="uHub incidents.", no_args_is_help=True)
app.add_typer(incident_app, name="incident")


@incident_app.command("open")
@clean_errors
def incident_open(
    title: Annotated[str, typer.Argument(help="What is wrong, in one line.")],
    severity: Annotated[str, typer.Option(help="SEV1, SEV2 or SEV3.")] = "SEV3",
    service: Annotated[str, typer.Option(help="The service concerned.")] = "",
    summary: Annotated[str, typer.Option(help="What is known so far.")] = "",
    fingerprint: Annotated[str, typer.Option(help="Same fingerprint, same incident: never opened twice.")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Open an incident in uHub through the outbox: kept and delivered later if uHub is down."""
    from pydantic import ValidationError

    from tools.outbox import Outbox
    from tools.uhub_client import UhubClient
    from tools.uhub_contract import IncidentCreate
    from tools.uhub_tools import open_incident

    try:
        incident = IncidentCreate.model_validate({"title": title, "severity": severity, "service": service,
                                                  "summary": summary, "fingerprint": fingerprint,
                                                  "source": "aiops-cli"})
    except ValidationError as error:
        raise InvalidInput(f"invalid incident: {error.errors()[0]['loc'][0]}: {error.errors()[0]['msg']}") from None
    settings = get_settings()

    async def run() -> dict[str, Any]:
        async with UhubClient.from_settings(settings) as client:
            return await open_incident(incident, Outbox(settings.outbox_path), client)

    result = asyncio.run(run())
    if as_json:
        emit(result)
    elif result["status"] == "delivered":
        err.print(f"incident delivered to uHub (id {result['id']}, key {result['key']})")
    else:
        err.print(f"incident kept in the outbox ({result['status']}): {result['error']}; "
                  "`aiops outbox flush` delivers it once uHub answers", highlight=False)


sentinel_app = typer.Typer(help="Log Sentinel: nginx logs to root causes, verdicts and uHub incidents.",
                           no_args_is_help=True)
app.add_typer(sentinel_app, name="sentinel")


def read_log_lines(paths: list[str]) -> list[str]:
    """Lines of the files (``-`` is stdin); undecodable bytes become U+FFFD, never an exception."""
    lines: list[str] = []
    for name in paths:
        if name == "-":
            lines.extend(sys.stdin.buffer.read().decode("utf-8", errors="replace").splitlines())
            continue
        path = Path(name)
        if not path.is_file():
            raise InvalidInput(f"no such log file: {name}")
        try:
            with path.open(encoding="utf-8", errors="replace", newline="") as handle:
                lines.extend(line.rstrip("\r\n") for line in handle)
        except OSError as error:
            raise InvalidInput(f"{name}: cannot be read ({error.strerror})") from error
    return lines


@sentinel_app.command("analyze")
@clean_errors
def sentinel_analyze(
    files: Annotated[list[str], typer.Argument(help="nginx error or access logs; - for stdin.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Open nothing in uHub; show what would be.")] = False,
    workers: Annotated[int | None, typer.Option(help="Processes for large logs; default: every core.")] = None,
    follow: Annotated[bool, typer.Option("--follow", help="Keep reading one growing file (tail -F).")] = False,
    interval: Annotated[float, typer.Option(help="With --follow: seconds between reads.", min=0.1)] = 10.0,
    rounds: Annotated[int, typer.Option(help="With --follow: stop after this many reads (0: never).", min=0)] = 0,
    as_json: JsonFlag = False,
) -> None:
    """Group log lines, judge each cluster (rules first, the LLM for new ones), open incidents once."""
    import os
    import time

    from agents.sentinel.state import SentinelInput
    from graphs.sentinel import build_graph as build_sentinel

    settings = get_settings()
    settings = settings.model_copy(update={"sentinel_workers": max(1, workers or os.cpu_count() or 1)})
    graph = build_sentinel(settings=settings)
    if not follow:
        lines = read_log_lines(files)
        _sentinel_report(asyncio.run(graph.ainvoke(
            SentinelInput(log_lines=lines, dry_run=dry_run, source=", ".join(files)))), as_json)
        return
    from tools.log_tail import LogFollower

    if len(files) != 1 or files[0] == "-" or not Path(files[0]).is_file():
        raise InvalidInput("--follow takes exactly one existing log file")
    follower = LogFollower(Path(files[0]))
    done = 0
    while True:
        new = follower.read_new()
        if new:
            _sentinel_report(asyncio.run(graph.ainvoke(
                SentinelInput(log_lines=new, dry_run=dry_run, source=files[0]))), as_json)
        done += 1
        if rounds and done >= rounds:
            return
        time.sleep(interval)


def _sentinel_report(result: dict[str, Any], as_json: bool) -> None:
    payload = {
        "lines": result["lines"], "unparsed": result["unparsed"], "unparsed_samples": result["unparsed_samples"],
        "clusters": [c.model_dump(mode="json") for c in result["clusters"]],
        "incidents": [i.model_dump(mode="json") for i in result["incidents"]], "llm_calls": result["llm_calls"],
    }
    if as_json:
        emit(payload)
        return
    err.print(f"{payload['lines']} lines, {payload['unparsed']} unparsed, {len(payload['clusters'])} clusters, "
              f"{payload['llm_calls']} LLM calls")
    for cluster in result["clusters"]:
        sys.stdout.write(f"{cluster.count:>8}  {cluster.verdict:<16} {cluster.template[:70]}  "
                         f"[{', '.join(cluster.signals[:3])}]\n")
    for incident in result["incidents"]:
        sys.stdout.write(f"incident {incident.status}: {incident.title}\n")


def _load_baseline(path: Path | None) -> list[str]:
    if path is None or not path.exists():
        return []
    try:
        data = json.loads(path.read_text())
        return [str(item) for item in data["fingerprints"]]
    except (ValueError, KeyError, TypeError) as error:
        raise InvalidInput(f"{path}: not a baseline file ({{\"fingerprints\": [...]}}): {error}") from None


@app.command()
@clean_errors
def review(
    diff: Annotated[str | None, typer.Option("--diff", help="A unified diff file, or - for stdin.")] = None,
    gitlab_mr: Annotated[bool, typer.Option("--gitlab", help="Review this pipeline's merge request (CI_* vars).")]
    = False,
    fail_on: Annotated[str, typer.Option(help="Blocking from this severity: critical, high, medium, low.")] = "high",
    server: Annotated[str | None, typer.Option(help="Use a running aiops server's /reviewer (no local model).")]
    = None,
    no_llm: Annotated[bool, typer.Option("--no-llm", help="Rules and secret detection only.")] = False,
    baseline: Annotated[Path | None, typer.Option(help="JSON file of accepted finding fingerprints.")] = None,
    update_baseline: Annotated[bool, typer.Option("--update-baseline", help="Accept every current finding.")]
    = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Post nothing, open nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Review a diff or a GitLab merge request; exit 1 when a finding reaches --fail-on."""
    import os

    from agents.reviewer.state import SEVERITY_RANK, Finding, ReviewInput

    if fail_on not in SEVERITY_RANK:
        raise InvalidInput(f"--fail-on must be one of {', '.join(SEVERITY_RANK)}")
    if (diff is None) == (not gitlab_mr):
        raise InvalidInput("give exactly one of --diff FILE and --gitlab")
    settings = get_settings()
    merge_request = None
    source_mr = None
    if gitlab_mr:
        from tools.gitlab_mr import MergeRequest, MergeRequestSource

        source_mr = MergeRequest(MergeRequestSource.from_ci(os.environ))
        text = source_mr.diff()
        merge_request = source_mr.ref()
    elif diff == "-":
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    else:
        path = Path(str(diff))
        if not path.is_file():
            raise InvalidInput(f"no such diff file: {diff}")
        text = path.read_bytes().decode("utf-8", errors="replace")
    request = ReviewInput(diff=text, merge_request=merge_request, use_llm=not no_llm, fail_on=fail_on,
                          baseline=[] if update_baseline else _load_baseline(baseline), dry_run=dry_run)
    if server:
        from langserve import RemoteRunnable

        from aiops.errors import ServiceUnavailable

        try:
            remote: Any = RemoteRunnable(f"{server.rstrip('/')}/reviewer")
            output: dict[str, Any] = remote.invoke(request.model_dump(mode="json"))
        except Exception as error:
            raise ServiceUnavailable(f"aiops server at {server} failed: {error}") from error
        findings = [Finding.model_validate(f) for f in output["findings"]]
        blocking = bool(output["blocking"])
    else:
        from graphs.reviewer import build_graph as build_reviewer

        result = asyncio.run(build_reviewer(settings=settings).ainvoke(request))
        findings, blocking = result["findings"], result["blocking"]
    if update_baseline:
        target = baseline or Path(".aiops-baseline.json")
        target.write_text(json.dumps({"fingerprints": sorted(f.fingerprint for f in findings)}, indent=2) + "\n")
        err.print(f"{len(findings)} findings accepted into {target}")
        findings, blocking = [], False
    published = None
    if source_mr is not None and not dry_run:
        published = source_mr.publish(findings, blocking, fail_on, settings.review_language)
    if as_json:
        emit({"findings": [f.model_dump(include={"file", "line", "rule", "severity", "message"}) for f in findings],
              "blocking": blocking, "published": published.model_dump() if published else None})
    else:
        for finding in findings:
            sys.stdout.write(f"{finding.file}:{finding.line}: [{finding.severity}] {finding.rule}: {finding.message}\n")
        err.print(f"{len(findings)} findings, {'blocking' if blocking else 'not blocking'}")
    if blocking:
        raise typer.Exit(1)


@app.command()
@clean_errors
def finops(
    budgets: Annotated[Path, typer.Option("--budgets", help="The budgets YAML file.")],
    usage: Annotated[Path | None, typer.Option("--usage", help="A FOCUS CSV export.")] = None,
    prometheus: Annotated[str | None, typer.Option("--prometheus", help="Prometheus URL, instead of --usage.")]
    = None,
    as_of: Annotated[str | None, typer.Option("--as-of", help="YYYY-MM-DD; default: the last charge period.")]
    = None,
    skip_bad_rows: Annotated[bool, typer.Option("--skip-bad-rows", help="Skip unusable CSV rows, and say so.")]
    = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Notify nothing.")] = False,
    as_json: JsonFlag = False,
) -> None:
    """Usage against budgets: threshold crossings, month-end forecasts, anomalies, advice; uHub notifications."""
    from agents.finops.state import FinopsInput
    from graphs.finops import build_graph as build_finops

    if (usage is None) == (prometheus is None):
        raise InvalidInput("give exactly one of --usage FILE and --prometheus URL")
    for path in [budgets, *([usage] if usage else [])]:
        if not path.is_file():
            raise InvalidInput(f"no such file: {path}")
    from pydantic import ValidationError

    try:
        request = FinopsInput.model_validate({
            "budgets_yaml": budgets.read_text(errors="replace"),
            "usage_csv": usage.read_text(errors="replace") if usage else "",
            "prometheus_url": prometheus or "", "as_of": as_of, "dry_run": dry_run,
            "skip_bad_rows": skip_bad_rows})
    except ValidationError as error:
        first = error.errors()[0]
        raise InvalidInput(f"{first['loc'][0]}: {first['msg']}") from None
    result = asyncio.run(build_finops(settings=get_settings()).ainvoke(request))
    alerts = result["alerts"]
    if as_json:
        emit({"as_of": str(result["as_of"]), "currency": result["currency"],
              "alerts": [a.model_dump(mode="json", include={"service", "kind", "threshold", "spent", "budget",
                                                             "forecast", "advice", "day_cost", "baseline_day_cost"})
                         for a in alerts],
              "notifications": result["notifications"], "llm_calls": result["llm_calls"],
              "skipped_rows": result.get("skipped_rows", [])})
        return
    for reason in result.get("skipped_rows", []):
        err.print(f"skipped {reason}", highlight=False)
    err.print(f"as of {result['as_of']}: {len(alerts)} alerts, {len(result['notifications'])} notifications sent")
    for alert in alerts:
        sys.stdout.write(f"{alert.service:<24} {alert.kind:<9} {alert.threshold:>4} %  spent {alert.spent:.2f} / "
                         f"{alert.budget:.2f} {alert.currency}, forecast {alert.forecast:.2f}\n  {alert.advice}\n")


@app.command("continue-config")
@clean_errors
def continue_config(
    server: Annotated[str, typer.Option(help="The aiops server, as VS Code reaches it.")] = "http://127.0.0.1:8000",
    ollama: Annotated[str, typer.Option(help="Ollama, for autocompletion.")] = "http://127.0.0.1:11434",
    autocomplete: Annotated[str, typer.Option(help="Ollama model for tab completion.")] = "starcoder2:3b",
    edit_model: Annotated[str, typer.Option("--edit-model", help="Ollama model for edits.")] = "codellama:7b",
) -> None:
    """Print a Continue (VS Code) config.yaml: aiops as chat model, Ollama models for completion and edits."""
    config = {
        "name": "aiops", "version": "1.0.0", "schema": "v1",
        "models": [
            {"name": "aiops assistant", "provider": "openai", "model": "aiops-assistant",
             "apiBase": f"{server.rstrip('/')}/v1", "apiKey": "${{ secrets.AIOPS_API_KEY }}", "roles": ["chat"]},
            {"name": "aiops docs (RAG)", "provider": "openai", "model": "aiops-rag",
             "apiBase": f"{server.rstrip('/')}/v1", "apiKey": "${{ secrets.AIOPS_API_KEY }}", "roles": ["chat"]},
            {"name": f"{autocomplete} (Ollama)", "provider": "ollama", "model": autocomplete,
             "apiBase": ollama.rstrip("/"), "roles": ["autocomplete"]},
            {"name": f"{edit_model} (Ollama)", "provider": "ollama", "model": edit_model,
             "apiBase": ollama.rstrip("/"), "roles": ["edit", "apply"]},
        ],
    }
    import yaml

    sys.stdout.write("# ~/.continue/config.yaml, generated by `aiops continue-config`\n")
    sys.stdout.write(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


@app.command()
@clean_errors
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
) -> None:
    """Serve the LangServe routes (/rag, its playground) and /healthz."""
    import uvicorn

    uvicorn.run("server:app", host=host, port=port, log_level="info")


if __name__ == "__main__":
    app()
