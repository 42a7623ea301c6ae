"""``wirewatch bench stages``: CPU per article of every stage on the pipeline mix, one process, no broker.

The articles are ``bench pipeline``'s (:func:`streams.bench_pipeline.pipeline_articles`: the AEB
ground-truth bodies and the bundled corpus, text and HTML, shuffled; by default the 204 of the
pool, no splices). Each repeat runs them through the record handlers the workers call, in
order, with fresh state (duplicate index, report, story and alert books in dicts, as
``wirewatch process`` keeps them) and a fixed clock:

- ``clean``: :func:`streams.pipeline.handle_raw` (decode, HTML extraction, furniture, language,
  and the MinHash fingerprint the deduplicate stage compares, computed in the clean child);
- ``deduplicate``: :func:`streams.pipeline.mark_duplicate` (lookup and record);
- ``extract``: :func:`streams.pipeline.handle_clean_many` and ``apply_reports`` (decode, code
  events), ``--batch`` articles at a time (default 1; the worker codes the articles that queue
  while its child is busy together, up to ``WIREWATCH_EXTRACT_BATCH_ARTICLES``);
- ``story``: :func:`streams.pipeline.apply_story` per event;
- ``alert``: the alert and escalate handlers per published event.

Each stage is timed in CPU seconds of this process (``time.process_time``: what the stage
costs one core, less sensitive than wall time to other processes on a shared machine), and
the figures are ms of CPU per article (over every article, also those a stage does not touch)
and articles/s per stage (articles ÷ stage CPU seconds) and through all stages. Kafka, Faust
and the stage runners' process hops are not included: ``bench pipeline`` measures those.

The first repeat sees every article for the first time in the process (the model, gazetteer
and dictionaries are loaded beforehand, but the tokenizer's and lemmatizer's caches start
empty); later repeats see the same articles again, so word-level caches are warm. Both are
printed: the first repeat, and the median of all repeats (quote medians of at least three).
``digest`` is a SHA-256 of every message the stages produced, in order: it must not change
when only speed changes.

Run: ``wirewatch bench stages [--articles N] [--repeat N] [--batch N] [--json]``.
"""

from __future__ import annotations

import hashlib
import statistics
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Final

from rich.table import Table

from schemas import CleanArticle, DeadLetter, WireModel
from streams.alerting.rules import RuleSet, load_rules
from streams.bench_pipeline import PipelineArticle, pipeline_articles
from streams.cleaning.bench_html import DEFAULT_AEB_DIR
from streams.cleaning.duplicates import DuplicateIndex
from streams.deadletters import Record
from streams.extraction import actors, coder
from streams.extraction import stage as extract_stage
from streams.offline import OfflineAlerting
from streams.pipeline import apply_reports, apply_story, handle_clean_many, handle_raw, mark_duplicate
from streams.settings import Settings

STAGES: Final = ("clean", "deduplicate", "extract", "story", "alert")
NOW: Final = datetime(2019, 6, 1, 12, 0, tzinfo=UTC)  # fixed: the same articles give the same messages


@dataclass
class Pass:
    """One repeat: CPU seconds per stage over every article, and the digest of what was produced."""

    repeat: int
    articles: int
    cpu: dict[str, float]
    wall: float
    messages: int
    digest: str

    @property
    def total(self) -> float:
        return sum(self.cpu.values())

    def ms_per_article(self, stage: str) -> float:
        return self.cpu[stage] / self.articles * 1000

    def articles_per_s(self, stage: str | None = None) -> float:
        seconds = self.total if stage is None else self.cpu[stage]
        return self.articles / seconds if seconds else 0.0


@dataclass
class StagesResult:
    articles: int
    batch: int = 1
    passes: list[Pass] = field(default_factory=list)

    def median_ms(self, stage: str | None = None) -> float:
        return statistics.median(
            (p.total / p.articles * 1000) if stage is None else p.ms_per_article(stage) for p in self.passes
        )

    def median_rate(self, stage: str | None = None) -> float:
        return statistics.median(p.articles_per_s(stage) for p in self.passes)

    def as_dict(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "batch": self.batch,
            "passes": [asdict(p) | {"total": p.total} for p in self.passes],
            "median_cpu_ms_per_article": {s: round(self.median_ms(s), 2) for s in STAGES}
            | {"all": round(self.median_ms(), 2)},
            "median_articles_per_s": {s: round(self.median_rate(s), 1) for s in STAGES}
            | {"all": round(self.median_rate(), 2)},
            "first_pass_articles_per_s": round(self.passes[0].articles_per_s(), 2) if self.passes else 0.0,
            "digests": sorted({p.digest for p in self.passes}),
        }


def _add(cpu: dict[str, float], stage: str, start: float) -> float:
    """Charge the CPU time since ``start`` to ``stage``; the time now."""
    now = time.process_time()
    cpu[stage] += now - start
    return now


