"""Unicode and whitespace normalisation, and the split of a body into paragraphs.

Everything downstream (furniture rules, language detection, the content hash, event
extraction) assumes text that went through here: mojibake repaired, NFC, no invisible
characters, single spaces inside lines, blank lines only between paragraphs.
"""

from __future__ import annotations

import re
import unicodedata

import ftfy

# Invisible characters that carry no meaning in a news body and break matching and
# hashing: zero-width space, word joiner, BOM, soft hyphen, Mongolian vowel separator,
# directional marks, embeddings/overrides and isolates. ZWJ/ZWNJ are NOT here: they are
# meaningful inside Persian, Indic and emoji sequences (handled below).
_INVISIBLE = dict.fromkeys(
    [0x200B, 0x2060, 0xFEFF, 0x00AD, 0x180E, 0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)],
)
# C0 and C1 control characters except tab and newline (tab becomes a space later).
_CONTROLS = dict.fromkeys([c for c in range(0x00, 0x20) if c not in (0x09, 0x0A)] + [0x7F, *range(0x80, 0xA0)])
_DELETE_TABLE = {**_INVISIBLE, **_CONTROLS}
# The same characters as one regex class: str.translate with a dict walks every
# character in Python-level lookups (~1.4 ms per article page), the regex scans in C.
_DELETE_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_DELETE_TABLE)) + "]")

_SURROGATES = re.compile("[\ud800-\udfff]")
# ZWJ/ZWNJ next to whitespace or at a line edge join nothing; drop only those.
_STRAY_JOINERS = re.compile(r"(?:^|(?<=\s))[\u200c\u200d]+|[\u200c\u200d]+(?=\s|$)", re.MULTILINE)
_INLINE_SPACE = re.compile(r"[^\S\n]+")
_EMPTY_LINE_RUNS = re.compile(r"(?:[ \t]*\r?\n){3,}")
_BLANK_LINES = re.compile(r"\n{2,}")

# Characters that end a sentence; a line ending in one is a complete block
# (CJK full-width stops included).
_TERMINAL = ".!?…:;。！？；："
_CLOSERS = "\"'”’»)]›"
# Line length from which a line without terminal punctuation is taken as wrapped.
_WRAP_MIN_CHARS = 60


# ASCII that ftfy would change: HTML entities, carriage returns, control characters
# (terminal escapes included). A plain-ASCII line without them is returned unchanged by
# ftfy, which repairs line by line anyway, so such lines skip it (~0.5 ms per page).
_FTFY_SENSITIVE_ASCII = re.compile(r"[&\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _fix_text(text: str) -> str:
    if text.isascii() and not _FTFY_SENSITIVE_ASCII.search(text):
        return text
    if "\r" in text or any(c in text for c in "\u2028\u2029\x85"):
        return str(ftfy.fix_text(text, uncurl_quotes=False))  # line breaks to unify: whole text
    return "\n".join(
        line if line.isascii() and not _FTFY_SENSITIVE_ASCII.search(line) else ftfy.fix_text(line, uncurl_quotes=False)
        for line in text.split("\n")
    )


def normalise_text(text: str) -> str:
    """Repair and normalise ``text``, keeping blank lines as paragraph boundaries.

    ftfy repairs mojibake ("donâ€™t" → "don’t") but ``uncurl_quotes=False`` keeps the
    typographic quotes the outlet wrote, so quotations stay verbatim.
    """
    ascii_only = text.isascii()  # the common case skips the passes that only touch non-ASCII
    if not ascii_only:
        text = _SURROGATES.sub("", text)
    # ftfy works line by line: a page of a million empty lines took 18 s. Runs of blank
    # lines carry no more meaning than one, so collapse them before the repair.
    text = _EMPTY_LINE_RUNS.sub("\n\n", text)
    # ftfy also unifies line breaks (\r\n, U+2028, U+0085 → \n) and applies NFC.
    text = _fix_text(text)
    if not ascii_only:
        text = unicodedata.normalize("NFC", text)
    text = _DELETE_CHARS.sub("", text)
    if "\u200c" in text or "\u200d" in text:
        text = _STRAY_JOINERS.sub("", text)
    lines = [_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return _BLANK_LINES.sub("\n\n", text).strip()


def normalise_inline(text: str) -> str:
    """Normalise a one-line field (a title): like the body, then onto a single line."""
    return " ".join(normalise_text(text).split())


def ends_sentence(line: str) -> bool:
    """True when ``line`` ends with sentence punctuation (closing quotes ignored)."""
    stripped = line.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def _continues(previous: str, following: str, width: int) -> bool:
    """Whether ``following`` is the wrapped continuation of ``previous``.

    A line that ends without sentence punctuation continues on the next line when
    that line starts in lower case (mid-sentence), or when the line is long and
    the next line's first word would not have fitted on it within ``width`` (the
    longest line of the block), which is what fixed-width wrapping produces. Short
    unpunctuated lines ("X", "Related articles", a menu item) and a long link line
    before a full paragraph ("READ MORE: ...") stay separate blocks: that is what
    furniture looks like.
    """
    if ends_sentence(previous):
        return False
    first = following[:1]
    if first.islower():
        return True
    first_word = following.split(" ", 1)[0]
    return len(previous) >= _WRAP_MIN_CHARS and len(previous) + 1 + len(first_word) > width


def split_paragraphs(text: str, *, join_wrapped_lines: bool = True) -> list[str]:
    """Split normalised text into paragraphs.

    A blank line always separates paragraphs. Inside a block, each line is its own
    paragraph unless it is a wrapped continuation (see ``_continues``); with
    ``join_wrapped_lines=False`` (text extracted from HTML, one block per line) every
    line is a paragraph.
    """
    paragraphs: list[str] = []
    for block in _BLANK_LINES.split(text):
        lines = [line for line in block.split("\n") if line]
        if not lines:
            continue
        if not join_wrapped_lines:
            paragraphs.extend(lines)
            continue
        width = max(len(line) for line in lines)
        current = previous = lines[0]
        for line in lines[1:]:
            # Judge by the last physical line, not the joined paragraph.
            if _continues(previous, line, width):
                current = f"{current} {line}"
            else:
                paragraphs.append(current)
                current = line
            previous = line
        paragraphs.append(current)
    return paragraphs
