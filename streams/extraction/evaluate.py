"""Dev-set score of the event coder on the PLOVER gold standard (``python -m streams.extraction.evaluate``).

Each gold sentence is run through ``extract`` as a one-sentence article. The
"primary" event of a sentence is the most confident one (earliest on ties).
Figures:
- coverage: sentences with at least one event;
- event type: primary event's PLOVER type equals the gold type (POLECAT's 16 types,
  ``event_polecat``), and "any": some event of the sentence has it;
- source / target country: the primary event's actor country (or "IGO"/"NGO" for
  international bodies) is one of the gold actors, over sentences whose gold has one.
Gold uses a few CAMEO country codes that are not ISO3; they are mapped below.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas.articles import CleanArticle
from schemas.events import Actor, Event
from streams.extraction.stage import extract, warm_up

GSR = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "plover_gsr.jsonl"
CAMEO_TO_ISO = {"JAP": "JPN", "ITL": "ITA", "VTN": "VNM"}
CODED_AT = datetime(2025, 1, 1, tzinfo=UTC)


@dataclass
class Score:
    """Counts behind the printed figures."""

    sentences: int = 0
    covered: int = 0
    type_primary: int = 0
    type_any: int = 0
    source_total: int = 0
    source_ok: int = 0
    target_total: int = 0
    target_ok: int = 0

    def rates(self) -> dict[str, float]:
        """The figures as fractions (0 when a denominator is empty)."""

        def r(a: int, b: int) -> float:
            return round(a / b, 3) if b else 0.0

        return {
            "coverage": r(self.covered, self.sentences),
            "event_type_accuracy": r(self.type_primary, self.sentences),
            "event_type_any": r(self.type_any, self.sentences),
            "source_country_accuracy": r(self.source_ok, self.source_total),
            "target_country_accuracy": r(self.target_ok, self.target_total),
        }


def sentence_article(text: str, *, article_id: str, published_at: datetime) -> CleanArticle:
    """A one-paragraph English article around ``text``: how the evaluators feed single sentences to the stage."""
    return CleanArticle.of_paragraphs(article_id, [text], published_at=published_at)


def article_for(record: dict[str, Any], index: int) -> CleanArticle:
    """A one-sentence article, dated as the gold record (its date anchors leader terms)."""
    text = str(record["text"]).strip()
    published = datetime.fromisoformat(str(record.get("date") or "2000-01-01")).replace(tzinfo=UTC)
    return sentence_article(text, article_id=f"gsr-{index}", published_at=published)


def _actor_key(actor: Actor | None) -> str | None:
    if actor is None:
        return None
    if actor.country:
        return actor.country
    return actor.sector if actor.sector in ("IGO", "NGO") else actor.code[:3]


def _gold_keys(items: list[dict[str, Any]]) -> set[str]:
    return {CAMEO_TO_ISO.get(str(i["code"]), str(i["code"])) for i in items if i.get("code")}


def primary(events: list[Event]) -> Event | None:
    """The most confident event (first on ties)."""
    best: Event | None = None
    for e in events:
        if best is None or e.confidence > best.confidence:
            best = e
    return best


def score(records: list[dict[str, Any]]) -> Score:
    """Run the coder over gold records and count agreements."""
    s = Score()
    for n, rec in enumerate(records):
        events = extract(article_for(rec, n), coded_at=CODED_AT)
        gold = rec.get("event_polecat") or rec.get("event")
        s.sentences += 1
        top = primary(events)
        if top is not None:
            s.covered += 1
            s.type_primary += top.plover == gold
        s.type_any += any(e.plover == gold for e in events)
        gold_src, gold_tgt = _gold_keys(rec.get("source") or []), _gold_keys(rec.get("target") or [])
        if gold_src:
            s.source_total += 1
            s.source_ok += top is not None and _actor_key(top.source) in gold_src
        if gold_tgt:
            s.target_total += 1
            s.target_ok += top is not None and _actor_key(top.target) in gold_tgt
    return s


def load(path: Path = GSR) -> list[dict[str, Any]]:
    """Gold records from the JSONL file."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def main(argv: list[str] | None = None) -> int:
    """Print the figures for the gold file given (default: the shared PLOVER GSR)."""
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else GSR
    warm_up()
    result = score(load(path))
    print(f"PLOVER GSR dev set: {result.sentences} sentences ({path})")
    for name, value in result.rates().items():
        print(f"  {name:26s} {value:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