class _Passing:
    """One pass's state (fresh books, a fixed clock), the CPU each stage took, its messages in order."""

    def __init__(self, settings: Settings, rules: RuleSet, batch: int) -> None:
        self.settings = settings
        self.batch = batch
        self.cpu = dict.fromkeys(STAGES, 0.0)
        self.out: list[WireModel] = []
        self.duplicate_index = DuplicateIndex({})
        self.report_book: dict[str, bytes] = {}
        self.story_book: dict[str, bytes] = {}
        self.alerting = OfflineAlerting(settings, rules)
        # each raw article's dead letters and its clean article (or None), in input order, until coded
        self.waiting: list[tuple[list[DeadLetter], CleanArticle | None]] = []

    def add(self, item: PipelineArticle) -> None:
        t = time.process_time()
        raw_out = handle_raw(Record(value=item.value, key=item.key), self.settings)
        t = _add(self.cpu, "clean", t)
        article = None
        for cleaned, fp in zip(raw_out.clean, raw_out.fingerprints, strict=True):
            article = mark_duplicate(cleaned, self.duplicate_index, self.settings, now=NOW, fp=fp)
            _add(self.cpu, "deduplicate", t)
        self.waiting.append((raw_out.dead_letters, article))
        if sum(a is not None for _, a in self.waiting) >= self.batch:
            self.code_waiting()

    def code_waiting(self) -> None:
        t = time.process_time()
        articles = [a for _, a in self.waiting if a is not None]
        records = [Record(value=a.to_json(), key=a.id.encode()) for a in articles]
        outcomes = iter(
            apply_reports(a, o, self.report_book, now=NOW)
            for a, o in zip(articles, handle_clean_many(records, self.settings, now=NOW), strict=True)
        )
        coded = [(dead, a, next(outcomes) if a is not None else None) for dead, a in self.waiting]
        _add(self.cpu, "extract", t)
        for dead, article, clean_out in coded:
            self.out.extend(dead)
            if article is None or clean_out is None:
                continue
            self.out.extend([article, *clean_out.dead_letters])
            for event in clean_out.events:
                t = time.process_time()
                update = apply_story(event, self.story_book, self.settings, now=NOW)
                t = _add(self.cpu, "story", t)
                alerts, alert_dead = self.alerting.publish(update.event, update.verdict, now=NOW)
                _add(self.cpu, "alert", t)
                self.out.extend([update.event, *alerts, *alert_dead])
        self.waiting.clear()


def run_bench(
    aeb_dir: Path | None = None,
    *,
    articles: int = 204,
    repeat: int = 3,
    batch: int = 1,
    settings: Settings | None = None,
) -> StagesResult:
    """Load everything, then run the articles through every stage ``repeat`` times; ``batch``
    articles coded together by the extract stage (as the worker codes articles that queue)."""
    settings = settings or Settings()
    items = pipeline_articles(articles, aeb_dir=aeb_dir or DEFAULT_AEB_DIR)
    rules = load_rules(settings.rules_file)
    actors.configure(settings.actors_file)
    coder.configure_patterns(settings.patterns_file)
    extract_stage.warm_up()
    result = StagesResult(len(items), batch=batch)
    for n in range(1, repeat + 1):
        passing = _Passing(settings, rules, batch)
        wall = time.perf_counter()
        for item in items:
            passing.add(item)
        passing.code_waiting()
        wall = time.perf_counter() - wall
        digest = hashlib.sha256(b"\n".join(m.to_json() for m in passing.out)).hexdigest()
        result.passes.append(Pass(n, len(items), passing.cpu, wall, len(passing.out), digest))
    return result


def render_table(result: StagesResult) -> Table:
    batched = f", extract in batches of {result.batch}" if result.batch > 1 else ""
    table = Table(title=f"Stage CPU on the pipeline mix ({result.articles} articles{batched}, one process, no broker)")
    table.add_column("repeat", justify="right")
    for stage in STAGES:
        table.add_column(f"{stage} ms", justify="right")
    table.add_column("all ms", justify="right")
    table.add_column("articles/s", justify="right")
    table.add_column("wall s", justify="right")
    for p in result.passes:
        table.add_row(
            str(p.repeat),
            *(f"{p.ms_per_article(s):.2f}" for s in STAGES),
            f"{p.total / p.articles * 1000:.1f}",
            f"{p.articles_per_s():.1f}",
            f"{p.wall:.1f}",
        )
    table.add_row(
        "[bold]median[/bold]",
        *(f"{result.median_ms(s):.2f}" for s in STAGES),
        f"[bold]{result.median_ms():.1f}[/bold]",
        f"[bold]{result.median_rate():.1f}[/bold]",
        "",
    )
    rates = ", ".join(f"{s} {result.median_rate(s):,.0f}" for s in STAGES)
    digests = sorted({p.digest for p in result.passes})
    table.caption = (
        f"ms = CPU ms per article; articles/s through all stages (median): {result.median_rate():.1f}; "
        f"per stage: {rates}\noutput digest: {', '.join(d[:16] for d in digests)}"
    )
    return table
