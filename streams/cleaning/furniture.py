"""Page furniture: find and cut what a page wraps around an article body.

Furniture (close buttons, cookie and consent notices, newsletter boxes, share bars,
ad markers, "read more" lists, photo credits, copyright lines) sits at the edges of
an article and is short and imperative; body paragraphs may *mention* the same words
("the EU's new rules on cookies..."). So the rules are graded by where they may fire:

- ``whole`` patterns (the paragraph *is* "Advertisement", "Share", "X") fire anywhere;
- ``start``/``end`` patterns fire anywhere on paragraphs no longer than the category's
  ``max_chars`` (a short line that begins "Read more:" is a link, not prose);
- ``contains`` patterns ("we use cookies") fire only in the head or tail block;
- ``keywords`` only make a short, non-prose paragraph *furniture-like*: it goes only
  when it lies between confirmed furniture and the edge of the article, never inside
  the body; unpunctuated headline-shaped lines (the items of a "Related" list) are
  furniture-like too, while a full sentence of ten words or more never is;
- a row of short links ("Home › World › Europe", "Impressum | Datenschutz") is
  furniture anywhere;
- bylines and datelines ("By Anna Smith", "MOSCOW, June 13 -") are body: at an edge
  they are kept, and the edge walk goes past them;
- at the edges, a paragraph CLD2 reliably puts in another language than the article
  also goes ("other_language").

The lexicon is data (``furniture_lexicon.json``), compiled once at import.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Final, Literal

from schemas.articles import Removal, RemovalReason
from streams.cleaning.language import detect_paragraph_language, same_language
from streams.cleaning.normalise import ends_sentence
from streams.cleaning.prefilter import category_literals, fold

LEXICON_PATH: Final = Path(__file__).with_name("furniture_lexicon.json")

# Regexes run on at most this many characters of a paragraph (bounded cost per rule).
MATCH_WINDOW: Final = 2_000
# Longer paragraphs are never judged by their head/tail window alone at an edge.
EDGE_MAX_CHARS: Final = 5_000
# A keyword alone makes only a short paragraph furniture-like; long ones are prose.
KEYWORD_MAX_CHARS: Final = 250
# Unpunctuated lines up to this length look like menu items, labels, bylines.
LABEL_MAX_CHARS: Final = 40
# Unpunctuated lines up to this length look like headlines in a list of links.
HEADLINE_LIKE_MAX_CHARS: Final = 150
# A paragraph ending like a sentence with this many words (or CJK characters) is
# prose: a keyword does not make it furniture-like.
PROSE_MIN_WORDS: Final = 10
PROSE_MIN_CJK: Final = 20
# Link rows: at least this many parts, each at most this long.
LINK_ROW_MIN_PARTS: Final = 3
LINK_ROW_PART_MAX_CHARS: Final = 40
LINK_ROW_PART_MAX_WORDS: Final = 5
LINK_ROW_MAX_CHARS: Final = 250
# Bylines and datelines are at most this long.
BYLINE_MAX_CHARS: Final = 100
# Removal.text is bounded by the schema.
REMOVAL_TEXT_MAX: Final = 2_000

# Pattern categories, in the order they are tried (first match names the reason).
FurnitureReason = Literal[
    "advertisement",
    "cookie_notice",
    "subscription_prompt",
    "share_bar",
    "related_links",
    "legal_footer",
    "photo_credit",
]
CATEGORY_ORDER: Final[tuple[FurnitureReason, ...]] = (
    "advertisement",
    "cookie_notice",
    "subscription_prompt",
    "share_bar",
    "related_links",
    "legal_footer",
    "photo_credit",
)
# Keyword categories, tried in this order: consent vocabulary is the most telling.
KEYWORD_ORDER: Final[tuple[FurnitureReason, ...]] = (
    "cookie_notice",
    "subscription_prompt",
    "legal_footer",
    "related_links",
    "share_bar",
    "advertisement",
    "photo_credit",
)

# Stripped from both ends before a paragraph is compared with whole tokens.
_EDGE_PUNCT: Final = " \t.,:;!?|•·-–—_/\\\"'“”‘’«»‹›()[]{}<>→←↑↓▶►▸»*#"
_LIST_SEPARATORS: Final = re.compile(r"[|•·]")
_WORDS: Final = re.compile(r"\w+(?:[-']\w+)?")
# Separators of a row of links, spaced: "Home › World", "Impressum | Kontakt".
_LINK_SEPARATOR: Final = re.compile(r" (?:[|•·›»>/]|::) ")
_SENTENCE_END: Final = ".!?…。！？"
_CLOSERS: Final = "\"'”’»)]›"
_CJK: Final = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
# Datelines: a line ending in a dash ("BRASÍLIA -"), a time or numeric date
# ("Updated 14:32 GMT", "Stand: 12.05.2025"), "Place, 14 ottobre", "…9月6日电".
_DATELINE_END_DASH: Final = re.compile(r"\s[-–—]$")
_DATELINE_TIME: Final = re.compile(r"(?<!\d)(?:\d{1,2}[:h]\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4})(?!\d)")
_DATELINE_PLACE_DAY: Final = re.compile(r"^[^\W\d][^,\d]{1,30}, \d{1,2}\.? [^\W\d]{3,12}$")
_DATELINE_CJK: Final = re.compile(r"\d{1,2}月\d{1,2}日电$")
_EMAIL: Final = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,4}")


def _strip_decoration(text: str) -> str:
    """Strip bullets, brackets and punctuation around a label ("[ Close ]" → "Close")."""
    return text.strip(_EDGE_PUNCT).replace("’", "'")


def _normalise_token(text: str) -> str:
    """Case-fold a stripped label for set lookups ("SCHLIESSEN" == "schließen")."""
    return _strip_decoration(text).casefold()


@dataclass(frozen=True)
class _CategoryRules:
    reason: FurnitureReason
    max_chars: int
    whole: re.Pattern[str] | None
    start: re.Pattern[str] | None
    end: re.Pattern[str] | None
    contains: re.Pattern[str] | None
    keywords: tuple[str, ...]
    # Case-folded literals one of which any ``end`` / ``contains`` match holds (see
    # ``prefilter``); None: no such set, the regex always runs.
    end_literals: tuple[str, ...] | None = None
    contains_literals: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Lexicon:
    """The compiled furniture lexicon."""

    ui_tokens: frozenset[str]
    share_tokens: frozenset[str]
    categories: tuple[_CategoryRules, ...]
    byline_words: frozenset[str] = frozenset()

    def rules(self, reason: FurnitureReason) -> _CategoryRules:
        """The rules of one category."""
        for rules in self.categories:
            if rules.reason == reason:
                return rules
        raise KeyError(reason)


def _alternation(patterns_by_language: dict[str, list[str]], template: str) -> re.Pattern[str] | None:
    patterns = [p for lang in sorted(patterns_by_language) for p in patterns_by_language[lang]]
    if not patterns:
        return None
    return re.compile(template.format("|".join(f"(?:{p})" for p in patterns)), re.IGNORECASE)


def _compile(data: dict[str, Any]) -> Lexicon:
    ui_tokens = frozenset(_normalise_token(token) for tokens in data["ui_tokens"].values() for token in tokens)
    share_tokens = frozenset(token.casefold() for token in data["share_tokens"])
    categories = []
    for reason in CATEGORY_ORDER:
        spec = data["categories"][reason]
        categories.append(
            _CategoryRules(
                reason=reason,
                max_chars=int(spec["max_chars"]),
                # (?!\w) so "abone ol" does not fire on "abone olmak istemiyorum" halves.
                whole=_alternation(spec["whole"], r"(?:{})"),
                start=_alternation(spec["start"], r"(?:{})(?!\w)"),
                end=_alternation(spec["end"], r"(?:{})\W*$"),
                contains=_alternation(spec["contains"], r"(?:{})"),
                keywords=tuple(k.casefold() for k in spec["keywords"]),
                end_literals=category_literals(spec["end"]),
                contains_literals=category_literals(spec["contains"]),
            )
        )
    byline_words = frozenset(w.casefold() for words in data.get("byline_words", {}).values() for w in words)
    return Lexicon(
        ui_tokens=ui_tokens, share_tokens=share_tokens, categories=tuple(categories), byline_words=byline_words
    )


@cache
def load_lexicon(path: Path = LEXICON_PATH) -> Lexicon:
    """Read and compile the lexicon once per process."""
    return _compile(json.loads(path.read_text(encoding="utf-8")))


def is_ui_token(paragraph: str, lexicon: Lexicon | None = None) -> bool:
    """True when the paragraph is nothing but a button or control label ("X", "Kapat")."""
    lexicon = lexicon or load_lexicon()
    if len(paragraph) > 40:
        return False
    token = _normalise_token(paragraph)
    return token in lexicon.ui_tokens or paragraph.strip() in lexicon.ui_tokens


def _is_share_bar(paragraph: str, lexicon: Lexicon) -> bool:
    """A run of social-network and share labels ("Facebook Twitter WhatsApp E-mail").

    Every word a share label, or (no sentence end) at least two different labels
    making up at least half of the words ("Partager Facebook Twitter Copier le lien").
    """
    if len(paragraph) > lexicon.rules("share_bar").max_chars:
        return False
    words = [w.casefold() for w in _WORDS.findall(paragraph)]
    if len(words) < 2:
        return False
    hits = [w for w in words if w in lexicon.share_tokens]
    if len(hits) == len(words):
        return True
    return not ends_sentence(paragraph) and len(set(hits)) >= 2 and 2 * len(hits) >= len(words)


def _link_row_reason(paragraph: str, lexicon: Lexicon) -> RemovalReason | None:
    """A row of three or more short links: breadcrumbs, section menus, footer links.

    The reason is the first one a link has on its own ("Privacy policy" makes a
    legal footer), else ``related_links``.
    """
    if len(paragraph) > LINK_ROW_MAX_CHARS:
        return None
    parts = [part.strip() for part in _LINK_SEPARATOR.split(paragraph)]
    if len(parts) < LINK_ROW_MIN_PARTS:
        return None
    for part in parts:
        if not part or len(part) > LINK_ROW_PART_MAX_CHARS or len(part.split()) > LINK_ROW_PART_MAX_WORDS:
            return None
        last = part.rstrip(_CLOSERS)[-1:]
        if not last or last in _SENTENCE_END:
            return None
    for part in parts:
        reason = _rule_reason(part, at_edge=False, lexicon=lexicon)
        if reason is not None and reason != "ui_token":
            return reason
    return "related_links"


def classify(paragraph: str, *, at_edge: bool, lexicon: Lexicon | None = None) -> RemovalReason | None:
    """Why ``paragraph`` is furniture, or None when it may be body text.

    ``at_edge`` admits the ``contains`` patterns, which are only trusted in the head
    or tail block of an article.
    """
    lexicon = lexicon or load_lexicon()
    return _rule_reason(paragraph, at_edge=at_edge, lexicon=lexicon) or _link_row_reason(paragraph, lexicon)


class Verdicts:
    """``classify`` for the paragraphs of one article, each (paragraph, at_edge) judged once.

    The clean stage asks twice: the language vote classifies the long paragraphs as if at an
    edge, then ``remove_furniture`` classifies the edges again and the inner paragraphs without
    the edge rules. A paragraph no rule fires on with the edge rules gets no reason without
    them either (``at_edge`` only adds the ``contains`` patterns), so that answer is reused.
    """

    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or load_lexicon()
        self._seen: dict[tuple[str, bool], RemovalReason | None] = {}

    def __call__(self, paragraph: str, *, at_edge: bool) -> RemovalReason | None:
        key = (paragraph, at_edge)
        if key in self._seen:
            return self._seen[key]
        if not at_edge and (paragraph, True) in self._seen and self._seen[(paragraph, True)] is None:
            return None
        verdict = classify(paragraph, at_edge=at_edge, lexicon=self.lexicon)
        self._seen[key] = verdict
        return verdict


def _rule_reason(paragraph: str, *, at_edge: bool, lexicon: Lexicon) -> RemovalReason | None:
    """``classify`` without the link-row rule (which calls this on each link)."""
    if is_ui_token(paragraph, lexicon):
        return "ui_token"
    if _is_share_bar(paragraph, lexicon):
        return "share_bar"
    length = len(paragraph)
    window = paragraph[:MATCH_WINDOW]
    # Not case-folded: folding turns "ß" into "ss"; the patterns are case-insensitive.
    token = _strip_decoration(window) if length <= MATCH_WINDOW else ""
    tail = paragraph[-MATCH_WINDOW:]
    # Folded once, on demand, for the literal prefilter of the searches.
    folded_window: str | None = None
    folded_tail: str | None = None
    for rules in lexicon.categories:
        if rules.whole is not None and token and rules.whole.fullmatch(token):
            return rules.reason
        if length <= rules.max_chars:
            # Try the raw start too: "(c) 2024" loses its "(" when stripped.
            if rules.start is not None and (rules.start.match(token) or rules.start.match(window)):
                return rules.reason
            if rules.end is not None:
                if rules.end_literals is not None and folded_tail is None:
                    folded_tail = fold(tail)
                if _may_match(rules.end_literals, folded_tail) and rules.end.search(tail):
                    return rules.reason
        if at_edge and length <= EDGE_MAX_CHARS and rules.contains is not None:
            if rules.contains_literals is not None and folded_window is None:
                folded_window = fold(window)
            if _may_match(rules.contains_literals, folded_window) and rules.contains.search(window):
                return rules.reason
    return None


def _may_match(literals: tuple[str, ...] | None, folded: str | None) -> bool:
    """False only when none of a category's required literals is in the folded text."""
    if literals is None or folded is None:
        return True
    return any(literal in folded for literal in literals)


