"""``wirewatch``: one entry point for the broker, the worker, producing, tailing, offline runs and the demo."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Mapping
from pathlib import Path

import click
from pydantic import ValidationError
from rich.console import Console

from streams.fuzz import command as fuzz_command
from streams.settings import Settings, describe_invalid

console = Console(stderr=True)
# Wide enough for the demo's event table when the output is a pipe or a file.
out = Console(width=None if sys.stdout.isatty() else 180)


def _settings(broker: str | None = None) -> Settings:
    """Settings from the environment, with CLI overrides (the CLI is the one place that sets them)."""
    if broker:
        os.environ["WIREWATCH_BROKER"] = broker
    return Settings()


class _Group(click.Group):
    """Bad settings and a broker that refuses the connection end a command with one clear line."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except ValidationError as exc:
            raise click.ClickException(describe_invalid(exc)) from None
        except Exception as exc:
            if getattr(exc, "user_error", False):  # BrokerConnectError, SecurityConfigError: no traceback
                raise click.ClickException(str(exc)) from None
            raise


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="wirewatch")
def main() -> None:
    """Wirewatch: raw news articles in, coded political events and alerts out.

    Configuration comes from WIREWATCH_* environment variables (see the README).
    """


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=9092, show_default=True, help="Port to listen on.")
def broker(host: str, port: int) -> None:
    """Run the embedded Kafka-protocol broker (Tansu, memory only) in the foreground."""
    from streams.broker import BrokerError, EmbeddedBroker

    settings = _settings()
    try:
        embedded = EmbeddedBroker(port=port, host=host, binary=settings.tansu_bin).start()
    except BrokerError as exc:
        raise click.ClickException(str(exc)) from exc
    console.print(f"embedded broker on [bold]{embedded.bootstrap}[/] ({embedded.binary}); Ctrl-C stops it")
    try:
        assert embedded.process is not None
        embedded.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        embedded.stop()


@main.command(context_settings={"ignore_unknown_options": True})
@click.option("--broker", "broker_url", default=None, help="Broker URL (default: WIREWATCH_BROKER).")
@click.option("--web-port", type=int, default=None, help="Port of /metrics (default: WIREWATCH_WEB_PORT).")
@click.option("--loglevel", "-l", default=None, help="Log level (default: WIREWATCH_LOG_LEVEL).")
def worker(broker_url: str | None, web_port: int | None, loglevel: str | None) -> None:
    """Run the Faust worker: the clean, deduplicate, extract, story and alert agents."""
    if broker_url:
        os.environ["WIREWATCH_BROKER"] = broker_url
    if web_port is not None:
        os.environ["WIREWATCH_WEB_PORT"] = str(web_port)
    if loglevel:
        os.environ["WIREWATCH_LOG_LEVEL"] = loglevel.lower()
    from streams.lifecycle import exit_on_early_sigterm

    exit_on_early_sigterm()  # until Faust's own handlers take over (streams/lifecycle.py)
    settings = Settings()
    from streams.app import create_app
    from streams.extraction.dictionary import ActorsFileError, user_file
    from streams.extraction.patterns import PatternsFileError
    from streams.extraction.patterns import user_file as patterns_file
    from streams.topics import TopicCreateError, TopicMismatch, ensure_topics

    try:
        user_file(settings.actors_file)  # a bad actors file stops the worker here, not per article
        patterns_file(settings.patterns_file)  # so does a bad patterns file
    except (ActorsFileError, PatternsFileError) as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        created = asyncio.run(ensure_topics(settings))
    except (TopicMismatch, TopicCreateError) as exc:
        raise click.ClickException(str(exc)) from exc
    if created:
        console.print(f"created topics: {', '.join(created)}")
    app = create_app(settings)
    sys.argv = [
        "wirewatch",
        "worker",
        "--loglevel",
        settings.log_level,
        "--web-port",
        str(settings.web_port),
        "--web-host",
        settings.web_host,
    ]
    app.main()


@main.group()
def topics() -> None:
    """Create and check the Kafka topics: partitions, replication factor, retention, cleanup policy.

    The plan (streams/topics.py) covers the public topics, the internal topics between agents
    and the changelogs of the tables, from WIREWATCH_* settings and the alert rules.
    """


