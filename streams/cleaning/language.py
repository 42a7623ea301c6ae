"""Language identification with CLD2 (pycld2), abstaining rather than guessing.

A wrong language is worse than none: it drops body paragraphs as "other language"
and sends the article to the wrong extraction models. So every function here returns
None unless CLD2 says its answer is reliable on enough text.
"""

from __future__ import annotations

from collections.abc import Iterable

import pycld2

# Below this many characters CLD2 is a coin toss on closely related languages.
MIN_ARTICLE_CHARS = 20
MIN_PARAGRAPH_CHARS = 60
# Share (percent) of the text CLD2 must attribute to the top language.
MIN_PARAGRAPH_PERCENT = 80
# CLD2 is linear in input size; the first characters decide well enough.
MAX_DETECT_CHARS = 20_000

# CLD2 still emits some withdrawn ISO 639-1 codes.
_LEGACY_CODES = {"iw": "he", "in": "id", "jw": "jv", "ji": "yi", "mo": "ro"}


# Languages CLD2 cannot tell apart reliably on a paragraph; each maps to the first
# member of its group so "Indonesian article, Malay paragraph" is not "other language".
_CONFUSABLE = {"ms": "id", "nb": "no", "nn": "no", "da": "no", "bs": "hr", "sr": "hr", "gl": "pt"}


def same_language(a: str, b: str) -> bool:
    """Whether two ISO 639-1 codes are the same language for trimming purposes."""
    return _CONFUSABLE.get(a, a) == _CONFUSABLE.get(b, b)


def _iso639_1(code: str) -> str | None:
    """Map a CLD2 code ("en", "zh-Hant", "iw", "un") to ISO 639-1, or None."""
    primary = code.split("-", 1)[0].lower()
    primary = _LEGACY_CODES.get(primary, primary)
    if primary == "un" or len(primary) != 2 or not primary.isalpha():
        return None
    return primary


def _has_letters(text: str, count: int) -> bool:
    """Whether ``text`` holds at least ``count`` letters; counts in chunks and stops
    early (a generator over every character of 20,000 was ~6 ms a page on the AEB)."""
    if len(text) < count:
        return False
    seen = 0
    for start in range(0, len(text), _LETTER_CHUNK):
        seen += sum(map(str.isalpha, text[start : start + _LETTER_CHUNK]))
        if seen >= count:
            return True
    return False


_LETTER_CHUNK = 256


def _detect(text: str, min_chars: int, min_percent: int) -> str | None:
    sample = text[:MAX_DETECT_CHARS]
    if not _has_letters(sample, min_chars):
        return None
    try:
        reliable, _, details = pycld2.detect(sample, isPlainText=True)
    except pycld2.error:
        # CLD2 refuses some byte sequences (it checks UTF-8 validity itself).
        return None
    if not reliable or not details:
        return None
    _name, code, percent, _score = details[0]
    if percent < min_percent:
        return None
    return _iso639_1(code)


def detect_language(text: str) -> str | None:
    """ISO 639-1 language of a whole body, or None when CLD2 is not reliable."""
    return _detect(text, MIN_ARTICLE_CHARS, 0)


def detect_paragraph_language(paragraph: str) -> str | None:
    """ISO 639-1 language of one paragraph; stricter, since paragraphs are short."""
    return _detect(paragraph, MIN_PARAGRAPH_CHARS, MIN_PARAGRAPH_PERCENT)


def dominant_language(paragraphs: Iterable[str]) -> str | None:
    """The language holding most characters among paragraphs CLD2 is sure about.

    Used before furniture is trimmed: a long foreign cookie notice can outweigh a
    short body when the text is detected in one piece, but not when each paragraph
    votes with its own length and the unsure ones abstain.
    """
    weights: dict[str, int] = {}
    budget = MAX_DETECT_CHARS * 5  # enough to outvote edge furniture; bounds the cost
    for paragraph in paragraphs:
        if budget <= 0:
            break
        budget -= len(paragraph)
        code = detect_paragraph_language(paragraph)
        if code is not None:
            weights[code] = weights.get(code, 0) + len(paragraph)
    if not weights:
        return None
    # Ties broken by code so the answer never depends on iteration order.
    return max(sorted(weights), key=lambda code: weights[code])