def keyword_reason(paragraph: str, lexicon: Lexicon | None = None) -> RemovalReason | None:
    """The category whose vocabulary a short paragraph uses, if any."""
    lexicon = lexicon or load_lexicon()
    if len(paragraph) > KEYWORD_MAX_CHARS:
        return None
    folded = paragraph.casefold()
    for reason in KEYWORD_ORDER:
        if any(k in folded for k in lexicon.rules(reason).keywords):
            return reason
    return None


def looks_like_label(paragraph: str) -> bool:
    """Short and unpunctuated (a menu item, a tag, a headline in a list of links), or a
    "A | B | C" link row."""
    if len(paragraph) <= HEADLINE_LIKE_MAX_CHARS and not ends_sentence(paragraph):
        return True
    return len(paragraph) <= KEYWORD_MAX_CHARS and len(_LIST_SEPARATORS.findall(paragraph)) >= 2


def is_prose(paragraph: str) -> bool:
    """A full sentence: ends like one and has ten words (or twenty CJK characters)."""
    stripped = paragraph.rstrip(_CLOSERS)
    if not stripped or stripped[-1] not in _SENTENCE_END:
        return False
    return len(paragraph.split()) >= PROSE_MIN_WORDS or len(_CJK.findall(paragraph[:MATCH_WINDOW])) >= PROSE_MIN_CJK


