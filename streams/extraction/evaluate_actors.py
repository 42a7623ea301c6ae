"""Actor-resolution score on NGEC's actor tests (``python -m streams.extraction.evaluate_actors [PATH] [--json]``).

Each record's ``text`` is resolved with ``actors.resolve_actor`` (the dictionary and
phrase rules the coder uses), with the record's ``context`` and ``date``.

Scoring
-------
- Only two expectation fields are scored: the country (``country``, or ``cc`` for
  NGEC's nationality search; ``code == "None"`` means "no actor", i.e. no country) and
  the primary sector ``code_1``.  Wikipedia titles, ``code_2``, ``pattern``, ``text``
  and ``source`` are not scored.  ``n`` counts records with at least one scored field;
  ``country_n`` / ``sector_n`` are the denominators of the two accuracies.
- ``op``: ``==`` the mapped prediction equals the value; ``!=`` it differs (an
  unresolved text passes); ``in`` the value is a list and the prediction is in it.
  Several ``code_1 ==`` expectations on one record (NGEC lists alternatives, e.g.
  GRU → MIL or SPY) pass if any one holds.
- An empty value (``""``) means "none": no country / no sector.  So an unresolved
  text is right where NGEC expects nothing and wrong everywhere else.
- Dates: ``today`` / missing → the evaluation date (``--today``, default the median date
  the records name, 2022-01-01 for NGEC's file: the undated expectations state roles as
  they were when the tests were written); otherwise ISO or "10 May 2015" forms.
- Countries: our ISO3 as is.  International bodies (no country) are reported the
  NGEC way: UN family (codes ``IGOUNO…``) → ``UNO``, EU (``IGOEUR``) → ``EUR``, other
  IGOs → ``IGO``; NGOs → none.
- Sectors: ours → NGEC/PLOVER labels by ``SECTOR_TO_NGEC`` (below).  Note the clash:
  our ``MED`` is media (NGEC ``JRN``) and our ``HLH`` health (NGEC ``MED``).  NGEC
  labels with no Wirewatch sector (SOC civil society, UNK unknown, JNK junk, BUD
  Buddhist) count as wrong; ``unreachable`` in the JSON counts them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from schemas.events import Actor
from streams.extraction.actors import resolve_actor

NGEC_TESTS = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "ngec_actor_tests.jsonl"

#: Wirewatch sector → NGEC / PLOVER agent label.
SECTOR_TO_NGEC: dict[str, str] = {
    "GOV": "GOV",  # government, executive
    "MIL": "MIL",  # military
    "COP": "COP",  # police
    "JUD": "JUD",  # judiciary
    "LEG": "LEG",  # legislature
    "OPP": "OPP",  # opposition
    "REB": "REB",  # rebels
    "INS": "REB",  # insurgents: NGEC codes jihadists / Boko Haram as REB
    "UAF": "UAF",  # unidentified armed forces (gunmen)
    "CVL": "CVL",  # civilians
    "BUS": "BUS",  # business
    "MED": "JRN",  # our media → NGEC journalists
    "HLH": "MED",  # our health → NGEC medical
    "SPY": "SPY",  # intelligence
    "REL": "REL",  # religious
    "EDU": "EDU",  # education
    "NGO": "NGO",  # non-governmental organisation
    "IGO": "",  # NGEC puts IGOs in the country slot (UNO / EUR / IGO), sector empty
    "PTY": "PTY",  # political party
    "ELI": "ELI",  # elites, former office holders
    "CRM": "CRM",  # criminals
    "PRM": "PRM",  # paramilitaries
    "LAB": "LAB",  # labour
    "AGR": "AGR",  # agriculture
    "REF": "REF",  # refugees, displaced
    "PRE": "PRE",  # partially recognised states
}
#: NGEC sector labels that no Wirewatch sector maps to.
UNREACHABLE = {"SOC", "UNK", "JNK", "BUD", "????"}
DATE_FORMATS = ("%Y-%m-%d", "%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y")


def parse_date(value: str | None, today: date) -> date:
    """A record's date: ``today`` / missing → ``today``; otherwise one of ``DATE_FORMATS``."""
    if not value or value.strip().lower() == "today":
        return today
    text = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text.title() if "%B" in fmt or "%b" in fmt else text, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"unknown date form: {value!r}")


def ngec_country(actor: Actor | None) -> str:
    """The country slot as NGEC writes it ("" for none)."""
    if actor is None:
        return ""
    if actor.country:
        return actor.country
    if actor.code.startswith("IGOUNO"):
        return "UNO"
    if actor.code.startswith("IGOEUR"):
        return "EUR"
    if actor.code.startswith("IGO"):
        return "IGO"
    return ""


def ngec_sector(actor: Actor | None) -> str:
    """The sector as an NGEC label ("" for none)."""
    if actor is None or actor.sector is None:
        return ""
    return SECTOR_TO_NGEC.get(actor.sector, actor.sector)


