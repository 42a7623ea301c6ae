"""Event coding quality (``wirewatch eval events``): PLOVER GSR and PETRARCH's unit tests.

Every gold sentence is run through ``extract`` as a one-sentence article dated as the record.

PLOVER GSR (``plover_gsr.jsonl``, gold type ``event_polecat``, one of POLECAT's 16 types):
- The sentence's event is the *primary* one: the most confident event (earliest on ties), as
  ``evaluate.py`` picks it. No event: the sentence counts as wrong for type and full match.
- type accuracy: primary event's PLOVER type == gold type, over all sentences.
- source / target country P/R/F1, micro-averaged over (sentence, country) pairs: predicted =
  the countries (or "IGO"/"NGO", ``evaluate._actor_key``) of the source (target) actors of
  every event of the sentence that has the primary event's PLOVER type (coordinated actors
  give one event each); gold = the record's source (target) codes, CAMEO country codes
  mapped to ISO3 as in ``evaluate.py``.
- full match: type right, and for source and for target: when the gold names any, the
  predicted set shares one with it (a role the gold leaves empty is not checked).

PETRARCH unit tests (``petrarch_unit.jsonl``, the records with ``in_default_run``: 281 of 284),
coded with the PETRARCH test actors converted by ``petrarch_dictionaries`` and configured for
the run (``actors.configure`` on a temp file, ``coder.configure_patterns(None)``: the
dictionaries have no verbs); the previous configuration is restored afterwards.
- predicted triples: (source code, target code or "---", CAMEO code) of every event.
- exact pass (PETRARCH's rule): the set of predicted triples equals the gold set; a sentence
  whose gold is empty ("no events") passes only when nothing is coded.
- loose pass: the same with actor codes cut to their first 3 letters and codes to their root
  (first 2 digits).
- per category: exact and loose pass per record category.
- no-event sentences: events produced per sentence whose gold has none, and the share of
  those sentences with any event.

Splits (``--split dev|held-out|all``, default all): a record is in ``dev`` when the SHA-256 of
its ``id`` (PETRARCH: ``id``, falling back to its text) ends in an even byte, else in
``held-out``. Lexicon work looks only at dev failures and reports held-out figures.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from schemas.events import Event
from streams.extraction import actors, coder, evaluate, petrarch_dictionaries
from streams.extraction.stage import extract, warm_up

EVAL = Path(__file__).resolve().parents[2].parent / "shared" / "eval"
PLOVER = EVAL / "plover_gsr.jsonl"
PETRARCH = EVAL / "petrarch_unit.jsonl"
PETRARCH_DICTIONARIES = EVAL / "petrarch_unit_dictionaries.json"
NO_ACTOR = "---"
SPLITS = ("all", "dev", "held-out")


def split_of(rec: dict[str, Any]) -> str:
    """``dev`` or ``held-out``: the parity of the last byte of the SHA-256 of the record id."""
    key = str(rec.get("id") or rec.get("text") or "")
    return "dev" if hashlib.sha256(key.encode("utf-8")).digest()[-1] % 2 == 0 else "held-out"


def in_split(records: list[dict[str, Any]], split: str = "all") -> list[dict[str, Any]]:
    """The records of ``split`` (``all``, ``dev`` or ``held-out``), in file order."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
    return records if split == "all" else [r for r in records if split_of(r) == split]


@dataclass(frozen=True)
class Coded:
    """What the scorers need of one coded event."""

    code: str
    plover: str | None
    source: str
    target: str | None
    source_key: str | None
    target_key: str | None
    confidence: float = 1.0


def coded(event: Event) -> Coded:
    """The scorer's view of ``event``."""
    return Coded(
        code=event.code,
        plover=event.plover,
        source=event.source.code,
        target=event.target.code if event.target else None,
        source_key=evaluate._actor_key(event.source),
        target_key=evaluate._actor_key(event.target),
        confidence=event.confidence,
    )


def _r(a: float, b: float) -> float:
    return round(a / b, 3) if b else 0.0