def is_furniture_like(paragraph: str, lexicon: Lexicon | None = None) -> bool:
    """Could be furniture, though no rule is sure (a keyword in a non-prose paragraph,
    or label shape)."""
    if is_prose(paragraph):
        return False
    return keyword_reason(paragraph, lexicon) is not None or looks_like_label(paragraph)


def is_byline(paragraph: str, lexicon: Lexicon | None = None) -> bool:
    """A byline or dateline: the outlet's own words about the article, so body.

    "By Anna Smith" (a byline word then a capitalised name), a short line with an
    e-mail address ("김민수 기자 minsu@example.kr"), or a dateline (see the patterns).
    """
    if len(paragraph) > BYLINE_MAX_CHARS or is_prose(paragraph):
        return False
    lexicon = lexicon or load_lexicon()
    words = paragraph.split()
    if 2 <= len(words) <= 10 and words[0].casefold() in lexicon.byline_words and words[1][:1].isupper():
        return True
    if _EMAIL.search(paragraph):
        return True
    return bool(
        _DATELINE_END_DASH.search(paragraph)
        or _DATELINE_TIME.search(paragraph)
        or _DATELINE_PLACE_DAY.match(paragraph)
        or _DATELINE_CJK.search(paragraph)
    )


def _has_content(paragraph: str) -> bool:
    return any(ch.isalnum() for ch in paragraph)