def _configs_text(configs: Mapping[str, str] | None, planned: Mapping[str, str]) -> str:
    """``compact,delete retention 1d1h5m``: the planned config keys' values in ``configs``."""
    from streams.topics import CLEANUP_POLICY, RETENTION_MS, human_ms

    if configs is None:
        return "?"
    parts = []
    if CLEANUP_POLICY in planned:
        parts.append(configs.get(CLEANUP_POLICY) or "(not set)")
    if RETENTION_MS in planned:
        parts.append(f"retention {human_ms(configs.get(RETENTION_MS))}")
    return " ".join(parts)


@topics.command("create")
@click.option("--broker", "broker_url", default=None, help="Broker URL (default: WIREWATCH_BROKER).")
@click.option("--dry-run", is_flag=True, help="Print the plan and what would be created; create nothing.")
@click.option(
    "--wait",
    type=click.FloatRange(min=0),
    default=0.0,
    show_default=True,
    help="Seconds to wait for WIREWATCH_REPLICATION_FACTOR brokers to answer first (exit 2 when they do not).",
)
def topics_create(broker_url: str | None, dry_run: bool, wait: float) -> None:
    """Create every planned topic that does not exist (existing ones are left alone and reported).

    Exit 1 when an existing topic a table reads (or a changelog) has another partition count:
    the worker would refuse to start on it; 2 when the broker does not answer.
    """
    from aiokafka.errors import KafkaError
    from rich.table import Table

    from streams.topics import TopicCreateError, create_topics, strict_mismatches, wait_for_brokers

    settings = _settings(broker_url)
    if wait and not asyncio.run(wait_for_brokers(settings, wait, say=lambda m: console.print(f"topics: {m}"))):
        sys.exit(2)
    try:
        results = asyncio.run(create_topics(settings, dry_run=dry_run))
    except TopicCreateError as exc:
        raise click.ClickException(str(exc)) from exc
    except KafkaError as exc:
        console.print(f"[red]cannot create the topics on {settings.broker}:[/] {exc!r}")
        sys.exit(2)
    table = Table(title=f"topics on {settings.broker}" + (" (dry run)" if dry_run else ""))
    for column in ("topic", "kind", "partitions", "rf", "configs", "state"):
        table.add_column(column, justify="right" if column in ("partitions", "rf") else "left")
    for r in results:
        state: str = r.state
        if r.existing is not None and r.partitions_differ:
            state += f" [red]({r.existing.partitions} partitions)[/]"
        table.add_row(
            r.spec.name,
            r.spec.kind,
            str(r.spec.partitions),
            str(r.spec.replication_factor),
            _configs_text(r.spec.configs, r.spec.configs),
            state,
        )
    out.print(table)
    first = "would create" if dry_run else "created"
    out.print(f"{sum(r.state == first for r in results)} {first}, {sum(r.state == 'exists' for r in results)} existed")
    problems = strict_mismatches(results, settings)
    for problem in problems:
        console.print(f"[red]{problem}[/]")
    if problems:
        sys.exit(1)


