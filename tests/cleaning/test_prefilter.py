"""The literal prefilter of the furniture regexes: it may only skip searches that
cannot match (the regex decides), so folding must agree with ``re.IGNORECASE`` and
each pattern's literals must be in every match."""

from __future__ import annotations

import json
import re
import sys

import pytest

from streams.cleaning.furniture import LEXICON_PATH, classify, load_lexicon
from streams.cleaning.prefilter import category_literals, fold, required_literals

DATA = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))
_ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def _lexicon_literals() -> set[str]:
    literals: set[str] = set()
    for spec in DATA["categories"].values():
        for kind in ("end", "contains"):
            literals |= set(category_literals(spec[kind]) or ())
    return literals


def test_fold_agrees_with_ignorecase_on_every_literal_character() -> None:
    """Any character ``re.IGNORECASE`` matches with a literal's character folds to it."""
    for ch in sorted({ch for literal in _lexicon_literals() for ch in literal}):
        for match in set(re.findall(re.escape(ch), _ALL_CHARS, re.IGNORECASE)):
            assert fold(match) == ch, (ch, match)


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bwe use cookies", {"we use cookies"}),
        (r"\bpliki cookies? (?:w celu|aby)", {"pliki cookie"}),
        (r"(?:foto|bild): [^.]{1,80}", {"foto", "bild"}),
        (r"\b(?:усі|всі) права захищен", {" права захищен"}),
        (r"\bsütiket (?:\(cookie-kat\) )?használ", {"sütiket "}),
        (r"ΠΑΝΤΟΣ", {"παντοσ"}),
        (r"a|b", None),
        (r"\w+", None),
    ],
)
def test_required_literals(pattern: str, literals: set[str] | None) -> None:
    found = required_literals(pattern)
    assert (set(found) if found is not None else None) == literals


def test_every_pattern_match_holds_a_literal() -> None:
    """Each pattern, matched on text built from its own literal, is found by the prefilter;
    and the prefilter verdict never hides a match on mixed-case furniture."""
    for text in (
        "WE USE COOKIES to improve your experience.",
        "© 2024 Example Media. All Rights Reserved.",
        "TÜM HAKLARI SAKLIDIR.",
        "Με την επιφύλαξη παντός δικαιώματος",
        "Subscribe to our free daily newsletter",
        "Foto: Anna Schmidt",
    ):
        assert classify(text, at_edge=True) is not None, text


def test_lexicon_categories_have_prefilters() -> None:
    """The searched categories all got a literal set (else the regex runs every time)."""
    for rules in load_lexicon().categories:
        if rules.contains is not None:
            assert rules.contains_literals, rules.reason
        if rules.end is not None:
            assert rules.end_literals, rules.reason