def _cut(text: str) -> str:
    return text[:REMOVAL_TEXT_MAX]


# Edge labels: what a paragraph at the head or tail block is ("keep": a byline or
# dateline, body that the edge walk passes over).
_Label = Literal["furniture", "other_language", "like", "keep", "body"]


@dataclass
class _Edge:
    """Lazily labels paragraphs at the edges (language detection only where needed)."""

    texts: Sequence[str]
    language: str | None
    lexicon: Lexicon
    detect: Callable[[str], str | None]
    verdicts: Verdicts

    def __post_init__(self) -> None:
        self._labels: dict[int, tuple[_Label, RemovalReason | None]] = {}

    def label(self, i: int) -> tuple[_Label, RemovalReason | None]:
        if i not in self._labels:
            self._labels[i] = self._label(self.texts[i])
        return self._labels[i]

    def _label(self, text: str) -> tuple[_Label, RemovalReason | None]:
        reason = self.verdicts(text, at_edge=True)
        if reason is not None:
            return "furniture", reason
        if is_byline(text, self.lexicon):
            return "keep", None
        if self.language is not None:
            detected = self.detect(text)
            if detected is not None and not same_language(detected, self.language):
                return "other_language", keyword_reason(text, self.lexicon) or "other_language"
        if is_furniture_like(text, self.lexicon):
            return "like", keyword_reason(text, self.lexicon)
        return "body", None


