"""The user's patterns file (WIREWATCH_PATTERNS_FILE): validated, merged over the shipped lexicon."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from streams.extraction import coder
from streams.extraction.patterns import PatternsFileError, load_patterns_file, parse_patterns_file
from streams.extraction.stage import extract
from tests.extraction.conftest import make_article

GOOD = """\
verbs:
  snub:
    code: "110"
  praise:
    code: "111"
    obj: {effort: "051"}
nouns:
  snub:
    code: "110"
"""


@pytest.fixture
def patterns_file(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "patterns.yaml"
    path.write_text(GOOD, encoding="utf-8")
    coder.configure_patterns(path)
    yield path
    coder.configure_patterns(None)


def _codes(text: str) -> list[str]:
    events = extract(make_article(text), coded_at=datetime(2025, 6, 14, tzinfo=UTC))
    return [e.code for e in events]


def test_a_valid_file_parses() -> None:
    parsed = parse_patterns_file(GOOD)
    assert parsed.verbs["praise"].obj == {"effort": "051"}
    assert parsed.lexicon_entries()["verbs"]["snub"] == {"code": "110"}


def test_a_user_verb_codes_an_event(patterns_file: Path) -> None:
    assert "110" in _codes("Kenya snubbed Uganda on Monday.")


def test_a_user_lemma_replaces_the_shipped_entry(patterns_file: Path) -> None:
    assert coder.lexicon()["verbs"]["praise"] == {"code": "111", "obj": {"effort": "051"}}
    assert "111" in _codes("Kenya praised Uganda on Monday.")


def test_without_the_file_the_shipped_lexicon_is_back(patterns_file: Path) -> None:
    coder.configure_patterns(None)
    assert coder.lexicon()["verbs"]["praise"] == {"code": "051"}
    assert "snub" not in coder.lexicon()["verbs"]


def test_an_unknown_code_fails_with_its_line() -> None:
    bad = "verbs:\n  snub:\n    code: '110'\n  scold:\n    code: '999'\n"
    with pytest.raises(PatternsFileError, match=r"P003: .*line 5: verbs\.scold\.code: .*unknown CAMEO code"):
        parse_patterns_file(bad)


def test_an_entry_without_code_fails() -> None:
    with pytest.raises(PatternsFileError, match=r"P003: .*line 2"):
        parse_patterns_file("nouns:\n  blockade: {embedded_only: true}\n")


def test_a_missing_file_fails(tmp_path: Path) -> None:
    with pytest.raises(PatternsFileError, match="P001"):
        load_patterns_file(tmp_path / "nope.yaml")
    with pytest.raises(PatternsFileError, match="P001"):
        coder.configure_patterns(tmp_path / "nope.yaml")