@topics.command("check")
@click.option("--broker", "broker_url", default=None, help="Broker URL (default: WIREWATCH_BROKER).")
@click.option("--json", "as_json", is_flag=True, help="Also print one JSON object as the last line.")
def topics_check(broker_url: str | None, as_json: bool) -> None:
    """Compare the cluster with the plan: missing topics, partitions, replication factor, cleanup policy
    and retention. Exit 0 when clean, 1 on drift, 2 when the broker does not answer."""
    import json

    from aiokafka.errors import KafkaError
    from rich.table import Table

    from streams.topics import check_topics

    settings = _settings(broker_url)

    try:
        report = asyncio.run(check_topics(settings))
    except KafkaError as exc:
        console.print(f"[red]cannot check the topics on {settings.broker}:[/] {exc!r}")
        sys.exit(2)
    table = Table(title=f"topics on {settings.broker} against the plan")
    for column in ("topic", "partitions", "rf", "configs", "plan configs", "status"):
        table.add_column(column, justify="right" if column in ("partitions", "rf") else "left")
    for t in report.topics:
        have = t.existing
        partitions = str(t.spec.partitions) if have is None else str(have.partitions)
        rf = str(t.spec.replication_factor) if have is None else str(have.replication_factor)
        if have is not None and have.partitions != t.spec.partitions:
            partitions = f"[red]{have.partitions}[/] (plan {t.spec.partitions})"
        if have is not None and have.replication_factor != t.spec.replication_factor:
            rf = f"[red]{have.replication_factor}[/] (plan {t.spec.replication_factor})"
        status = {"ok": "[green]ok[/]", "missing": "[red]missing[/]"}.get(t.status, "[red]drift[/]")
        table.add_row(
            t.spec.name,
            partitions if have is not None else "-",
            rf if have is not None else "-",
            "-" if have is None else _configs_text(t.configs, t.spec.configs),
            _configs_text(t.spec.configs, t.spec.configs),
            status,
        )
    out.print(table)
    for t in report.topics:
        if t.status != "ok":
            out.print(f"[red]{t.status}[/] {t.spec.name}: {'; '.join(t.problems)}", highlight=False)
    if report.configs_note:
        out.print(f"[yellow]configs not checked:[/] {report.configs_note}; partitions and replication were")
    for name in report.extra:
        out.print(f"[dim]not in the plan (left alone):[/] {name}", highlight=False)
    drift = [t for t in report.topics if t.status != "ok"]
    out.print(
        f"{len(report.topics) - len(drift)} of {len(report.topics)} topics match the plan"
        + ("" if report.configs_checked or not report.configs_note else " (configs not checked)")
    )
    if as_json:
        click.echo(json.dumps(report.as_dict()))
    if drift:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True)
@click.option("--broker", "broker_url", default=None, help="Broker URL (default: WIREWATCH_BROKER).")
@click.option("--topic", default=None, help="Topic (default: WIREWATCH_TOPIC_RAW).")
def produce(files: tuple[str, ...], broker_url: str | None, topic: str | None) -> None:
    """Publish raw articles from FILES (JSONL, .txt, .html, or - for stdin) and report sent/failed."""
    from rich.progress import Progress

    from streams.inputs import read_inputs
    from streams.kafka import produce as produce_all

    settings = _settings(broker_url)
    try:
        messages = list(read_inputs(list(files)))
    except FileNotFoundError as exc:
        raise click.ClickException(str(exc)) from exc
    failures: list[str] = []
    with Progress(console=console, transient=False) as progress:
        task = progress.add_task("publishing", total=len(messages))

        def advance(message: object, error: BaseException | None) -> None:
            progress.advance(task)
            if error is not None:
                failures.append(f"{getattr(message, 'origin', '?')}: {error!r}")

        summary = asyncio.run(produce_all(settings, messages, topic or settings.topic_raw, advance))
    for failure in failures[:20]:
        console.print(f"[red]failed[/] {failure}")
    console.print(f"sent {summary.sent}, failed {summary.failed} → {topic or settings.topic_raw}")
    if summary.failed:
        sys.exit(1)


@main.command()
@click.argument("topic")
@click.option("--broker", "broker_url", default=None, help="Broker URL (default: WIREWATCH_BROKER).")
@click.option("--json", "as_json", is_flag=True, help="Print raw message values, one per line.")
@click.option("--from-beginning/--new-only", default=True, show_default=True, help="Start offset.")
@click.option("--idle-exit", type=float, default=None, help="Exit after this many seconds without a message.")
@click.option("--limit", type=int, default=None, help="Exit after this many messages.")
def tail(
    topic: str, broker_url: str | None, as_json: bool, from_beginning: bool, idle_exit: float | None, limit: int | None
) -> None:
    """Consume TOPIC and print each message readably (or raw with --json)."""
    from streams.kafka import consume
    from streams.render import describe, parse_any

    settings = _settings(broker_url)

    async def run() -> None:
        seen = 0
        async for record in consume(settings, [topic], from_beginning=from_beginning, idle_timeout=idle_exit):
            value = record.value or b""
            if as_json:
                sys.stdout.buffer.write(value + b"\n")
                sys.stdout.flush()
            else:
                message = parse_any(value)
                text = describe(message) if message else value[:300].decode("utf-8", "replace")
                out.print(f"[dim]{record.partition}@{record.offset}[/] {text}", highlight=False)
            seen += 1
            if limit is not None and seen >= limit:
                return

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(run())


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="Directory for <topic>.jsonl outputs.",
)
def process(inputs: tuple[str, ...], out_dir: Path) -> None:
    """Run the pipeline offline over INPUTS (JSONL, .txt, .html, or - for stdin), no broker needed."""
    from streams.extraction.dictionary import ActorsFileError
    from streams.extraction.patterns import PatternsFileError
    from streams.inputs import read_inputs
    from streams.offline import process_messages, write_result

    settings = _settings()
    try:
        result = process_messages(read_inputs(list(inputs)), settings)
    except (FileNotFoundError, ActorsFileError, PatternsFileError) as exc:
        raise click.ClickException(str(exc)) from exc
    for topic, path in write_result(result, out_dir).items():
        console.print(f"{result.count(topic):6d} → {path}")


