"""Split and parse an article into bounded sentences, paragraph by paragraph.

Parsing per paragraph keeps sentence boundaries from crossing paragraphs, and the
caps keep one pathological article from stalling a worker:
- at most ``MAX_SENTENCES`` sentences per article (the rest is ignored),
- sentences longer than ``MAX_SENTENCE_CHARS`` are skipped (tables, lists, run-ons),
- paragraphs longer than ``MAX_PARAGRAPH_CHARS`` are cut into chunks at whitespace
  before parsing, so the parser never sees a megabyte at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span

from streams.extraction.language import nlp

MAX_SENTENCES = 400
MAX_SENTENCE_CHARS = 1_000
MAX_PARAGRAPH_CHARS = 10_000

_ONLY_PUNCT = re.compile(r"^[\W_]*$")


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
