"""The actor/place/date layer: who, where and when an article's sentences mention, without a parse.

A pure function of the article's paragraphs and its anchor date (the same inputs always
give the same mentions). It runs only the tokenizer and the shared pipeline's ``ner``
component (``LAYER_COMPONENTS``; en_core_web_sm's ner has its own embedding and does not
listen to ``tok2vec``: on the AEB paragraphs 13,749 of the full pipeline's 13,769 entities
are identical, the rest differ where the parser's sentence boundaries cut an entity),
batched over all paragraphs at once; no tok2vec, tagger, parser, attribute ruler or
lemmatizer, so the documents carry no tags:

- *sentences*: a split on sentence-final punctuation tokens and line breaks inside each
  paragraph (:func:`punctuation_sentences`; closing quotes and brackets written right
  after the full stop stay with their sentence), with the caps of
  :mod:`streams.extraction.sentences`;
- *actors*: dictionary matches (:func:`streams.extraction.actors.find`) over the runs of
  tokens that occur in the dictionary (a name cannot span a word the dictionary does
  not know, so this finds exactly what a scan of the whole sentence finds); adjacent
  matches form one mention ("Iranian President Masoud Pezeshkian", "Israeli army"),
  resolved to an ``Actor`` by the actors module's own rules for the last match (the
  head): a sector word takes its country from the other matches;
- *places*: :func:`streams.extraction.places.find` with ``every=True`` (geoparsing
  semantics: without a parse a country cannot be told to follow "in") and the article's
  actor countries as ``prefer``, in its tagless mode (proper nouns from capitalisation
  and NER entity types: :func:`streams.extraction.places.proper_nouns`);
- *dates*: :func:`streams.extraction.dates.find`, which reads tense from word forms when
  there are neither parse nor tags (:func:`streams.extraction.dates.tense_from_words`).

:func:`coarse_tags` (the attribute ruler's parse-free tag → POS table) stays for callers
that run the tagger.

Quality: ``wirewatch eval places --layer`` and ``wirewatch eval dates --layer``.
``python -m streams.extraction.bench_layer`` (``wirewatch bench extraction``) measures it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

import numpy as np
from spacy.attrs import IS_SPACE, LOWER, ORTH, POS, SENT_START, TAG
from spacy.tokens import Doc, Span

from schemas.events import Actor
from streams.extraction import actors, dates, places, sentences
from streams.extraction.dates import DateMention
from streams.extraction.language import nlp, run
from streams.extraction.places import PlaceMention

LAYER_COMPONENTS = ("ner",)  # en_core_web_sm's ner has its own embedding: no tok2vec needed
SENTENCE_END_WORDS = (".", "!", "?", "...", "…", "?!", "!?", "!!", "??", "....")
CLOSING_WORDS = ('"', "”", "’", "'", "''", ")", "]", "}", ".", "!", "?")
SENTENCE_END_TAG = "."
CLOSING_TAGS = {"''", "-RRB-", "."}
POSSESSIVE = {"'s", "’s", "'"}


@dataclass(frozen=True)
class ActorMention:
    """A dictionary actor named in a sentence: document tokens ``start:end``, resolved."""

    start: int
    end: int
    text: str
    kind: str  # the head entry's kind: country, demonym, capital, leader, org, metonym, sector
    actor: Actor
    label: str = ""  # NER label of the head token ("" when the model tagged none)


@dataclass(frozen=True)
class LayerSentence:
    """One sentence of the article and what it mentions."""

    index: int
    span: Span
    actors: tuple[ActorMention, ...]
    places: tuple[PlaceMention, ...]
    dates: tuple[DateMention, ...]

    @property
    def text(self) -> str:
        """The sentence text, trimmed."""
        return self.span.text.strip()


# --- coarse tags and sentences without the attribute ruler and the parser -------------------


@cache
def _pos_rules() -> tuple[dict[str, str], list[tuple[frozenset[str] | None, frozenset[str] | None, str]]]:
    """The attribute ruler's parse-free POS rules: tag → POS, and ordered (tags, words, POS) rules."""
    ruler = nlp().get_pipe("attribute_ruler")
    by_tag: dict[str, str] = {}
    ordered: list[tuple[frozenset[str] | None, frozenset[str] | None, str]] = []

    def values(spec: object) -> frozenset[str] | None:
        if isinstance(spec, str):
            return frozenset({spec})
        if isinstance(spec, dict) and set(spec) == {"IN"}:
            return frozenset(str(v) for v in spec["IN"])
        return None

    for rule in ruler.patterns:  # type: ignore[attr-defined]
        pos = rule["attrs"].get("POS")
        pattern = rule["patterns"][0]
        if pos is None or len(rule["patterns"]) != 1 or len(pattern) != 1 or not set(pattern[0]) <= {"TAG", "LOWER"}:
            continue  # multi-token, lemma-only or parse-dependent rules
        tags = values(pattern[0]["TAG"]) if "TAG" in pattern[0] else None
        words = values(pattern[0]["LOWER"]) if "LOWER" in pattern[0] else None
        if ("TAG" in pattern[0] and tags is None) or ("LOWER" in pattern[0] and words is None):
            continue
        if words is None and tags is not None and len(tags) == 1:
            by_tag[next(iter(tags))] = str(pos)
        ordered.append((tags, words, str(pos)))
    return by_tag, ordered