@main.group()
def schemas() -> None:
    """JSON Schema of every topic message."""


@schemas.command("export")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Target directory (default: schemas/json in the source tree).",
)
def schemas_export(directory: Path | None) -> None:
    """Write schemas/json/<model>.schema.json for every topic model."""
    from schemas.export import JSON_DIR, export_schemas

    for path in export_schemas(directory or JSON_DIR):
        console.print(f"wrote {path}")


@main.group()
def bench() -> None:
    """Benchmarks that print tables of measured figures."""


aeb_option = click.option(
    "--aeb",
    "aeb_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="ScrapingHub article-extraction benchmark directory (default: ../shared/eval/aeb).",
)
"""The ``--aeb`` option of the benchmarks that read the AEB pages or bodies."""


@bench.command("cleaning")
@aeb_option
@click.option(
    "--text-set",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Labelled text-furniture JSONL (default: tests/cleaning/data/text_furniture.jsonl).",
)
@click.option("--skip-html", is_flag=True, help="Only the text-path table.")
def bench_cleaning(aeb_dir: Path | None, text_set: Path | None, skip_html: bool) -> None:
    """Score the clean stage: HTML path on the AEB pages next to trafilatura, text path on the furniture set."""
    from streams.cleaning import bench_html, bench_text

    if not skip_html:
        aeb = aeb_dir or bench_html.DEFAULT_AEB_DIR
        if not aeb.is_dir():
            raise click.ClickException(f"no benchmark directory at {aeb}; pass --aeb DIR")
        out.print(bench_html.render_table(bench_html.run_bench(aeb)))
    path = text_set or bench_text.DEFAULT_SET
    if not path.is_file():
        raise click.ClickException(f"no text-furniture set at {path}; pass --text-set FILE")
    out.print(bench_text.render_text_score(bench_text.score_text_set(path)))


@bench.command("extraction")
@aeb_option
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True, help="Timed passes per runner.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="Only the first N article bodies (by id).")
@click.option("--skip-stage", is_flag=True, help="Do not time the extract stage.")
@click.option("--json", "as_json", is_flag=True, help="One JSON line instead of the table.")
def bench_extraction(aeb_dir: Path | None, repeat: int, limit: int | None, skip_stage: bool, as_json: bool) -> None:
    """Words/s of the actor/place/date layer and the extract stage next to spaCy NER alone, on the AEB bodies."""
    import json

    from streams.extraction import bench_layer

    aeb = aeb_dir or bench_layer.DEFAULT_AEB_DIR
    if not (aeb / "ground-truth.json").is_file():
        raise click.ClickException(f"no ground-truth.json in {aeb}; pass --aeb DIR")
    result = bench_layer.run_bench(aeb, repeat=repeat, limit=limit, skip_stage=skip_stage)
    if as_json:
        click.echo(json.dumps(result.as_dict()))
    else:
        out.print(bench_layer.render_table(result))


@bench.command("stages")
@aeb_option
@click.option("--articles", type=click.IntRange(min=1), default=204, show_default=True, help="Articles of the mix.")
@click.option("--repeat", type=click.IntRange(min=1), default=3, show_default=True, help="Timed passes.")
@click.option(
    "--batch",
    type=click.IntRange(min=1, max=64),
    default=1,
    show_default=True,
    help="Articles the extract stage codes together (the worker batches articles that queue).",
)
@click.option("--json", "as_json", is_flag=True, help="One JSON line instead of the table.")
def bench_stages(aeb_dir: Path | None, articles: int, repeat: int, batch: int, as_json: bool) -> None:
    """CPU ms per article and articles/s of every stage (clean … alert) on the pipeline mix, one process, no broker."""
    import json

    from streams import bench_stages as bench

    result = bench.run_bench(aeb_dir, articles=articles, repeat=repeat, batch=batch)
    if as_json:
        click.echo(json.dumps(result.as_dict()))
    else:
        out.print(bench.render_table(result))


