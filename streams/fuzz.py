"""Coverage-guided fuzzing (atheris, i.e. libFuzzer for Python) of the stages' entry points.

Targets, each the bytes of one input turned into what the entry point takes:

- ``clean``: the first byte picks the shape (bit 0: HTML or text, bit 1: the first line is
  the producer's title), the rest is the body (UTF-8, invalid bytes replaced, as orjson would
  refuse them on the wire). :func:`streams.cleaning.stage.clean` must return a CleanArticle
  that survives its own wire round trip, or raise ``CleaningError``.
- ``extract``: the first byte picks whether the text is normalised like the clean stage's
  output (bit 0); the rest becomes a CleanArticle (paragraphs split at blank lines).
  :func:`streams.extraction.stage.extract` must return events that survive the wire round
  trip, and raise nothing.
- ``handlers``: the first byte picks the record handler (raw, clean, event, escalation) and,
  for the escalation, the record key; the rest is the record value. A raw record that cleans
  goes on through extraction, the story step, the alert and the escalation handlers, as in
  the stream. Nothing may raise; every dead letter and output must survive the wire round trip.

Any other exception is a finding: atheris writes the input to ``crash-<sha1>`` under the
artifact directory. Inputs are capped (``MAX_LEN``) and each may take at most the stream's
per-article time limit (``Settings.stage_timeout_s``) before libFuzzer reports a timeout, so a
finding is a bug, not a 10 MB input being slow.

``wirewatch fuzz TARGET --seconds N`` runs ``python -m streams.fuzz TARGET <libFuzzer flags>``
in a child (libFuzzer exits the process when done), seeds it from the bundled sample corpus,
and reports executions, coverage and crash files. atheris is optional:
``pip install -e '.[fuzz]'``.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import click

TARGETS: Final = ("clean", "extract", "handlers")
#: Largest input per target (libFuzzer ``-max_len``), in bytes. The sample articles are 2-7 KB;
#: extraction codes at most 400 sentences, so longer texts only add segmenting time.
MAX_LEN: Final = {"clean": 32_768, "extract": 16_384, "handlers": 32_768}
#: Per-input time limit in seconds (libFuzzer ``-timeout``): the stream's stage limit.
TIMEOUT_S: Final = 30
DEFAULT_DIR: Final = Path(".fuzz")
INSTALL_HINT: Final = "atheris is not installed: pip install -e '.[fuzz]' (or pip install atheris==3.0.0)"
CODED_AT: Final = datetime(2025, 6, 13, 18, tzinfo=UTC)
HANDLERS: Final = ("raw", "clean", "event", "escalation")
ESCALATION_KEYS: Final[tuple[bytes | None, ...]] = (
    b"dyad|ISR|IRN|4",
    b"country|IRN|4",
    b"dyad|ISR|IRN|3",
    None,
    b"",
    b"dyad|ISR|4",
    b"\xff\xfe",
    b"country|IRN|x",
)


class Finding(AssertionError):
    """An entry point broke its contract on a fuzz input."""


# --- inputs ------------------------------------------------------------------------------


def _text(data: bytes) -> str:
    return data.decode("utf-8", "replace")


def clean_input(data: bytes) -> Any:
    """The RawArticle the ``clean`` target builds from ``data`` (None when it has no body)."""
    from pydantic import ValidationError

    from schemas.articles import RawArticle

    if not data:
        return None
    mode, body = data[0], _text(data[1:])
    title = None
    if mode & 2:
        title, _, body = body.partition("\n")
        title = title[:2_000]
    try:
        if mode & 1:
            return RawArticle(id="fuzz", title=title, html=body)
        return RawArticle(id="fuzz", title=title, text=body)
    except ValidationError:
        return None  # no body: the schema refuses it before the stage


def extract_input(data: bytes) -> Any:
    """The CleanArticle the ``extract`` target builds from ``data``."""
    from schemas.articles import CleanArticle
    from streams.cleaning.normalise import normalise_text, split_paragraphs

    mode, body = (data[0], _text(data[1:])) if data else (0, "")
    if mode & 1:
        paragraphs = split_paragraphs(normalise_text(body))
    else:
        paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    return CleanArticle.of_paragraphs(
        "fuzz", paragraphs, published_at=CODED_AT, url="https://example.test/fuzz", source="Fuzz Wire"
    )


# --- checks ------------------------------------------------------------------------------


def _round_trips(model: Any) -> None:
    again = type(model).from_json(model.to_json())
    if again != model:
        raise Finding(f"{type(model).__name__} changes on its wire round trip")


def check_clean(data: bytes) -> None:
    """One ``clean`` input: a CleanArticle that survives the wire, or CleaningError."""
    from streams.cleaning.errors import CleaningError
    from streams.cleaning.stage import clean

    raw = clean_input(data)
    if raw is None:
        return
    try:
        article = clean(raw, max_chars=20_000)
    except CleaningError:
        return
    if article.text != "\n\n".join(article.paragraphs) or not all(p.strip() for p in article.paragraphs):
        raise Finding("paragraphs do not make up the text")
    if len(article.text) > 20_000:
        raise Finding(f"body of {len(article.text)} characters over max_chars")
    _round_trips(article)


def check_extract(data: bytes) -> None:
    """One ``extract`` input: events that survive the wire; no exception."""
    from streams.extraction.stage import extract

    for event in extract(extract_input(data), coded_at=CODED_AT):
        _round_trips(event)


@dataclass
class _Pipeline:
    """What the ``handlers`` target keeps between inputs: nothing but configuration."""

    settings: Any
    rules: Any


_PIPELINE: _Pipeline | None = None


def _pipeline() -> _Pipeline:
    global _PIPELINE
    if _PIPELINE is None:
        from streams.alerting.rules import load_rules
        from streams.settings import Settings

        _PIPELINE = _Pipeline(Settings(max_message_bytes=MAX_LEN["handlers"]), load_rules())
    return _PIPELINE


def _outcome_ok(outcome: Any) -> None:
    for item in (*outcome.clean, *outcome.events, *outcome.alerts, *outcome.folded, *outcome.dead_letters):
        _round_trips(item)
    if outcome.dead_letters and (outcome.clean or outcome.events or outcome.alerts):
        raise Finding("a dead-lettered record also produced output")


def check_handlers(data: bytes) -> None:
    """One ``handlers`` input: an Outcome whose every message survives the wire; no exception."""
    from streams.alerting.escalation import memory_state, routes
    from streams.alerting.stage import AlertBook
    from streams.deadletters import Record
    from streams.pipeline import apply_reports, apply_story, handle_clean, handle_escalation, handle_event, handle_raw

    if not data:
        return
    p = _pipeline()
    mode, value = data[0], data[1:]
    handler = HANDLERS[mode % len(HANDLERS)]
    since = CODED_AT.replace(year=2020)
    book = AlertBook({})
    state = memory_state(p.rules.escalation)
    if handler == "clean":
        _outcome_ok(handle_clean(Record(value=value), p.settings, now=CODED_AT))
        return
    if handler == "event":
        _outcome_ok(handle_event(Record(value=value), p.settings, p.rules, book, now=CODED_AT))
        return
    if handler == "escalation":
        key = ESCALATION_KEYS[(mode >> 2) % len(ESCALATION_KEYS)]
        record = Record(value=value, key=key)
        _outcome_ok(handle_escalation(record, p.settings, p.rules, state, since=since, now=CODED_AT))
        return
    outcome = handle_raw(Record(value=value, topic="articles.raw", partition=0, offset=0), p.settings)
    _outcome_ok(outcome)
    stories: dict[str, bytes] = {}
    reports: dict[str, bytes] = {}
    for article in outcome.clean:  # on through the stream, as the agents chain the handlers
        coded = apply_reports(article, handle_clean(Record(value=article.to_json()), p.settings, now=CODED_AT), reports)
        _outcome_ok(coded)
        for event in coded.events:
            story = apply_story(event, stories, p.settings, now=CODED_AT)
            record = Record(value=story.event.to_json())
            alerted = handle_event(record, p.settings, p.rules, book, now=CODED_AT)
            _outcome_ok(alerted)
            for alert in alerted.alerts + alerted.folded:
                book.remember(alert, story.event)
            if story.verdict != "new":
                continue
            for subject in routes(story.event, p.rules.escalation, p.rules.first_seen):
                keyed = Record(value=story.event.to_json(), key=subject.key.encode())
                _outcome_ok(handle_escalation(keyed, p.settings, p.rules, state, since=since, now=CODED_AT))


CHECKS: Final[dict[str, Callable[[bytes], None]]] = {
    "clean": check_clean,
    "extract": check_extract,
    "handlers": check_handlers,
}


# --- seeds -------------------------------------------------------------------------------


def seeds(target: str) -> Iterator[bytes]:
    """Seed inputs for ``target`` from the bundled sample articles (and a few edge cases)."""
    from streams.corpus import sample_articles, sample_lines

    articles = sample_articles()
    if target == "handlers":
        for line in sample_lines():
            yield bytes([0]) + line  # a raw record
        yield bytes([1]) + b'{"id": "a1"}'
        yield bytes([2]) + b"{}"
        yield bytes([3]) + b"[]"
        return
    for article in articles:
        if target == "clean":
            if article.html:
                yield bytes([1]) + article.html.encode()
            if article.text:
                yield bytes([0]) + article.text.encode()
            if article.title and article.text:
                yield bytes([2]) + f"{article.title}\n{article.text}".encode()
        elif article.text:
            yield bytes([1]) + article.text.encode()
    if target == "clean":
        yield bytes([1]) + b"<html><body><p>Police detained two journalists in Tbilisi.</p></body></html>"
    else:
        yield bytes([0]) + b"Russia launched drones at Kyiv on Monday, officials said."


def write_seeds(target: str, directory: Path) -> int:
    """Write the seed inputs into ``directory`` (named by content hash); returns how many."""
    directory.mkdir(parents=True, exist_ok=True)
    n = 0
    for data in seeds(target):
        data = data[: MAX_LEN[target]]
        (directory / hashlib.sha1(data).hexdigest()).write_bytes(data)
        n += 1
    return n


# --- the atheris child ---------------------------------------------------------------------


def fuzz_child(argv: list[str]) -> None:
    """``python -m streams.fuzz TARGET [libFuzzer args]``: instrument the stages and fuzz (never returns)."""
    try:
        import atheris
    except ImportError:
        print(INSTALL_HINT, file=sys.stderr)
        raise SystemExit(3) from None
    target = argv[1]
    check = CHECKS[target]
    with atheris.instrument_imports(include=["streams", "schemas", "trafilatura", "ftfy"]):
        # Import (and so instrument) the code under test before the first input.
        import streams.cleaning.stage
        import streams.extraction.stage
        import streams.pipeline  # noqa: F401
    if target != "clean":
        from streams.extraction.stage import warm_up

        warm_up()

    def one_input(data: bytes) -> None:
        check(data)

    atheris.Setup([argv[0], *argv[2:]], one_input)
    atheris.Fuzz()


# --- the runner behind ``wirewatch fuzz`` ---------------------------------------------------

_STATUS = re.compile(r"^#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+) corp: (\d+)/(\S+)")
_DONE = re.compile(r"^Done (\d+) runs in (\d+) second")
_ARTIFACT = re.compile(r"Test unit written to (\S+)")


@dataclass
class FuzzReport:
    """What one fuzzing run did."""

    target: str
    seconds: float = 0.0
    executions: int = 0
    coverage: int = 0
    features: int = 0
    corpus: int = 0
    crashes: list[str] = field(default_factory=list)
    exit_code: int = 0
    log: Path | None = None

    @property
    def found(self) -> bool:
        return bool(self.crashes) or self.exit_code != 0


def parse_log(target: str, text: str) -> FuzzReport:
    """Executions, coverage and crash files from libFuzzer's output."""
    report = FuzzReport(target)
    for line in text.splitlines():
        if m := _STATUS.match(line):
            report.executions = int(m[1])
            report.coverage, report.features, report.corpus = int(m[3]), int(m[4]), int(m[5])
        elif m := _DONE.match(line):
            report.executions = int(m[1])
        elif m := _ARTIFACT.search(line):
            report.crashes.append(m[1])
    return report


