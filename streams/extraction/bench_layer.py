"""Speed of the actor/place/date layer next to spaCy NER alone, on the AEB article bodies.

The bodies are the ground-truth ``articleBody`` texts of the ScrapingHub
article-extraction benchmark (``<aeb>/ground-truth.json``, ../shared/eval/aeb), one
paragraph per line. Words are whitespace-separated words of those paragraphs.

Per repeat, in one process and without multiprocessing, each runner processes every
body; the order of the runners rotates with the repeat so a noisy neighbour on a shared
machine hits them alike:

- ``ner``: spaCy NER alone — the tokenizer and the shared pipeline's ``ner`` component
  (en_core_web_sm's ner has its own embedding), over all paragraphs, batched like the
  layer (:func:`streams.extraction.language.run`): the baseline of every ratio;
- ``ner_tok2vec``: a second reference, the tokenizer, ``tok2vec`` and ``ner`` (what an
  ``nlp.pipe`` with only those two enabled costs);
- ``layer``: :func:`streams.extraction.layer.extract_many` — sentences, actor, place and
  date mentions of every article, its paragraphs batched the same way;
- ``stage``: the extract stage, :func:`streams.extraction.stage.extract` per article (the
  way the stream runs it), unless ``--skip-stage``.

Before timing, everything is loaded (model, actor dictionary, gazetteer, lexicon) and
every paragraph is tokenised once, so no runner pays for growing the vocabulary. The
figures are words, seconds, words/s and articles/s (bodies per second) per repeat, their
medians, and the median of the per-repeat ratios to NER alone (layer/ner is the issue's
figure; the extract stage's articles/s is the other: at least 25 on one core).

Run: ``wirewatch bench extraction [--repeat N] [--limit N] [--json]`` or
``python -m streams.extraction.bench_layer``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Final

from rich.table import Table

from schemas.articles import CleanArticle
from streams.extraction import layer, sentences, stage
from streams.extraction.language import nlp, run

DEFAULT_AEB_DIR: Final = Path(__file__).resolve().parents[3] / "shared" / "eval" / "aeb"
ANCHOR: Final = date(2019, 6, 1)  # the AEB pages carry no dates; any fixed day will do
CODED_AT: Final = datetime(2019, 6, 1, 12, 0, tzinfo=UTC)
RUNNERS: Final = ("ner", "ner_tok2vec", "layer", "stage")


@dataclass(frozen=True)
class Body:
    """One AEB ground-truth article body."""

    id: str
    paragraphs: list[str]

    @property
    def words(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass
class Timing:
    """One runner over every body, once."""

    runner: str
    repeat: int
    words: int
    seconds: float
    articles: int = 0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0


@dataclass
class BenchResult:
    """Every timing, the medians and the ratios to NER alone."""

    articles: int
    words: int
    timings: list[Timing] = field(default_factory=list)

    def of(self, runner: str) -> list[Timing]:
        return [t for t in self.timings if t.runner == runner]

    def median_words_per_s(self, runner: str) -> float:
        rows = self.of(runner)
        return statistics.median(t.words_per_s for t in rows) if rows else 0.0

    def median_articles_per_s(self, runner: str) -> float:
        rows = self.of(runner)
        return statistics.median(t.articles_per_s for t in rows) if rows else 0.0

    def median_seconds(self, runner: str) -> float:
        rows = self.of(runner)
        return statistics.median(t.seconds for t in rows) if rows else 0.0

    def ratio(self, runner: str) -> float:
        """Median over repeats of runner words/s ÷ NER-alone words/s in the same repeat."""
        ner = {t.repeat: t.words_per_s for t in self.of("ner")}
        ratios = [t.words_per_s / ner[t.repeat] for t in self.of(runner) if ner.get(t.repeat)]
        return statistics.median(ratios) if ratios else 0.0

    def as_dict(self) -> dict[str, object]:
        runners = [r for r in RUNNERS if self.of(r)]
        return {
            "articles": self.articles,
            "words": self.words,
            "timings": [
                asdict(t) | {"words_per_s": round(t.words_per_s, 1), "articles_per_s": round(t.articles_per_s, 2)}
                for t in self.timings
            ],
            "median_words_per_s": {r: round(self.median_words_per_s(r), 1) for r in runners},
            "median_articles_per_s": {r: round(self.median_articles_per_s(r), 2) for r in runners},
            "median_seconds": {r: round(self.median_seconds(r), 3) for r in runners},
            "ratio_to_ner": {r: round(self.ratio(r), 3) for r in runners if r != "ner"},
        }


def load_bodies(aeb_dir: Path = DEFAULT_AEB_DIR, *, limit: int | None = None) -> list[Body]:
    """The ground-truth bodies in id order (the first ``limit`` of them)."""
    truth = json.loads((aeb_dir / "ground-truth.json").read_text(encoding="utf-8"))
    bodies = [
        Body(key, [p.strip() for p in str(truth[key]["articleBody"]).split("\n") if p.strip()]) for key in sorted(truth)
    ]
    bodies = [b for b in bodies if b.paragraphs]
    return bodies[:limit] if limit is not None else bodies


def _article(body: Body) -> CleanArticle:
    return CleanArticle.of_paragraphs(body.id[:64], body.paragraphs, published_at=CODED_AT)


def _runners(bodies: Sequence[Body], articles: Sequence[CleanArticle]) -> dict[str, Callable[[], object]]:
    pieces = [piece for b in bodies for piece in sentences.pieces(b.paragraphs)]

    def ner() -> object:
        return sum(len(doc.ents) for doc in run(pieces, ("ner",)))

    def ner_tok2vec() -> object:
        return sum(len(doc.ents) for doc in run(pieces, ("tok2vec", "ner")))

    def run_layer() -> object:
        return sum(len(found) for found in layer.extract_many((b.paragraphs, ANCHOR) for b in bodies))

    def run_stage() -> object:
        return sum(len(stage.extract(a, coded_at=CODED_AT)) for a in articles)

    return {"ner": ner, "ner_tok2vec": ner_tok2vec, "layer": run_layer, "stage": run_stage}


def run_bench(
    aeb_dir: Path = DEFAULT_AEB_DIR, *, repeat: int = 3, limit: int | None = None, skip_stage: bool = False
) -> BenchResult:
    """Warm up, then time NER alone, tok2vec+NER, the layer and (unless skipped) the stage ``repeat`` times."""
    bodies = load_bodies(aeb_dir, limit=limit)
    articles = [_article(b) for b in bodies]
    words = sum(b.words for b in bodies)
    layer.warm_up()
    stage.warm_up()
    model = nlp()
    for b in bodies:  # every word in the vocabulary before anything is timed
        for piece in sentences.pieces(b.paragraphs):
            model.make_doc(piece)
    runners = _runners(bodies, articles)
    names = [r for r in RUNNERS if not (skip_stage and r == "stage")]
    result = BenchResult(len(bodies), words)
    for n in range(1, repeat + 1):
        shift = (n - 1) % len(names)
        for name in names[shift:] + names[:shift]:
            start = time.perf_counter()
            runners[name]()
            result.timings.append(Timing(name, n, words, time.perf_counter() - start, len(bodies)))
    result.timings.sort(key=lambda t: (RUNNERS.index(t.runner), t.repeat))
    return result


LABELS: Final = {
    "ner": "spaCy NER alone (ner)",
    "ner_tok2vec": "spaCy NER (tok2vec+ner)",
    "layer": "actor/place/date layer",
    "stage": "extract stage",
}


def render_table(result: BenchResult) -> Table:
    table = Table(
        title=f"Extraction speed, AEB bodies ({result.articles} articles, {result.words:,} words, one process)"
    )
    table.add_column("runner", no_wrap=True)
    table.add_column("repeat", justify="right")
    for column in ("words", "seconds", "words/s", "articles/s", "× NER alone"):
        table.add_column(column, justify="right")
    if result.of("layer") and result.of("ner"):
        layer_rate, ner_rate = result.median_words_per_s("layer"), result.median_words_per_s("ner")
        table.caption = (
            f"layer / NER alone (ner): {result.ratio('layer'):.2f} (median of per-repeat ratios; "
            f"layer {layer_rate:,.0f} w/s, NER alone {ner_rate:,.0f} w/s)"
        )
    if result.of("stage"):
        stage_line = (
            f"extract stage: {result.median_articles_per_s('stage'):.1f} articles/s "
            f"({result.median_words_per_s('stage'):,.0f} words/s, median of {len(result.of('stage'))} repeats)"
        )
        table.caption = f"{table.caption}\n{stage_line}" if table.caption else stage_line
    for name in RUNNERS:
        rows = result.of(name)
        if not rows:
            continue
        ner = {t.repeat: t.words_per_s for t in result.of("ner")}
        for t in rows:
            ratio = t.words_per_s / ner[t.repeat] if ner.get(t.repeat) else 0.0
            table.add_row(
                LABELS[name],
                str(t.repeat),
                f"{t.words:,}",
                f"{t.seconds:.2f}",
                f"{t.words_per_s:,.0f}",
                f"{t.articles_per_s:.1f}",
                f"{ratio:.2f}",
            )
        ratio = 1.0 if name == "ner" else result.ratio(name)
        table.add_row(
            f"[bold]{LABELS[name]}[/bold]",
            "median",
            f"{result.words:,}",
            f"{result.median_seconds(name):.2f}",
            f"[bold]{result.median_words_per_s(name):,.0f}[/bold]",
            f"[bold]{result.median_articles_per_s(name):.1f}[/bold]",
            f"[bold]{ratio:.2f}[/bold]",
        )
    return table


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    from rich.console import Console

    parser = argparse.ArgumentParser(
        prog="python -m streams.extraction.bench_layer", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--aeb", type=Path, default=DEFAULT_AEB_DIR, help="benchmark directory")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes per runner (default 3)")
    parser.add_argument("--limit", type=int, default=None, help="only the first N bodies (by id)")
    parser.add_argument("--skip-stage", action="store_true", help="do not time the extract stage")
    parser.add_argument("--json", action="store_true", help="one JSON line instead of the table")
    args = parser.parse_args(argv)
    result = run_bench(args.aeb, repeat=args.repeat, limit=args.limit, skip_stage=args.skip_stage)
    if args.json:
        print(json.dumps(result.as_dict()))
    else:
        Console(width=max(Console().width, 100)).print(render_table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