@bench.command("alerts")
@click.option("--broker", "broker_url", default=None, help="Use this broker (default: start an embedded one).")
@click.option("--articles", type=click.IntRange(min=1), default=200, show_default=True, help="Measured articles.")
@click.option(
    "--rate", type=click.FloatRange(min=0, min_open=True), default=10.0, show_default=True, help="Articles/s."
)
@click.option(
    "--warmup",
    type=click.IntRange(min=0),
    default=5,
    show_default=True,
    help="Articles sent first, not counted (one per base).",
)
@click.option(
    "--timeout", type=float, default=120.0, show_default=True, help="Seconds to wait for alerts after the last send."
)
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the article variants.")
@click.option("--json", "as_json", is_flag=True, help="Also print one JSON object as the last line.")
def bench_alerts(
    broker_url: str | None, articles: int, rate: float, warmup: int, timeout: float, seed: int, as_json: bool
) -> None:
    """Alert latency: article published on articles.raw → alert on alerts, p50/p95/p99/max at a fixed rate.

    Starts an embedded broker (unless --broker) and a worker, both on free ports with their own
    app id and topics, and stops them at the end.
    """
    import json

    from streams import bench_alerts as bench

    try:
        result = bench.run_bench(
            broker_url, articles=articles, rate=rate, warmup=warmup, timeout=timeout, seed=seed, console=console
        )
    except KeyboardInterrupt:
        sys.exit(130)
    out.print(bench.render_table(result))
    if as_json:
        click.echo(json.dumps(result.as_dict()))
    if result.as_dict()["missing"]:
        sys.exit(1)


@bench.command("broker")
@click.option(
    "--batches",
    default="1000,20000,60000",
    show_default=True,
    help="Partition lengths to measure, in one-record batches (comma-separated).",
)
@click.option("--fetches", type=click.IntRange(min=1), default=20, show_default=True, help="Timed fetches per length.")
@click.option("--broker", "broker_url", default=None, help="Use this broker (default: start an embedded one).")
@click.option("--json", "as_json", is_flag=True, help="One JSON line instead of the table.")
def bench_broker(batches: str, fetches: int, broker_url: str | None, as_json: bool) -> None:
    """Fetch time against partition length: on the embedded broker it grows with the partition,
    which is what stops a long soak (streams/bench_broker.py says why)."""
    import json

    from streams import bench_broker as bench

    try:
        lengths = [int(part) for part in batches.split(",") if part.strip()]
        costs = bench.run_bench(lengths, fetches=fetches, broker_url=broker_url)
    except ValueError as exc:
        raise click.BadParameter(f"--batches {batches!r}: {exc}") from exc
    if as_json:
        click.echo(json.dumps({"fetch_costs": [cost.as_dict() for cost in costs]}))
    else:
        out.print(bench.render_table(costs))


