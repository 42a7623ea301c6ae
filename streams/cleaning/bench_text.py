"""Score the text path of the clean stage on a labelled text-furniture set.

The set (``tests/cleaning/data/text_furniture.jsonl``) holds raw texts with page
furniture glued on; each record lists the body paragraphs that must survive and the
furniture that must go, with its ``RemovalReason``. Every record goes through
``clean()`` exactly as the pipeline runs it.

- a body paragraph is *kept* when, normalised like the stage normalises a paragraph,
  it equals one of the cleaned paragraphs;
- a furniture line is *removed* when it is not one of the cleaned paragraphs and (if
  it is long enough to be matched safely, ``MIN_SUBSTRING_CHARS``) does not occur
  inside one either (short tokens such as "X" or "OK" would match any text).

Run: ``python -m streams.cleaning.bench_text [PATH]``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from rich.console import Console
from rich.table import Table

from schemas.articles import RawArticle
from streams.cleaning.errors import CleaningError
from streams.cleaning.normalise import normalise_inline
from streams.cleaning.stage import clean

DEFAULT_SET: Final = Path(__file__).resolve().parents[2] / "tests" / "cleaning" / "data" / "text_furniture.jsonl"
# Furniture shorter than this is only "left in" when it is a whole cleaned paragraph.
MIN_SUBSTRING_CHARS: Final = 15


@dataclass
class Tally:
    """A hit count over a total."""

    hits: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        """hits / total (1.0 for an empty tally: nothing was missed)."""
        return self.hits / self.total if self.total else 1.0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += int(hit)


@dataclass
class Miss:
    """One scored line the stage got wrong."""

    article_id: str
    kind: str  # "furniture_left" or "body_dropped"
    text: str
    reason: str | None = None


@dataclass
class TextScore:
    """Scores of the text path on one labelled set."""

    articles: int = 0
    furniture: Tally = field(default_factory=Tally)
    body: Tally = field(default_factory=Tally)
    furniture_by_language: dict[str, Tally] = field(default_factory=dict)
    body_by_language: dict[str, Tally] = field(default_factory=dict)
    furniture_by_reason: dict[str, Tally] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    misses: list[Miss] = field(default_factory=list)
    median_ms: float = 0.0

    @property
    def furniture_removed(self) -> float:
        """Share of furniture lines removed."""
        return self.furniture.rate

    @property
    def body_kept(self) -> float:
        """Share of body lines kept."""
        return self.body.rate


def load_set(path: Path) -> list[dict[str, object]]:
    """The records of a JSONL set (blank lines skipped)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _furniture_left(text: str, paragraphs: set[str], joined: str) -> bool:
    if text in paragraphs:
        return True
    return len(text) >= MIN_SUBSTRING_CHARS and text in joined


def score_records(records: Iterable[dict[str, object]]) -> TextScore:
    """Clean every record and score it (see the module docstring)."""
    score = TextScore()
    timings: list[float] = []
    for record in records:
        article_id = str(record["id"])
        language = str(record.get("language") or "?")
        raw = RawArticle(id=article_id, text=str(record["text"]))
        score.articles += 1
        started = time.perf_counter()
        try:
            cleaned_paragraphs = clean(raw).paragraphs
        except CleaningError as exc:
            score.errors.append(f"{article_id}: {exc}")
            cleaned_paragraphs = []
        timings.append((time.perf_counter() - started) * 1000)
        paragraphs = set(cleaned_paragraphs)
        joined = "\n\n".join(cleaned_paragraphs)
        for paragraph in record["body"]:  # type: ignore[attr-defined]
            kept = normalise_inline(paragraph) in paragraphs
            score.body.add(kept)
            score.body_by_language.setdefault(language, Tally()).add(kept)
            if not kept:
                score.misses.append(Miss(article_id, "body_dropped", paragraph))
        for item in record["furniture"]:  # type: ignore[attr-defined]
            removed = not _furniture_left(normalise_inline(item["text"]), paragraphs, joined)
            score.furniture.add(removed)
            score.furniture_by_language.setdefault(item.get("language") or language, Tally()).add(removed)
            score.furniture_by_reason.setdefault(item["reason"], Tally()).add(removed)
            if not removed:
                score.misses.append(Miss(article_id, "furniture_left", item["text"], item["reason"]))
    score.median_ms = statistics.median(timings) if timings else 0.0
    return score


def score_text_set(path: Path = DEFAULT_SET) -> TextScore:
    """Score the text path of ``clean()`` on the JSONL set at ``path``."""
    return score_records(load_set(path))


def _pct(tally: Tally) -> str:
    return f"{tally.rate:.1%} ({tally.hits}/{tally.total})"


def render_text_score(score: TextScore, *, title: str = "Clean stage: text furniture set") -> Table:
    """The score as a rich Table: totals, then per language and per reason, then misses."""
    table = Table(title=title, show_lines=False)
    table.add_column("slice")
    table.add_column("furniture removed", justify="right")
    table.add_column("body kept", justify="right")
    table.add_row(
        f"all ({score.articles} articles, median {score.median_ms:.1f} ms)",
        _pct(score.furniture),
        _pct(score.body),
        style="bold",
    )
    languages = sorted(set(score.furniture_by_language) | set(score.body_by_language))
    for language in languages:
        furniture = score.furniture_by_language.get(language)
        body = score.body_by_language.get(language)
        table.add_row(f"lang {language}", _pct(furniture) if furniture else "-", _pct(body) if body else "-")
    for reason in sorted(score.furniture_by_reason):
        table.add_row(f"reason {reason}", _pct(score.furniture_by_reason[reason]), "-")
    for miss in score.misses:
        label = "left" if miss.kind == "furniture_left" else "dropped"
        text = miss.text if len(miss.text) <= 70 else miss.text[:67] + "..."
        table.add_row(f"[red]{label}[/red] {miss.article_id}", text, miss.reason or "body")
    for error in score.errors:
        table.add_row("[red]error[/red]", error, "")
    return table


def main(argv: list[str] | None = None) -> int:
    """Print the score of the set at argv[0] (default: the project's set)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else DEFAULT_SET
    Console().print(render_text_score(score_text_set(path)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