@cache
def _coarse(tag: str, word: str) -> str:
    """The POS the attribute ruler gives (tag, lower-case word) without a parse; later rules win."""
    pos = ""
    for tags, words, value in _pos_rules()[1]:
        if (tags is None or tag in tags) and (words is None or word in words):
            pos = value
    return pos


@cache
def _pos_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Sorted tag ids, the POS id of each (for words without a rule of their own), and the ids of
    the words that have one."""
    model = nlp()
    strings = model.vocab.strings
    labels: tuple[str, ...] = model.get_pipe("tagger").labels  # type: ignore[attr-defined]
    tags = sorted(set(labels) | {"_SP", ""}, key=lambda t: strings[t])
    keys = np.array([strings[t] for t in tags], dtype=np.uint64)
    values = np.array([strings.add(p) if (p := _coarse(t, "\x00")) else 0 for t in tags], dtype=np.uint64)
    special = sorted({strings[w] for _, words, _ in _pos_rules()[1] if words for w in words})
    return keys, values, np.array(special, dtype=np.uint64)


def coarse_tags(doc: Doc, *, split: bool = True) -> Doc:
    """Set ``pos_`` from the tags (and, with ``split``, sentence starts after sentence-final punctuation)."""
    n = len(doc)
    if n == 0:
        return doc
    strings = doc.vocab.strings
    keys, values, special = _pos_tables()
    raw: Any = doc.to_array([TAG, LOWER, IS_SPACE])
    tags = raw[:, 0]
    where = np.minimum(np.searchsorted(keys, tags), len(keys) - 1)
    pos: Any = np.where(keys[where] == tags, values[where], 0).astype(np.uint64)
    space = raw[:, 2].astype(bool)
    pos[space] = strings["SPACE"]  # whitespace: SPACE whatever its tag; "_SP" on a word: X
    pos[(tags == strings["_SP"]) & ~space] = strings["X"]
    for i in np.flatnonzero(np.isin(raw[:, 1], special)).tolist():
        p = _coarse(strings[int(tags[i])], strings[int(raw[i, 1])])
        pos[i] = strings.add(p) if p else 0
    if not split:
        doc.from_array([POS], pos.reshape(n, 1))
        return doc
    starts: Any = np.full(n, -1, dtype=np.int64)
    starts[0] = 1
    closing = [strings[t] for t in CLOSING_TAGS]
    for e in np.flatnonzero(tags == strings[SENTENCE_END_TAG]).tolist():
        k = e + 1
        while k < n and int(tags[k]) in closing:
            k += 1
        if k < n:
            starts[k] = 1
    out: Any = np.stack([pos, starts.view(np.uint64)], axis=1)
    doc.from_array([POS, SENT_START], out)
    return doc


@cache
def _punctuation_ids() -> tuple[np.ndarray, frozenset[int]]:
    strings = nlp().vocab.strings
    ends = np.array(sorted(strings.add(w) for w in SENTENCE_END_WORDS), dtype=np.uint64)
    return ends, frozenset(strings.add(w) for w in CLOSING_WORDS)


def punctuation_sentences(doc: Doc) -> Doc:
    """Sentence starts without tags or parse: after a sentence-final punctuation token (". ! ? …";
    the tokenizer keeps abbreviations such as "U.S." or "Mr." whole), with the closing quotes and
    brackets written right after it (no space between) staying with their sentence, and after a
    line break."""
    _sentence_starts(doc)
    return doc


def _sentence_starts(doc: Doc) -> list[int]:
    """:func:`punctuation_sentences`; returns the sentence start indices (0 first)."""
    n = len(doc)
    if n == 0:
        return []
    ends, closing = _punctuation_ids()
    raw: Any = doc.to_array([ORTH, IS_SPACE])
    orth = raw[:, 0]
    starts: Any = np.full(n, -1, dtype=np.int64)
    starts[0] = 1
    for k in np.flatnonzero(raw[:, 1]).tolist():  # a line break ends a sentence (titles, lists)
        if k + 1 < n and "\n" in doc[k].text:
            starts[k + 1] = 1
    for e in np.flatnonzero(np.isin(orth, ends)).tolist():
        k = e + 1
        while k < n and int(orth[k]) in closing and not doc[k - 1].whitespace_:
            k += 1
        if k < n:
            starts[k] = 1
    doc.from_array([SENT_START], starts.view(np.uint64).reshape(n, 1))
    return np.flatnonzero(starts == 1).tolist()


def docs(texts: Iterable[str]) -> Iterator[Doc]:
    """The layer's documents: tokenizer and the shared pipeline's ``ner`` only, batched, split
    into sentences by punctuation (:func:`punctuation_sentences`): no tags, no parse."""
    return (punctuation_sentences(doc) for doc in run(texts, LAYER_COMPONENTS))


def _number(docs_: Iterable[tuple[Doc, str]]) -> list[sentences.Sentence]:
    """``sentences.number`` for the layer's documents, given their texts (no ``doc.text`` joins):
    the same sentences, numbers and caps."""
    out: list[sentences.Sentence] = []
    index = 0
    for doc, text in docs_:
        starts = _sentence_starts(doc)
        spans = [doc[a:b] for a, b in zip(starts, [*starts[1:], len(doc)], strict=True)]
        for span in sentences._merge_fragments(spans, text):
            if index >= sentences.MAX_SENTENCES:
                return out
            if len(text[span.start_char : span.end_char].strip()) <= sentences.MAX_SENTENCE_CHARS:
                out.append(sentences.Sentence(index=index, span=span))
            index += 1
    return out


# --- actors -----------------------------------------------------------------------------------

_VOCAB: dict[int, tuple[frozenset[int], frozenset[int]]] = {}


def _dictionary_words() -> tuple[frozenset[int], frozenset[int]]:
    """Hash ids of every word of every dictionary key, and of the words a key starts with."""
    index = actors._index()
    found = _VOCAB.get(id(index))
    if found is None:
        strings = nlp().vocab.strings
        spelled = [(w, w.replace("'", "’")) for key in index for w in key]  # tokens may use either apostrophe
        firsts = [(k[0], k[0].replace("'", "’")) for k in index if k]
        found = (
            frozenset(strings[v] for pair in spelled for v in pair),
            frozenset(strings[v] for pair in firsts for v in pair),
        )
        _VOCAB.clear()
        _VOCAB[id(index)] = found
    return found


def dictionary_runs(span: Span, lowers: Sequence[int] | None = None) -> list[Span]:
    """Maximal runs of tokens whose lower-case form occurs in a dictionary key, from the first
    token a key can start with (a name cannot span a word the dictionary does not know).

    ``lowers`` are the sentence's LOWER ids when the caller has them already."""
    words, firsts = _dictionary_words()
    if lowers is None:
        lowers = span.doc.to_array(LOWER)[span.start : span.end].tolist()
    runs: list[Span] = []
    a = -1  # start of the current run (its first possible key start), -1 outside a run
    inside = False
    for i, w in enumerate(lowers):
        if w in words:
            if not inside:
                inside, a = True, -1
            if a < 0 and w in firsts:
                a = i
        elif inside:
            if a >= 0:
                runs.append(span[a:i])
            inside = False
    if inside and a >= 0:
        runs.append(span[a : len(lowers)])
    return runs