@bench.command("pipeline")
@click.option(
    "--workers", type=click.IntRange(min=1), default=1, show_default=True, help="Worker processes (one group)."
)
@click.option("--articles", type=click.IntRange(min=1), default=300, show_default=True, help="Measured articles.")
@click.option(
    "--rate",
    type=click.FloatRange(min=0, min_open=True),
    default=None,
    help="Articles/s (default: as fast as possible).",
)
@click.option(
    "--warmup", type=click.IntRange(min=0), default=None, help="Articles sent first [default: 2 × partitions]."
)
@click.option("--broker", "broker_url", default=None, help="Use this broker (default: start an embedded one).")
@click.option("--timeout", type=float, default=600.0, show_default=True, help="Seconds to wait after the last send.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the article order.")
@click.option("--no-relay", is_flag=True, help="Skip the bare-relay ceiling.")
@click.option(
    "--pin", is_flag=True, help="Worker i (and its stage children) on core i only; broker and bench on the rest."
)
@click.option(
    "--memory-at",
    "memory_at",
    default="",
    help="Soak marks: the workers' RSS and Pss when this many articles are through extract "
    "(comma-separated, e.g. 10000,100000; printed as each is passed, and in memory_at).",
)
@click.option(
    "--time-scale",
    "time_scale",
    type=click.FloatRange(min=0, max=1, min_open=True),
    default=None,
    help="Soak: every retention, window and cooldown the workers keep state for × this "
    "(e.g. 0.0005: 7 days → 5 min), so their tables reach their steady size within the run.",
)
@click.option("--plot", "plot_path", type=click.Path(dir_okay=False, path_type=Path), help="Latency-over-time PNG.")
@click.option("--json", "as_json", is_flag=True, help="Also print one JSON object as the last line.")
def bench_pipeline(
    workers: int,
    articles: int,
    rate: float | None,
    warmup: int | None,
    broker_url: str | None,
    timeout: float,
    seed: int,
    no_relay: bool,
    pin: bool,
    memory_at: str,
    time_scale: float | None,
    plot_path: Path | None,
    as_json: bool,
) -> None:
    """Throughput of N workers (articles/s, per stage), latency p50/p95/p99, CPU s/article, peak RSS, and a bare relay.

    Starts an embedded broker (unless --broker) and N workers in one consumer group with their own
    app id and topics, publishes AEB bodies and corpus articles, and stops everything at the end.
    """
    import json

    from streams import bench_pipeline as bench

    try:
        result = bench.run_bench(
            broker_url,
            workers=workers,
            articles=articles,
            rate=rate,
            warmup=warmup,
            timeout=timeout,
            seed=seed,
            relay=not no_relay,
            pin=pin,
            memory_at=[int(mark) for mark in memory_at.replace(" ", "").split(",") if mark],
            time_scale=time_scale,
            console=console,
        )
    except KeyboardInterrupt:
        sys.exit(130)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from exc
    out.print(bench.render(result))
    if plot_path is not None:
        bench.plot(result, plot_path)
        console.print(f"latency plot: {plot_path}")
    if as_json:
        click.echo(json.dumps(result.as_dict()))
    if not result.completed:
        sys.exit(1)


@main.group(name="eval")
def eval_group() -> None:
    """Quality figures of the extraction layers on evaluation sets (tables; --json for one JSON line)."""


def _delegate(module: str, args: list[str]) -> None:
    """Run an evaluation module's own command line (one implementation, two entry points)."""
    import importlib

    code = importlib.import_module(module).main(args)
    if code:
        sys.exit(code)


@eval_group.command("actors", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def eval_actors(args: tuple[str, ...]) -> None:
    """Actor resolution on the NGEC actor tests: country and sector accuracy. ARGS: [PATH] [--json] [--failures]."""
    _delegate("streams.extraction.evaluate_actors", list(args))


@eval_group.command("places", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def eval_places(args: tuple[str, ...]) -> None:
    """Toponyms on the geoparsing gold: P/R/F1, GeoNames id, country, within 161 km.

    ARGS: [PATH] [--json] [--limit N].
    """
    _delegate("streams.extraction.evaluate_places", list(args))


@eval_group.command("dates", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def eval_dates(args: tuple[str, ...]) -> None:
    """Event-date resolution on the project's dated-sentence set. ARGS: [PATH] [--json]."""
    _delegate("streams.extraction.evaluate_dates", list(args))


@eval_group.command("events", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def eval_events(args: tuple[str, ...]) -> None:
    """Event coding: PLOVER type accuracy, source/target country P/R/F1 and full match on the PLOVER
    GSR; PETRARCH unit tests (exact and loose pass, per category, events on no-event sentences).

    ARGS: [--plover PATH] [--petrarch PATH] [--json] [--limit N].
    """
    _delegate("streams.extraction.evaluate_events", list(args))


@main.command()
@click.option("--once", is_flag=True, help="Exit when the whole corpus has been processed.")
@click.option(
    "--timeout", type=float, default=300.0, show_default=True, help="With --once: give up after this many seconds."
)
def demo(once: bool, timeout: float) -> None:
    """Start a broker (if none answers) and a worker, publish the sample corpus, print events and alerts."""
    from streams.demo import run_demo

    settings = _settings()
    code = run_demo(settings, once=once, timeout=timeout, console=out)
    sys.exit(code)


main.add_command(fuzz_command)


if __name__ == "__main__":
    main()
