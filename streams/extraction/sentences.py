"""Split an article into bounded sentences, paragraph by paragraph.

Two ways: :func:`split` parses every paragraph with the full pipeline and takes the
parser's sentence boundaries; :func:`segment` (the extract stage's) runs only the
tokenizer and en_core_web_sm's ``senter`` (a tagger with its own small embedding, a
few per cent of the parser's cost) and :func:`own_docs` then gives the chosen sentences
documents of their own for the full pipeline. Splitting per paragraph keeps sentence
boundaries from crossing paragraphs, and the caps keep one pathological article from
stalling a worker:
- at most ``MAX_SENTENCES`` sentences per article (the rest is ignored),
- sentences longer than ``MAX_SENTENCE_CHARS`` are skipped (tables, lists, run-ons),
- paragraphs longer than ``MAX_PARAGRAPH_CHARS`` are cut into chunks at whitespace
  before parsing, so the parser never sees a megabyte at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
from spacy.attrs import IS_PUNCT, IS_SPACE, ORTH, SENT_START, SPACY
from spacy.tokens import Doc, Span

from streams.extraction.language import nlp, run

MAX_SENTENCES = 400
MAX_SENTENCE_CHARS = 1_000
MAX_PARAGRAPH_CHARS = 10_000
SEGMENTER = ("senter",)
OPENING = ("[", "(", "{")  # disabled in the full pipeline; it does not listen to tok2vec

_ONLY_PUNCT = re.compile(r"^[\W_]*$")

# A wire dateline opening the first paragraph: "DOHA, June 23 - ", "NEW YORK — ",
# "LONDON (Reuters) - ", "CEBU CITY: -- ", "GAZA CITY, Gaza Strip — ". The place is in
# capitals (so "Iran - the country" is not one), every part is bounded (no backtracking
# blow-up). Parsed as a sentence start it becomes a second subject: "DOHA … Iran fired"
# made Qatar the one who fired.
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'\-]{2,}(?: [A-Z][A-Z.'\-]+){0,3}"
    r"(?:, [A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+){0,2})?"
    r"(?:,? (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]{0,6}\.? \d{1,2})?"
    r"(?: \([A-Za-z .]{1,40}\))?"
    r":? ?(?:--|[-\u2013\u2014]) +(?=[A-Z\"\u201c'])"
)


def without_dateline(paragraph: str) -> str:
    """``paragraph`` without a leading wire dateline (see ``_DATELINE``)."""
    match = _DATELINE.match(paragraph)
    return paragraph[match.end() :] if match else paragraph


@dataclass(frozen=True)
class Sentence:
    """A parsed sentence and its position in the cleaned article."""

    index: int
    span: Span

    @property
    def text(self) -> str:
        """The sentence text, trimmed."""
        return self.span.text.strip()


def chunks(paragraph: str) -> Iterator[str]:
    """Cut an over-long paragraph at whitespace into parser-sized pieces."""
    rest = paragraph
    while len(rest) > MAX_PARAGRAPH_CHARS:
        cut = rest.rfind(" ", 0, MAX_PARAGRAPH_CHARS)
        cut = cut if cut > 0 else MAX_PARAGRAPH_CHARS
        yield rest[:cut]
        rest = rest[cut:].lstrip()
    if rest.strip():
        yield rest


def _merge_fragments(spans: list[Span], text: str) -> list[Span]:
    """Glue punctuation-only pieces (a closing quote the splitter cut off) to the previous sentence.

    ``text`` is the document's text: a span's text is its slice (one join per document
    instead of one per sentence)."""
    out: list[Span] = []
    for span in spans:
        own = text[span.start_char : span.end_char].strip()
        if out and _ONLY_PUNCT.match(own):
            prev = out[-1]
            out[-1] = prev.doc[prev.start : span.end]
        elif own:
            out.append(span)
    return out


def pieces(paragraphs: Sequence[str]) -> list[str]:
    """The texts the pipeline sees: every paragraph, over-long ones cut into chunks."""
    return [chunk for p in paragraphs for chunk in chunks(p)]


def split(paragraphs: Sequence[str]) -> list[Sentence]:
    """Parse ``paragraphs`` into sentences, numbered across the article, within the caps."""
    return number(nlp().pipe(pieces(paragraphs)))


def segment(paragraphs: Sequence[str]) -> list[Sentence]:
    """Sentences of ``paragraphs`` from the tokenizer and the ``senter`` alone (no tags, no parse),
    numbered across the article, within the caps: a pure function of the paragraphs."""
    return segment_many([paragraphs])[0]


def segment_many(articles: Sequence[Sequence[str]]) -> list[list[Sentence]]:
    """:func:`segment` for the paragraphs of several articles in one batched ``senter`` pass
    (~25 % cheaper per article than one pass each); every article gets the sentences it gets
    alone, since a document's annotations do not depend on the documents batched with it."""
    texts = [pieces(paragraphs) for paragraphs in articles]
    docs = iter(run([text for own in texts for text in own], SEGMENTER))
    out = []
    for own in texts:
        mine = [next(docs) for _ in own]  # all of them: ``number`` may stop early at the cap
        out.append(
            number(
                # a piece without an opening bracket has no start to take back: skip its arrays
                _no_start_after_opening(doc) if any(ch in text for ch in OPENING) else doc
                for text, doc in zip(own, mine, strict=True)
            )
        )
    return out