def atheris_available() -> bool:
    try:
        import atheris  # noqa: F401
    except ImportError:
        return False
    return True


def run(
    target: str,
    *,
    seconds: int,
    corpus: Path | None = None,
    workdir: Path = DEFAULT_DIR,
    echo: Callable[[str], None] = print,
) -> FuzzReport:
    """Fuzz ``target`` for ``seconds`` in a child process; new inputs go to ``corpus``."""
    if target not in TARGETS:
        raise ValueError(f"unknown fuzz target {target!r}; one of {', '.join(TARGETS)}")
    home = workdir / target
    corpus = corpus or home / "corpus"
    seed_dir = home / "seeds"
    artifacts = home / "artifacts"
    for d in (corpus, artifacts):
        d.mkdir(parents=True, exist_ok=True)
    n_seeds = write_seeds(target, seed_dir)
    log = home / f"fuzz-{int(time.time())}.log"
    cmd = [
        sys.executable,
        "-m",
        "streams.fuzz",
        target,
        f"-max_total_time={seconds}",
        f"-timeout={TIMEOUT_S}",
        f"-max_len={MAX_LEN[target]}",
        f"-artifact_prefix={artifacts}{os.sep}",
        "-print_final_stats=1",
        "-rss_limit_mb=4096",
        str(corpus),
        str(seed_dir),
    ]
    echo(f"fuzzing {target} for {seconds} s: {n_seeds} seeds, corpus {corpus}, log {log}")
    # The child imports the very code this process runs (a worktree, not another install).
    root = str(Path(__file__).resolve().parents[1])
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")]))}
    started = time.monotonic()
    with log.open("w") as out:
        code = subprocess.call(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
    report = parse_log(target, log.read_text(errors="replace"))
    report.seconds = time.monotonic() - started
    report.exit_code = code
    report.log = log
    return report


def describe(report: FuzzReport) -> str:
    """One paragraph for the terminal."""
    lines = [
        f"{report.target}: {report.executions:,} executions in {report.seconds:.0f} s "
        f"({report.executions / max(report.seconds, 1e-9):.1f}/s), coverage {report.coverage} edges, "
        f"{report.features} features, corpus {report.corpus} inputs",
    ]
    if report.crashes:
        lines += [f"FINDING: input written to {path}" for path in report.crashes]
    elif report.exit_code != 0:
        lines.append(f"FINDING: the fuzzer exited with {report.exit_code}; see {report.log}")
    else:
        lines.append("no findings")
    return "\n".join(lines)


def reproduce(target: str, path: Path) -> None:
    """Run one saved input through ``target``'s check (raises what the fuzzer saw)."""
    CHECKS[target](path.read_bytes())


@click.command("fuzz")
@click.argument("target", type=click.Choice(TARGETS))
@click.option("--seconds", type=click.IntRange(min=1), default=600, show_default=True, help="How long to fuzz.")
@click.option(
    "--corpus",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Corpus directory, kept between runs (default: .fuzz/TARGET/corpus).",
)
@click.option(
    "--workdir",
    type=click.Path(file_okay=False, path_type=Path),
    default=DEFAULT_DIR,
    show_default=True,
    help="Seeds, crash files and logs go under WORKDIR/TARGET.",
)
@click.option(
    "--reproduce",
    "crash",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help="Run this saved input (a crash file) through the target once, without atheris.",
)
def command(target: str, seconds: int, corpus: Path | None, workdir: Path, crash: Path | None) -> None:
    """Fuzz the clean stage, the extract stage or the record handlers with atheris (libFuzzer).

    Seeds come from the bundled sample articles; each input is capped in size and may take at most
    the stage time limit. Exit 1 on a finding (the input is written to a crash file); --reproduce FILE
    runs one saved input through TARGET's check instead.
    """
    if crash is not None:
        reproduce(target, crash)
        click.echo(f"{crash}: no finding")
        return
    if not atheris_available():
        raise click.ClickException(INSTALL_HINT)
    report = run(target, seconds=seconds, corpus=corpus, workdir=workdir, echo=click.echo)
    click.echo(describe(report))
    if report.found:
        raise SystemExit(1)


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print(f"usage: python -m streams.fuzz {{{','.join(TARGETS)}}} [libFuzzer flags] [corpus dirs]", file=sys.stderr)
        raise SystemExit(2)
    fuzz_child(sys.argv)
