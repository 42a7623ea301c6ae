"""The CAMEO code table (label, Goldstein, QuadClass, PLOVER type), shipped as package data."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


@dataclass(frozen=True)
class CameoCode:
    """One row of the CAMEO table; ``plover`` is None where PLOVER dropped the code."""

    code: str
    label: str
    goldstein: float
    quad_class: int
    root_code: str
    plover: str | None


@cache
def table() -> dict[str, CameoCode]:
    """Load the code table once; keyed by code ("195")."""
    out: dict[str, CameoCode] = {}
    with (DATA / "cameo_codes.tsv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t"):
            out[row["code"]] = CameoCode(
                code=row["code"],
                label=row["label"],
                goldstein=float(row["goldstein"]),
                quad_class=int(row["quad_class"]),
                root_code=row["root_code"],
                plover=row["plover_event"] or None,
            )
    return out


def lookup(code: str) -> CameoCode:
    """Row for ``code``; raises KeyError for a code the table does not have (a lexicon bug)."""
    return table()[code]


def is_known(code: str) -> bool:
    """Whether ``code`` is in the table (used to validate the predicate lexicon)."""
    return code in table()
