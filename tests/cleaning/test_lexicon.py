"""The furniture lexicon: loads, covers the required languages, cannot backtrack badly."""

from __future__ import annotations

import json
import re

import pytest

from streams.cleaning.furniture import LEXICON_PATH, classify, load_lexicon

REQUIRED_LANGUAGES = {"en", "de", "fr", "es", "it", "pt", "nl", "tr", "ru", "uk", "ar", "pl"}
DATA = json.loads(LEXICON_PATH.read_text(encoding="utf-8"))


def _patterns() -> list[str]:
    return [
        pattern
        for spec in DATA["categories"].values()
        for kind in ("whole", "start", "end", "contains")
        for patterns in spec[kind].values()
        for pattern in patterns
    ]


def _has_nested_unbounded_quantifier(pattern: str) -> bool:
    """A group holding ``+``/``*`` that is itself repeated with ``+``/``*``/``{n,}``."""
    stack: list[bool] = []
    escaped = in_class = False
    for i, ch in enumerate(pattern):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            stack.append(False)
        elif ch in "+*" and stack:
            stack[-1] = True
        elif ch == ")":
            inner = stack.pop()
            after = pattern[i + 1 : i + 2]
            if inner and (after in ("+", "*") or re.match(r"\{\d+,\}", pattern[i + 1 :])):
                return True
            if stack:
                stack[-1] = stack[-1] or inner
    return False


def test_lexicon_compiles() -> None:
    assert load_lexicon().ui_tokens


def test_lexicon_covers_the_required_languages() -> None:
    assert set(DATA["ui_tokens"]) >= REQUIRED_LANGUAGES
    for reason in ("cookie_notice", "subscription_prompt", "related_links", "legal_footer", "advertisement"):
        assert set(DATA["categories"][reason]["whole"]) | set(DATA["categories"][reason]["start"]) >= (
            REQUIRED_LANGUAGES
        ), reason


def test_patterns_have_no_nested_unbounded_quantifier() -> None:
    assert [p for p in _patterns() if _has_nested_unbounded_quantifier(p)] == []


def test_nested_quantifier_check_catches_the_classic_case() -> None:
    assert _has_nested_unbounded_quantifier(r"(a+)+b")
    assert not _has_nested_unbounded_quantifier(r"(?:our )?(?:\w+ )?newsletter")


@pytest.mark.parametrize(
    "token",
    ["X", "×", "OK", "Close", "Accept", "Kapat", "Schließen", "Fermer", "Cerrar", "Chiudi", "Fechar", "Закрыть"],
)
def test_ui_tokens_are_recognised(token: str) -> None:
    assert classify(token, at_edge=False) == "ui_token"
    assert classify(f"[ {token.upper()} ]", at_edge=False) == "ui_token"


def test_long_adversarial_paragraphs_are_classified() -> None:
    # Bounded windows: these finish at once rather than backtracking for minutes.
    for text in ("cookie " * 50_000, "a" * 200_000, "( " * 50_000, "© " * 50_000):
        classify(text, at_edge=True)