def _prf(tp: int, pred: int, gold: int) -> dict[str, float]:
    p, r = _r(tp, pred), _r(tp, gold)
    return {"precision": p, "recall": r, "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def score_plover(pairs: Iterable[tuple[dict[str, Any], list[Coded]]]) -> dict[str, Any]:
    """PLOVER figures over (gold record, coded events) pairs (see the module docstring)."""
    n = type_ok = full = 0
    counts = {role: {"tp": 0, "pred": 0, "gold": 0} for role in ("source", "target")}
    for rec, events in pairs:
        n += 1
        gold_type = rec.get("event_polecat") or rec.get("event")
        top = max(events, key=lambda e: e.confidence, default=None)  # max keeps the first on ties
        same = [e for e in events if top is not None and e.plover == top.plover]
        ok = top is not None and top.plover == gold_type
        type_ok += ok
        role_ok = True
        for role in ("source", "target"):
            gold = evaluate._gold_keys(rec.get(role) or [])
            pred = {k for e in same if (k := e.source_key if role == "source" else e.target_key)}
            c = counts[role]
            c["tp"] += len(pred & gold)
            c["pred"] += len(pred)
            c["gold"] += len(gold)
            role_ok = role_ok and (not gold or bool(pred & gold))
        full += ok and role_ok
    out: dict[str, Any] = {"sentences": n, "type_accuracy": _r(type_ok, n), "full_match": _r(full, n)}
    for role, c in counts.items():
        out[role] = _prf(c["tp"], c["pred"], c["gold"])
    return out


def _triples(items: Iterable[tuple[str, str | None, str]], *, loose: bool) -> set[tuple[str, str, str]]:
    out = set()
    for src, tgt, code in items:
        tgt = tgt or NO_ACTOR
        out.add((src[:3], tgt[:3], code[:2]) if loose else (src, tgt, code))
    return out


def score_petrarch(pairs: Iterable[tuple[dict[str, Any], list[Coded]]]) -> dict[str, Any]:
    """PETRARCH figures over (unit-test record, coded events) pairs (see the module docstring)."""
    n = exact = loose = empty = empty_events = empty_with = 0
    cats: dict[str, dict[str, int]] = {}
    for rec, events in pairs:
        gold = [
            (str(g["source"]), str(g["target"]) if g.get("target") else None, str(g["code"])) for g in rec["expected"]
        ]
        pred = [(e.source, e.target, e.code) for e in events]
        ok = _triples(gold, loose=False) == _triples(pred, loose=False)
        ok_loose = _triples(gold, loose=True) == _triples(pred, loose=True)
        n += 1
        exact += ok
        loose += ok_loose
        cat = cats.setdefault(str(rec.get("category") or "?"), {"records": 0, "exact": 0, "loose": 0})
        cat["records"] += 1
        cat["exact"] += ok
        cat["loose"] += ok_loose
        if not gold:
            empty += 1
            empty_events += len(events)
            empty_with += bool(events)
    return {
        "records": n,
        "exact_pass": _r(exact, n),
        "loose_pass": _r(loose, n),
        "no_event_sentences": empty,
        "events_per_no_event_sentence": _r(empty_events, empty),
        "no_event_sentences_with_events": _r(empty_with, empty),
        "by_category": {
            k: {
                "records": v["records"],
                "exact_pass": _r(v["exact"], v["records"]),
                "loose_pass": _r(v["loose"], v["records"]),
            }
            for k, v in sorted(cats.items())
        },
    }


def load(path: Path, limit: int | None = None) -> list[dict[str, Any]]:
    """Records of a JSONL gold file (the first ``limit``)."""
    records = evaluate.load(path)
    return records[:limit] if limit is not None else records


def run_plover(path: Path = PLOVER, limit: int | None = None, split: str = "all") -> dict[str, Any]:
    """Code the PLOVER GSR sentences (of ``split``) and score them."""
    records = in_split(load(path), split)[:limit]
    pairs = []
    for i, rec in enumerate(records):
        events = extract(evaluate.article_for(rec, i), coded_at=evaluate.CODED_AT)
        pairs.append((rec, [coded(e) for e in events]))
    return score_plover(pairs)


def _petrarch_date(rec: dict[str, Any]) -> datetime:
    raw = str(rec.get("date") or "20000101")
    return datetime(int(raw[:4]), int(raw[4:6]), int(raw[6:8]), tzinfo=UTC)


def run_petrarch(
    path: Path = PETRARCH, limit: int | None = None, dictionaries: Path = PETRARCH_DICTIONARIES, split: str = "all"
) -> dict[str, Any]:
    """Code the default-run PETRARCH unit-test sentences (of ``split``) with the converted test actors; score them."""
    records = in_split([r for r in load(path) if r.get("in_default_run", True)], split)[:limit]
    saved_actors, saved_patterns = actors._configured[0], coder._patterns_configured[0]
    with tempfile.TemporaryDirectory() as tmp:
        actors_file = Path(tmp) / "petrarch_actors.yaml"
        petrarch_dictionaries.write_actors_file(dictionaries, actors_file)
        actors.configure(actors_file)
        coder.configure_patterns(None)
        try:
            pairs = []
            for i, rec in enumerate(records):
                article = evaluate.sentence_article(
                    str(rec["text"]).strip(), article_id=f"petrarch-{i}", published_at=_petrarch_date(rec)
                )
                events = extract(article, coded_at=evaluate.CODED_AT)
                pairs.append((rec, [coded(e) for e in events]))
        finally:
            actors._configured[0] = saved_actors
            coder.configure_patterns(None if saved_patterns is coder._UNSET else saved_patterns)
            coder._patterns_configured[0] = saved_patterns
    return score_petrarch(pairs)


def table(result: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    lines = [f"split: {result['split']}"] if result.get("split", "all") != "all" else []
    if "plover" in result:
        p = result["plover"]
        lines.append(f"PLOVER GSR: {p['sentences']} sentences")
        lines.append(f"  {'type_accuracy':<34}{p['type_accuracy']:>8.3f}")
        for role in ("source", "target"):
            r = p[role]
            lines.append(
                f"  {role + ' country P / R / F1':<34}{r['precision']:>8.3f}{r['recall']:>8.3f}{r['f1']:>8.3f}"
            )
        lines.append(f"  {'full_match':<34}{p['full_match']:>8.3f}")
    if "petrarch" in result:
        q = result["petrarch"]
        lines.append(f"PETRARCH unit tests (default run): {q['records']} records")
        for key in ("exact_pass", "loose_pass", "events_per_no_event_sentence", "no_event_sentences_with_events"):
            lines.append(f"  {key:<34}{q[key]:>8.3f}")
        lines.append(f"  {'category':<14}{'records':>8}{'exact':>8}{'loose':>8}")
        for cat, row in q["by_category"].items():
            lines.append(f"  {cat:<14}{row['records']:>8}{row['exact_pass']:>8.3f}{row['loose_pass']:>8.3f}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point; prints the table, and with ``--json`` one JSON object on the last line."""
    ap = argparse.ArgumentParser(prog="wirewatch eval events", description=__doc__.split("\n")[0])
    ap.add_argument("--plover", type=Path, default=PLOVER, help="PLOVER GSR JSONL")
    ap.add_argument("--petrarch", type=Path, default=PETRARCH, help="PETRARCH unit-test JSONL")
    ap.add_argument("--json", action="store_true", help="print one JSON object on the last line")
    ap.add_argument("--limit", type=int, default=None, help="first N records of each set")
    ap.add_argument(
        "--split", choices=SPLITS, default="all", help="records by id hash: dev (even), held-out (odd), or all"
    )
    args = ap.parse_args(argv)
    warm_up()
    result = {
        "split": args.split,
        "plover": run_plover(args.plover, args.limit, split=args.split),
        "petrarch": run_petrarch(args.petrarch, args.limit, split=args.split),
    }
    print(table(result))
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