def _edge_cut(edge: _Edge, order: Sequence[int], max_block: int | None = None) -> dict[int, RemovalReason]:
    """Paragraphs to cut from one edge; ``order`` walks from the edge inwards.

    The block is the run of non-body paragraphs at the edge; inside it, everything
    from the edge up to the innermost confirmed furniture (or foreign paragraph)
    goes. Furniture-like paragraphs further in stay: they touch the body.
    """
    block: list[int] = []
    for i in order:
        if (max_block is not None and len(block) >= max_block) or edge.label(i)[0] == "body":
            break
        block.append(i)
    innermost = max((n for n, i in enumerate(block) if edge.label(i)[0] not in ("like", "keep")), default=-1)
    cut: dict[int, RemovalReason] = {}
    # Walk from the innermost confirmed paragraph outwards so a furniture-like
    # paragraph without its own reason inherits the one of its inner neighbour.
    inherited: RemovalReason = "other_language"
    for i in reversed(block[: innermost + 1]):
        label, reason = edge.label(i)
        if label == "keep":
            continue
        if reason is not None:
            inherited = reason
        cut[i] = reason or inherited
    return cut


def remove_furniture(
    paragraphs: Sequence[tuple[int, str]],
    *,
    language: str | None,
    lexicon: Lexicon | None = None,
    detect: Callable[[str], str | None] = detect_paragraph_language,
    max_edge_block: int | None = None,
    verdicts: Verdicts | None = None,
) -> tuple[list[tuple[int, str]], list[Removal]]:
    """Split ``(input_index, text)`` paragraphs into kept ones and recorded removals.

    ``language`` is the article's language (None disables the other-language rule).
    ``verdicts``: the article's classifications so far (the language vote's), if any.
    Removals come back in input order, each with its paragraph index.
    """
    lexicon = lexicon or load_lexicon()
    verdicts = verdicts if verdicts is not None and verdicts.lexicon is lexicon else Verdicts(lexicon)
    reasons: dict[int, RemovalReason] = {}
    for pos, (_, text) in enumerate(paragraphs):
        if not _has_content(text) and not is_ui_token(text, lexicon):
            reasons[pos] = "empty"
    live = [pos for pos in range(len(paragraphs)) if pos not in reasons]
    edge = _Edge([text for _, text in paragraphs], language, lexicon, detect, verdicts)
    reasons.update(_edge_cut(edge, list(reversed(live)), max_edge_block))  # tail first: most furniture is there
    live = [pos for pos in live if pos not in reasons]
    reasons.update(_edge_cut(edge, live, max_edge_block))
    for pos in live:
        if pos not in reasons:
            reason = verdicts(paragraphs[pos][1], at_edge=False)
            if reason is not None:
                reasons[pos] = reason
    kept = [paragraphs[pos] for pos in range(len(paragraphs)) if pos not in reasons]
    removed = [
        Removal(text=_cut(paragraphs[pos][1]), reason=reasons[pos], paragraph_index=paragraphs[pos][0])
        for pos in sorted(reasons)
    ]
    return kept, removed


def strong_furniture(paragraphs: Iterable[str], lexicon: Lexicon | None = None) -> list[bool]:
    """For each paragraph, whether an edge rule would call it furniture.

    Lets the stage leave furniture out of the vote on the article's language.
    """
    lexicon = lexicon or load_lexicon()
    return [classify(p, at_edge=True, lexicon=lexicon) is not None for p in paragraphs]


__all__ = [
    "Lexicon",
    "Verdicts",
    "classify",
    "is_byline",
    "is_furniture_like",
    "is_prose",
    "is_ui_token",
    "keyword_reason",
    "load_lexicon",
    "remove_furniture",
    "strong_furniture",
]