def _no_start_after_opening(doc: Doc) -> Doc:
    """The senter starts sentences after an opening bracket ("Russia and the [ / Syrian] Regime")
    and at a square bracket right after a word ("Berm / [Rukban] residents"); the parser does
    neither: such starts are taken back."""
    if len(doc) < 2:
        return doc
    raw: Any = doc.to_array([ORTH, SENT_START, IS_PUNCT, IS_SPACE])
    starts = raw[:, 1].astype(np.int64)
    after = np.isin(raw[:-1, 0], _opening_ids()) & (starts[1:] == 1)
    after |= (raw[1:, 0] == doc.vocab.strings["["]) & (starts[1:] == 1) & (raw[:-1, 2] == 0) & (raw[:-1, 3] == 0)
    if after.any():
        starts[1:][after] = -1
        doc.from_array([SENT_START], starts.view(np.uint64).reshape(len(doc), 1))
    return doc


@cache
def _opening_ids() -> Any:
    strings = nlp().vocab.strings
    return np.array(sorted(strings.add(w) for w in OPENING), dtype=np.uint64)


def own_doc(span: Span, rows: Any = None) -> Doc:
    """A new, unannotated document of the span's tokens: the same words, the same spaces between
    them (``rows``: the span's document's ORTH and SPACY arrays, when the caller has them)."""
    doc = span.doc
    if rows is None:
        rows = doc.to_array([ORTH, SPACY])
    strings = doc.vocab.strings
    part = rows[span.start : span.end]
    words = [strings[o] for o in part[:, 0].tolist()]
    spaces = part[:, 1].astype(bool).tolist()
    if spaces:
        spaces[-1] = False  # the span's text ends with its last word
    return Doc(doc.vocab, words=words, spaces=spaces)


def own_docs(found: Sequence[Sentence]) -> list[Sentence]:
    """The sentences again, each the whole of a new unannotated document (see :func:`own_doc`),
    keeping their numbers."""
    rows: dict[int, Any] = {}
    out: list[Sentence] = []
    for s in found:
        doc = s.span.doc
        if id(doc) not in rows:
            rows[id(doc)] = doc.to_array([ORTH, SPACY])
        out.append(Sentence(index=s.index, span=own_doc(s.span, rows[id(doc)])[:]))
    return out


def number(docs: Iterable[Doc]) -> list[Sentence]:
    """The sentences of ``docs`` (with sentence boundaries set), numbered across them, within the caps."""
    sentences: list[Sentence] = []
    index = 0
    for doc in docs:
        text = doc.text
        for span in _merge_fragments(list(doc.sents), text):
            if index >= MAX_SENTENCES:
                return sentences
            if len(text[span.start_char : span.end_char].strip()) <= MAX_SENTENCE_CHARS:
                sentences.append(Sentence(index=index, span=span))
            index += 1  # skipped sentences keep their position so indices stay stable
    return sentences