def _holds(op: str, value: Any, got: str) -> bool:
    if op == "==":
        return got == ("" if value is None else str(value))
    if op == "!=":
        return got != ("" if value is None else str(value))
    if op == "in":
        return got in [str(v) for v in value]
    raise ValueError(f"unknown op {op!r}")


@dataclass
class Outcome:
    """One record's prediction and verdicts (None: field not scored for this record)."""

    id: str
    text: str
    got_country: str
    got_sector: str
    want_country: str | None
    want_sector: str | None
    country_ok: bool | None
    sector_ok: bool | None
    unreachable: bool = False


def score_record(record: dict[str, Any], actor: Actor | None) -> Outcome:
    """Verdicts for one record given the resolved actor."""
    got_c, got_s = ngec_country(actor), ngec_sector(actor)
    country = [e for e in record["expected"] if e["field"] in ("country", "cc")]
    country += [
        {"op": "==", "value": ""} for e in record["expected"] if e["field"] == "code" and str(e["value"]) == "None"
    ]
    sector = [e for e in record["expected"] if e["field"] == "code_1"]
    c_ok = all(_holds(e["op"], e["value"], got_c) for e in country) if country else None
    s_ok = any(_holds(e["op"], e["value"], got_s) for e in sector) if sector else None
    wanted_sectors = {str(v) for e in sector for v in (e["value"] if e["op"] == "in" else [e["value"]])}
    return Outcome(
        id=record["id"],
        text=record["text"],
        got_country=got_c,
        got_sector=got_s,
        want_country=" ".join(f"{e['op']}{e['value']}" for e in country) if country else None,
        want_sector=" | ".join(f"{e['op']}{e['value']}" for e in sector) if sector else None,
        country_ok=c_ok,
        sector_ok=s_ok,
        unreachable=bool(sector) and not s_ok and wanted_sectors <= UNREACHABLE,
    )


@dataclass
class Report:
    """All outcomes and the summary figures."""

    outcomes: list[Outcome] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        """n, accuracies (unresolved counts as wrong unless "none" was expected)."""
        scored = [o for o in self.outcomes if o.country_ok is not None or o.sector_ok is not None]
        cs = [o.country_ok for o in scored if o.country_ok is not None]
        ss = [o.sector_ok for o in scored if o.sector_ok is not None]
        return {
            "n": len(scored),
            "country_n": len(cs),
            "country_accuracy": round(sum(cs) / len(cs), 3) if cs else 0.0,
            "sector_n": len(ss),
            "sector_accuracy": round(sum(ss) / len(ss), 3) if ss else 0.0,
            "unreachable": sum(o.unreachable for o in scored),
        }


def load(path: Path = NGEC_TESTS) -> list[dict[str, Any]]:
    """The test records (JSON lines)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def reference_date(records: Iterable[dict[str, Any]]) -> date:
    """The day the test set speaks of when a record gives no date: the median of the dates the
    records name (NGEC's tests were written over 2021–22 and say "today" for their own day).
    Roles change ("Scott Morrison" → GOV is only true until May 2022), so undated expectations
    only hold around when they were written; ``--today`` shows how the score moves with it."""
    named = []
    for record in records:
        value = record.get("date")
        if value and value.strip().lower() != "today":
            named.append(parse_date(value, date.today()))
    if not named:
        return date.today()
    return sorted(named)[len(named) // 2]


def evaluate(records: Iterable[dict[str, Any]], *, today: date | None = None) -> Report:
    """Resolve every record and score it; undated ones on ``today`` (default ``reference_date``)."""
    records = list(records)
    today = today or reference_date(records)
    report = Report()
    for record in records:
        on = parse_date(record.get("date"), today)
        actor = resolve_actor(record["text"], context=record.get("context"), on=on)
        report.outcomes.append(score_record(record, actor))
    return report


def _table(report: Report, *, failures_only: bool) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title="NGEC actor tests")
    for col in ("id", "text", "country", "want", "sector", "want", "ok"):
        table.add_column(col)
    for o in report.outcomes:
        if o.country_ok is None and o.sector_ok is None:
            continue
        ok = (o.country_ok is not False) and (o.sector_ok is not False)
        if failures_only and ok:
            continue
        table.add_row(
            o.id,
            o.text[:50],
            o.got_country or "-",
            o.want_country or "",
            o.got_sector or "-",
            o.want_sector or "",
            "✓" if ok else "✗",
        )
    Console(width=160).print(table)


def main(argv: list[str] | None = None) -> int:
    """CLI: table (rich) then, with ``--json``, one JSON summary on the last line."""
    parser = argparse.ArgumentParser(prog="python -m streams.extraction.evaluate_actors")
    parser.add_argument("path", nargs="?", type=Path, default=NGEC_TESTS)
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on the last line")
    parser.add_argument("--failures", action="store_true", help="only list records with a wrong field")
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        help="date for 'today' / undated records (default: the median date the records name)",
    )
    args = parser.parse_args(argv)
    report = evaluate(load(args.path), today=args.today)
    _table(report, failures_only=args.failures)
    summary = report.summary()
    if args.json:
        print(json.dumps(summary))
    else:
        print(" ".join(f"{k}={v}" for k, v in summary.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