def matches(span: Span, lowers: Sequence[int] | None = None) -> list[actors.Match]:
    """``actors.find`` over the sentence, found run by run (the same matches, far fewer lookups)."""
    index = actors._index()
    out: list[actors.Match] = []
    for run_ in dictionary_runs(span, lowers):
        if len(run_) == 1 and (run_[0].lower_.replace("’", "'"),) not in index:
            continue  # a lone word that only occurs inside longer names
        out.extend(actors.find(list(run_)))
    return out


def _groups(found: list[actors.Match], doc: Doc) -> list[list[actors.Match]]:
    """Adjacent matches (or joined by a possessive 's) form one mention."""
    groups: list[list[actors.Match]] = []
    for m in found:
        if groups:
            last = groups[-1][-1]
            gap = doc[last.end : m.start]
            if m.start == last.end or (len(gap) == 1 and gap[0].lower_ in POSSESSIVE):
                groups[-1].append(m)
                continue
        groups.append([m])
    return groups


def _resolve(group: list[actors.Match], doc: Doc, on: date) -> ActorMention | None:
    head = group[-1]
    start, end = group[0].start, head.end
    text = doc[start:end].text[:500]
    actor: Actor | None
    if head.entry.kind != "sector":
        actor = actors._from_entry(head.entry, text, on, role="source")
    else:
        bases = [
            a
            for m in group[:-1]
            if m.entry.kind != "sector" and (a := actors._from_entry(m.entry, text, on, role="modifier")) is not None
        ]
        actor = actors._with_sector(bases[-1], head.entry.sector or "", text) if bases else None
    if actor is None:
        return None
    return ActorMention(start, end, text, head.entry.kind, actor, doc[head.end - 1].ent_type_)


