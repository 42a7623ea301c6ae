"""Score Wirewatch's date resolution (``python -m streams.extraction.evaluate_dates [PATH] [--json]``).

Each record of the set (default ``tests/extraction/data/dated_sentences.jsonl``) is a
sentence with the article's ``published_at`` and the expected calendar date of its
event. The sentence goes through what the stage does: the anchor from
``stage.anchor_date`` (the local date of ``published_at``), the sentence split of
``sentences.split`` and ``dates.sentence_date`` (the date an event of the sentence
gets when its own predicate owns no date expression; no expression → the anchor).
A sentence the splitter cuts in two takes the first piece that has a date. With
``--layer`` the sentences come from the actor/place/date layer (``layer.split``: tokenizer
and NER only), so dates read tense from word forms (``dates.tense_from_words``).

Prints accuracy per category and overall; ``--json`` prints one JSON object as the
last line instead of the table.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from streams.extraction import dates, sentences
from streams.extraction.evaluate import sentence_article
from streams.extraction.stage import anchor_date

DEFAULT_SET = Path(__file__).resolve().parents[2] / "tests" / "extraction" / "data" / "dated_sentences.jsonl"
CODED_AT = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class Tally:
    """Right and total counts for one category."""

    right: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return round(self.right / self.total, 4) if self.total else 0.0


@dataclass
class Report:
    """Per-category tallies, the overall tally and the misses."""

    categories: dict[str, Tally] = field(default_factory=dict)
    overall: Tally = field(default_factory=Tally)
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, category: str, ok: bool, miss: dict[str, Any]) -> None:
        tally = self.categories.setdefault(category, Tally())
        for t in (tally, self.overall):
            t.total += 1
            t.right += ok
        if not ok:
            self.misses.append(miss)

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.overall.total,
            "correct": self.overall.right,
            "accuracy": self.overall.accuracy,
            "by_category": {
                k: {"correct": t.right, "total": t.total, "accuracy": t.accuracy}
                for k, t in sorted(self.categories.items())
            },
            "misses": self.misses,
        }


def predict(sentence: str, published_at: datetime, *, layer: bool = False) -> date:
    """The date Wirewatch gives the event of ``sentence`` in an article published at ``published_at``
    (``layer``: split by the actor/place/date layer, no tags or parse, so dates read word forms)."""
    from streams.extraction import layer as layer_

    article = sentence_article(sentence, article_id="date-eval", published_at=published_at)
    anchor = anchor_date(article, CODED_AT)
    split = layer_.split if layer else sentences.split
    for piece in split(article.paragraphs):
        value, precision = dates.sentence_date(piece.span, anchor)
        if precision != "article":
            return value
    return anchor


def load(path: Path) -> list[dict[str, Any]]:
    """Records of a JSONL set (blank lines skipped)."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def score(records: Iterable[dict[str, Any]], *, layer: bool = False) -> Report:
    """Run every record and tally exact-date matches (``layer``: through the layer's tagless path)."""
    report = Report()
    for rec in records:
        got = predict(rec["sentence"], datetime.fromisoformat(rec["published_at"]), layer=layer)
        expected = date.fromisoformat(rec["expected_date"])
        report.add(
            rec.get("category", "all"),
            got == expected,
            {
                "id": rec.get("id"),
                "expected": expected.isoformat(),
                "got": got.isoformat(),
                "sentence": rec["sentence"],
            },
        )
    return report


def table(report: Report) -> str:
    """The report as a plain-text table, misses listed under it."""
    rows = [f"{'category':<18} {'correct':>7} {'total':>6} {'accuracy':>9}"]
    for name, t in sorted(report.categories.items()):
        rows.append(f"{name:<18} {t.right:>7} {t.total:>6} {t.accuracy:>9.3f}")
    o = report.overall
    rows.append(f"{'overall':<18} {o.right:>7} {o.total:>6} {o.accuracy:>9.3f}")
    for miss in report.misses:
        rows.append(f"  miss {miss['id']}: expected {miss['expected']} got {miss['got']} | {miss['sentence']}")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m streams.extraction.evaluate_dates", description=__doc__)
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_SET, help="JSONL set (default: %(default)s)")
    parser.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    parser.add_argument(
        "--layer", action="store_true", help="split and date with the actor/place/date layer (no tags, no parse)"
    )
    args = parser.parse_args(argv)
    report = score(load(args.path), layer=args.layer)
    print(json.dumps(report.as_dict(), ensure_ascii=False) if args.json else table(report))
    return 0


if __name__ == "__main__":
    sys.exit(main())