def actor_mentions(span: Span, on: date, lowers: Sequence[int] | None = None) -> list[ActorMention]:
    """The actors a sentence names, in order (``lowers``: the sentence's LOWER ids, if at hand)."""
    doc = span.doc
    out = [_resolve(g, doc, on) for g in _groups(matches(span, lowers), doc)]
    return [m for m in out if m is not None]


# --- the layer ----------------------------------------------------------------------------------


def split(paragraphs: Sequence[str]) -> list[sentences.Sentence]:
    """Sentences of the article from the layer's components, numbered and capped like ``sentences.split``."""
    pieces = sentences.pieces(paragraphs)
    return _number(zip(run(pieces, LAYER_COMPONENTS), pieces, strict=True))


def extract_mentions(paragraphs: Sequence[str], anchor: date) -> list[LayerSentence]:
    """Per sentence: its actor mentions, place mentions and resolved date mentions."""
    return next(extract_many([(paragraphs, anchor)]))


def extract_many(articles: Iterable[tuple[Sequence[str], date]]) -> Iterator[list[LayerSentence]]:
    """:func:`extract_mentions` for many articles, their paragraphs batched through the model together."""
    items = [(sentences.pieces(paragraphs), anchor) for paragraphs, anchor in articles]
    found = run((piece for pieces, _ in items for piece in pieces), LAYER_COMPONENTS)
    for pieces, anchor in items:
        own = [(next(found), piece) for piece in pieces]
        yield _mentions(_number(own), {id(doc): text for doc, text in own}, anchor)


def _mentions(parsed: list[sentences.Sentence], texts: dict[int, str], anchor: date) -> list[LayerSentence]:
    """Mentions per sentence; ``texts``: each document's text by ``id``."""
    arrays: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    rows = []
    for sent in parsed:
        doc = sent.span.doc
        key = id(doc)
        if key not in arrays:
            arrays[key] = (doc.to_array(LOWER), places.proper_nouns(doc))
        lowers, propn = arrays[key]
        s, e = sent.span.start, sent.span.end
        rows.append((sent, lowers[s:e], bool(propn[s:e].any()), texts[key][sent.span.start_char : sent.span.end_char]))
    found = [actor_mentions(sent.span, anchor, lowers.tolist()) for sent, lowers, _, _ in rows]
    prefer = {m.actor.country for ms in found for m in ms if m.actor.country}
    out: list[LayerSentence] = []
    for (sent, _, named, text), mentions in zip(rows, found, strict=True):
        where = places.find(sent.span, prefer=prefer, every=True) if named else []
        when = dates.find(sent.span, anchor, text=text) if dates.may_mention(text) else []
        out.append(LayerSentence(sent.index, sent.span, tuple(mentions), tuple(where), tuple(when)))
    return out


def warm_up() -> None:
    """Load the model, the dictionary, the gazetteer and the POS table before timing or serving."""
    nlp()
    _dictionary_words()
    places.cities()
    places.admin1s()
    _punctuation_ids()
    extract_mentions(["Warm-up: Iran's foreign minister met officials in Paris on Friday."], date(2025, 1, 3))
