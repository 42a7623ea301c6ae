"""The extract stage: a cleaned article in, CAMEO-coded events out.

Pure apart from the cached spaCy model and gazetteer: the same article and
``coded_at`` always give the same events with the same ids. Work is bounded per
article by ``sentences.MAX_SENTENCES`` and ``sentences.MAX_SENTENCE_CHARS``.

Only what can become an event gets the expensive work:

1. *Segment.* Every paragraph gets the tokenizer and en_core_web_sm's ``senter`` only
   (:func:`streams.extraction.sentences.segment`: no tags, no parse; a start the senter
   puts after an opening bracket is taken back). Its sentences are numbered across the
   article within the caps, and the numbers are part of the event ids: the same article
   always gives the same sentences, numbers and events.
2. *Prefilter* (:func:`_codable`), from the words alone. A sentence is *codable* when it
   has a word that can code on its own (:func:`_flags`: some lemma the lemmatizer could
   give it, for any part of speech, is a lexicon verb, event noun or framing verb; or a
   speech verb with "must") and either names a dictionary actor (:func:`_names_actor`, any
   case), or says "he"/"she" after a sentence that named one (the last-named person), or
   has a possible event noun and a definite determiner with a codable sentence among the
   ``INHERIT_WINDOW`` before it (a definite event noun takes its actors from there). Every
   event comes from a sentence of one of these kinds, so skipping the others loses none.
   Of the codable sentences only those with a *coding* word are parsed: a word some lemma of
   which (:func:`_possible_lemmas`: a lemmatizer candidate or an attribute-ruler lemma) is a
   lexicon verb or event noun with a code of its own, or a framing verb that codes without a
   predicate under it (``CODING_WORD``); or a verb or noun entry without a code of its own
   that has one of its refinement words in the sentence (an object, particle, preposition or
   modifier its entry keys on: "took hostages", "called for talks", "phone call";
   ``REFINED_WORD``, :func:`_refinement_present`); or a speech verb with "must". Every
   candidate the coder finds bottoms out in such a word (a "plan"/"try"/"begin" verb, a
   readiness marker or a light verb like "have" codes only through one), so the others give
   no candidate and are not parsed; they still count as codable for the window above.
3. *Parse.* Each codable sentence becomes a document of its own (its words and spaces,
   :func:`streams.extraction.sentences.own_docs`) and all of them go through ``tok2vec``,
   ``tagger``, ``parser``, ``attribute_ruler`` and ``lemmatizer`` in one batched pass
   (``PARSE_COMPONENTS``; the ruler and lemmatizer by
   :func:`streams.extraction.language.annotate`'s matcher-free, remembering versions, same
   annotations). The coder reads the whole document as the sentence.
4. *Code* the codable sentences in order: actors a definite event noun inherits and the
   person "he"/"she" stands for come from the events and candidates of the codable
   sentences before it, as before. Only a sentence that may give an event gets ``ner``
   (places read entity types), all of them in one batched pass before coding starts
   (:func:`_recognise_all`: ~1.4 ms a sentence batched against ~3 ms one by one); then a
   sentence that gives an event gets its places and dates.

:func:`extract_many` codes several articles with each spaCy pass (segmenting, parsing, ``ner``)
run once over all of them; everything else stays per article, so each gets the same events.

``PREFILTER = False`` runs the same segmentation and the full pipeline (``ner`` included)
on every sentence and codes every one: the same events, slower (the tests compare them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

from spacy.attrs import LOWER
from spacy.strings import StringStore
from spacy.tokens import Token

from schemas.articles import CleanArticle
from schemas.events import Actor, DatePrecision, Event, Location
from streams.extraction import actors, coder, codes, dates, outlets, places, sentences, stories
from streams.extraction.actors import MAX_NAME_TOKENS
from streams.extraction.actors import _index as _actor_index
from streams.extraction.language import annotate, nlp
from streams.extraction.outlets import outlet_country

#: Violence coded even when nobody is named as its author: the source becomes the unidentified
#: armed forces (CAMEO UAF) of the country where it happened, as the PLOVER GSR codes such
#: reports ("a roadside bombing near Samarra killed one U.S. soldier" → IRQUAF → USAMIL).
UNATTRIBUTED_ROOTS = frozenset({"18", "19", "20"})
#: Roots whose events, with no target named, are aimed at the place where they happen
#: ("Israel mounted an invasion of South Lebanon", "demonstrated in Serbia", "blew up power
#: lines leading into Kabul").
PLACE_TARGET_ROOTS = frozenset({"14", "15", "17", "18", "19", "20"})
SUBORDINATE_FACTOR = 0.8  # an event in a relative/adverbial clause ranks below the main one
INHERIT_WINDOW = 2  # sentences back a definite event noun may take its actors from
PERSONAL = coder.PERSONAL  # subject pronouns resolved to the article's last-named person
DEFINITE = coder.DEFINITE  # determiners of an event noun that takes its actors from sentences before
OBLIGATION_AUX = "must"  # coder.OBLIGATION_AUX: "Russia said Sudan must leave" is a demand
PREFILTER = True  # False: every component on every paragraph, every sentence coded (same events, slower)
PARSE_COMPONENTS = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")  # ner: only where events are
PREDICATE_WORD, CORE_WORD, EVENT_NOUN_WORD, SPEECH_WORD = 1, 2, 4, 8  # what a word may be (_flags)
CODING_WORD, REFINED_WORD = 16, 32  # codes on its own; codes only with one of its refinement words (_needs)
POS_NAMES = (  # every part of speech the lemmatizer's tables may cover
    *("noun", "verb", "adj", "adv", "propn", "aux", "num", "pron", "adp", "det", "cconj", "sconj", "part"),
    *("intj", "sym", "x", "punct", "space"),
)


def warm_up() -> None:
    """Load the model, the actor dictionary and the gazetteer now rather than on the first article."""
    nlp()
    _actor_index()
    actors._big_cities()  # GeoNames cities again (~0.7 s): else the first short city actor loads it
    outlets._by_tld()
    places.cities()
    places.admin1s()
    places.areas()
    coder.lexicon()
    codes.table()
    _predicate_lemmas()
    _lemma_tables()
    _name_keys()


# --- which sentences can hold an event ------------------------------------------------------


@dataclass
class _PredicateTables:
    """What the sentence prefilter needs of one lexicon (a patterns file changes it)."""

    lemmas: frozenset[str]  # every lemma the coder reads as (part of) a predicate
    core: frozenset[str]  # lemmas that can code on their own (verbs, event nouns, framing verbs)
    nouns: frozenset[str]  # event nouns (a definite one takes its actors from sentences before)
    speech: frozenset[str]  # speech verbs ("said Y must act" is a demand)
    coding: frozenset[str]  # lemmas that code with no predicate under them (not "plan", "try", "begin")
    refined: dict[str, frozenset[str]]  # lemma → the lemmas one of which it needs in the sentence to code
    ruler_words: frozenset[str]
    ruler_lemmas: tuple[dict[str, frozenset[str]], frozenset[str]]  # (word → lemmas, lemmas of any word)
    flags: dict[int, int]  # LOWER id → its PREDICATE_WORD | CORE_WORD | … bits (filled as words are seen)
    possible: dict[int, frozenset[str]] = field(default_factory=dict)  # LOWER id → _possible_lemmas


_PREDICATE_TABLES: dict[int, _PredicateTables] = {}


def _predicate_tables() -> _PredicateTables:
    lex = coder.lexicon()
    found = _PREDICATE_TABLES.get(id(lex))
    if found is None:
        lemmas = frozenset([*lex["verbs"], *lex["nouns"], *lex["_frame_of"], *lex["_markers"], *lex["_light"]])
        core = frozenset([*lex["verbs"], *lex["nouns"], *lex["_frame_of"]])
        alone = [lemma for lemma, frame in lex["_frame_of"].items() if "map" in lex["frames"][frame]]
        verbs = [lemma for lemma, entry in lex["verbs"].items() if entry.get("code")]
        nouns = [lemma for lemma, entry in lex["nouns"].items() if entry.get("code")]
        coding = frozenset([*verbs, *nouns, *alone])
        refined: dict[str, set[str]] = {}
        for lemma, entry in lex["verbs"].items():  # obj / prt / prep refinements: "prt:obj", "prep:pobj"
            if lemma not in coding:
                keys = [k for part in ("obj", "prt", "prep", "prt_obj") for k in entry.get(part, {})]
                refined.setdefault(lemma, set()).update(w for k in keys for w in str(k).split(":"))
        for lemma, entry in lex["nouns"].items():  # modifier refinements ("phone call")
            if lemma not in coding:
                refined.setdefault(lemma, set()).update(str(k) for k in entry.get("mod", {}))
        found = _PredicateTables(
            lemmas,
            core,
            frozenset(lex["nouns"]),
            frozenset(lex["_speech"]),
            coding,
            {lemma: frozenset(w.lower() for w in words) for lemma, words in refined.items()},
            _ruler_lemma_words(lemmas),
            _ruler_lemmas(),
            {},
        )
        _PREDICATE_TABLES.clear()
        _PREDICATE_TABLES[id(lex)] = found
    return found


def _predicate_lemmas() -> frozenset[str]:
    """Every lemma the coder can code: verbs, event nouns, framing verbs and markers, light verbs."""
    return _predicate_tables().lemmas


def _ruler_lemma_words(lemmas: frozenset[str]) -> frozenset[str]:
    """Words the attribute ruler gives a predicate lemma of its own ("gonna" → go), if any."""
    words: set[str] = set()
    for rule in nlp().get_pipe("attribute_ruler").patterns:  # type: ignore[attr-defined]
        lemma = rule["attrs"].get("LEMMA")
        if lemma is None or str(lemma).lower() not in lemmas:
            continue
        for token in rule["patterns"][0]:
            lower = token.get("LOWER")
            values = [lower] if isinstance(lower, str) else lower.get("IN", []) if isinstance(lower, dict) else []
            words.update(str(v) for v in values)
    return frozenset(words)


def _ruler_lemmas() -> tuple[dict[str, frozenset[str]], frozenset[str]]:
    """The lemmas (lower case) the attribute ruler may give a word (LOWER): any token of any pattern
    of a rule setting LEMMA; and the lemmas of rules with a token whose word is not a closed set
    (any word may get those)."""
    words: dict[str, set[str]] = {}
    anyone: set[str] = set()
    for rule in nlp().get_pipe("attribute_ruler").patterns:  # type: ignore[attr-defined]
        lemma = rule["attrs"].get("LEMMA")
        if lemma is None:
            continue
        value = str(lemma).lower()
        for pattern in rule["patterns"]:
            for token in pattern:
                lower = token.get("LOWER") if isinstance(token, dict) else None
                if isinstance(lower, str):
                    words.setdefault(lower, set()).add(value)
                elif isinstance(lower, dict) and set(lower) == {"IN"}:
                    for v in lower["IN"]:
                        words.setdefault(str(v), set()).add(value)
                else:
                    anyone.add(value)
    return {w: frozenset(v) for w, v in words.items()}, frozenset(anyone)


@cache
def _lemma_tables() -> tuple[dict[str, frozenset[str]], tuple[tuple[str, str], ...]]:
    """The rule lemmatizer's exceptions (word → every lemma, any part of speech) and suffix rules
    (every part of speech's, once each)."""
    lemmatizer = nlp().get_pipe("lemmatizer")
    rules = lemmatizer.lookups.get_table("lemma_rules")  # type: ignore[attr-defined]
    exceptions = lemmatizer.lookups.get_table("lemma_exc")  # type: ignore[attr-defined]
    forms: dict[str, set[str]] = {}
    suffixes: dict[tuple[str, str], None] = {}
    for pos in POS_NAMES:
        for word, lemmas in exceptions.get(pos, {}).items():
            forms.setdefault(word, set()).update(lemmas)
        for old, new in rules.get(pos, []):
            suffixes[(old, new)] = None
    return {w: frozenset(f) for w, f in forms.items()}, tuple(suffixes)


def _lemma_candidates(word: str) -> set[str]:
    """Every lemma the rule lemmatizer could give ``word`` (lower case) for some part of speech:
    the word itself, its exceptions, and every suffix rule's output (a superset of the one it picks)."""
    exceptions, rules = _lemma_tables()
    candidates = {word, *exceptions.get(word, ())}
    for old, new in rules:
        if word.endswith(old):
            candidates.add(word[: len(word) - len(old)] + new)
    return {c.lower() for c in candidates}


def _may_be_predicate(word: str) -> bool:
    """Whether some part of speech would lemmatise ``word`` (lower case) to a predicate lemma."""
    tables = _predicate_tables()
    return bool(_lemma_candidates(word) & tables.lemmas) or word in tables.ruler_words


_NAME_KEYS: dict[int, tuple[frozenset[tuple[str, ...]], frozenset[str]]] = {}


def _name_keys() -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
    """Dictionary keys that can name an actor (not bare sector words), and their first words;
    per dictionary, so a configured actors file counts."""
    index = _actor_index()
    found = _NAME_KEYS.get(id(index))
    if found is None:
        keys = frozenset(k for k, entries in index.items() if k and any(e.kind != "sector" for e in entries))
        found = (keys, frozenset(k[0] for k in keys))
        _NAME_KEYS.clear()
        _NAME_KEYS[id(index)] = found
    return found


def _flags(tables: _PredicateTables, strings: StringStore, lower: int) -> int:
    """What a word (LOWER id) can be, as bits: PREDICATE_WORD, CORE_WORD, EVENT_NOUN_WORD, SPEECH_WORD."""
    found = tables.flags.get(lower)
    if found is None:
        word = strings[lower].replace("’", "'")
        candidates = _lemma_candidates(word)
        ruler = word in tables.ruler_words
        found = 0
        for bit, lemmas in (
            (PREDICATE_WORD, tables.lemmas),
            (CORE_WORD, tables.core),
            (EVENT_NOUN_WORD, tables.nouns),
            (SPEECH_WORD, tables.speech),
        ):
            if ruler or not candidates.isdisjoint(lemmas):
                found |= bit
        possible = _possible_lemmas(tables, strings, lower)
        if not possible.isdisjoint(tables.coding):
            found |= CODING_WORD
        if not possible.isdisjoint(tables.refined):
            found |= REFINED_WORD
        tables.flags[lower] = found
    return found


def _possible_lemmas(tables: _PredicateTables, strings: StringStore, lower: int) -> frozenset[str]:
    """Every lemma (lower case) a word (LOWER id) may get: a lemmatizer candidate or an attribute
    ruler lemma."""
    found = tables.possible.get(lower)
    if found is None:
        raw = strings[lower]
        word = raw.replace("’", "'")
        by_word, anyone = tables.ruler_lemmas
        found = frozenset({*_lemma_candidates(word), *by_word.get(word, ()), *by_word.get(raw, ()), *anyone})
        tables.possible[lower] = found
    return found


def _refinement_present(tables: _PredicateTables, strings: StringStore, ids: list[int]) -> bool:
    """Whether a word that codes only with a refinement (an object, particle, preposition or
    modifier of its entry) has one of its refinement words in the sentence ``ids`` (LOWER ids)."""
    needed: set[str] = set()
    for lower in ids:
        if _flags(tables, strings, lower) & REFINED_WORD:
            for lemma in _possible_lemmas(tables, strings, lower):
                needed.update(tables.refined.get(lemma, ()))
    return any(not _possible_lemmas(tables, strings, lower).isdisjoint(needed) for lower in ids)


def _names_actor(words: list[str]) -> bool:
    """A dictionary actor name (any case) occurs in the sentence: every coded actor comes from one."""
    keys, firsts = _name_keys()
    for i, word in enumerate(words):
        if word in firsts:
            for n in range(1, min(MAX_NAME_TOKENS, len(words) - i) + 1):
                if tuple(words[i : i + n]) in keys:
                    return True
    return False


def _codable(parsed: list[sentences.Sentence]) -> list[sentences.Sentence]:
    """The sentences that can yield an event (see the module docstring)."""
    tables = _predicate_tables()
    lowers: dict[int, list[int]] = {}
    out: list[sentences.Sentence] = []
    codable: set[int] = set()
    named_before = False  # "he" / "she" can stand for an actor named earlier
    for sent in parsed:
        doc = sent.span.doc
        if id(doc) not in lowers:
            lowers[id(doc)] = doc.to_array(LOWER).tolist()
        strings = doc.vocab.strings
        ids = lowers[id(doc)][sent.span.start : sent.span.end]
        flags = 0
        for lower in ids:
            flags |= _flags(tables, strings, lower)
        core = flags & CORE_WORD or (flags & SPEECH_WORD and strings[OBLIGATION_AUX] in ids)
        if not (core or flags & PREDICATE_WORD):
            continue
        words = [strings[w].replace("’", "'") for w in ids]
        names = _names_actor(words)
        if core and (
            names
            or (named_before and not PERSONAL.isdisjoint(words))
            or (
                flags & EVENT_NOUN_WORD
                and not DEFINITE.isdisjoint(words)
                and any(i in codable for i in range(sent.index - INHERIT_WINDOW, sent.index))
            )
        ):
            codable.add(sent.index)
            if (
                flags & CODING_WORD
                or (flags & SPEECH_WORD and strings[OBLIGATION_AUX] in ids)
                or (flags & REFINED_WORD and _refinement_present(tables, strings, ids))
            ):
                out.append(sent)  # else no predicate can code: a framing verb needs one under it
        named_before = named_before or names
    return out


def _split(paragraphs: list[str]) -> tuple[list[sentences.Sentence], list[sentences.Sentence]]:
    """All sentences (segmented, tokens only), and the codable ones as documents of their own
    through ``PARSE_COMPONENTS`` (every sentence, and ``ner`` too, without ``PREFILTER``)."""
    (found,), (parsed,) = _split_many([paragraphs])
    return found, parsed


def _split_many(
    articles: list[list[str]],
) -> tuple[list[list[sentences.Sentence]], list[list[sentences.Sentence]]]:
    """:func:`_split` for each article's paragraphs, each spaCy pass run once over all of them."""
    found = sentences.segment_many(articles)
    if not PREFILTER:
        return found, _parse_many(found, (*PARSE_COMPONENTS, "ner"))
    return found, _parse_many([_codable(mine) for mine in found], PARSE_COMPONENTS)


def _parse(found: list[sentences.Sentence], components: tuple[str, ...]) -> list[sentences.Sentence]:
    return _parse_many([found], components)[0]


def _parse_many(
    articles: list[list[sentences.Sentence]], components: tuple[str, ...]
) -> list[list[sentences.Sentence]]:
    """Each article's sentences as documents of their own, through ``components`` in one batched pass."""
    own = [sentences.own_docs(found) for found in articles]
    for _ in annotate((s.span.doc for mine in own for s in mine), components):
        pass
    return own


def _recognise(sent: sentences.Sentence) -> None:
    """Named entities for a sentence that gave events (places read their types), once."""
    doc = sent.span.doc
    if not doc.has_annotation("ENT_IOB"):
        nlp().get_pipe("ner")(doc)


def _may_code(cand: coder.Candidate, index: int, roots: dict[int, set[str]], last_person: Actor | None) -> bool:
    """Whether :func:`_roles` can keep ``cand`` whatever events the sentences before gave: False
    only when it returns None for every history. ``roots``: sentence index → the root codes of
    its candidates (an event in the history has its candidate's root code)."""
    sources = bool(cand.source.actors) or bool(cand.source.pronoun and last_person is not None)
    if not sources and cand.definite_noun:
        root = codes.lookup(cand.code).root_code
        # a recent event of the same root is needed; it may bring a target too
        return any(root in roots.get(i, ()) for i in range(index - INHERIT_WINDOW, index))
    if cand.unknown_counterpart and not cand.target.actors:
        return False
    if not sources:
        return codes.lookup(cand.code).root_code in UNATTRIBUTED_ROOTS and not cand.negated and cand.agentless
    return True


def _recognise_all(articles: list[list[tuple[sentences.Sentence, list[coder.Candidate]]]]) -> None:
    """``ner`` in one batched pass on every sentence that may give an event (:func:`_may_code`),
    in every article: a superset of those :func:`extract` recognises one by one, found before
    their order of coding decides (the others' entities are never read). One document's
    entities do not depend on the documents batched with it."""
    wanted = []
    for per_sentence in articles:
        roots: dict[int, set[str]] = {}
        last_person: Actor | None = None
        for sent, cands in per_sentence:
            if any(_may_code(c, sent.index, roots, last_person) for c in cands):
                wanted.append(sent.span.doc)
            roots[sent.index] = {codes.lookup(c.code).root_code for c in cands}
            named = [a for c in cands for a in (*c.source.actors, *c.target.actors) if actors.is_person(a)]
            if named:
                last_person = max(named, key=lambda a: sent.text.rfind(a.text))
    for _ in annotate((d for d in wanted if not d.has_annotation("ENT_IOB")), ("ner",)):
        pass


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def anchor_date(article: CleanArticle, coded_at: datetime) -> date:
    """The day relative dates count from: publication date, else the coding date."""
    return (article.published_at or coded_at).date()


@dataclass
class _Coded:
    """A candidate with its final roles, ready to become events."""

    cand: coder.Candidate
    sources: tuple[Actor, ...]
    targets: tuple[Actor | None, ...]
    confidence: float


def _nearest_owner(tok: Token, owners: dict[int, int]) -> int | None:
    """Index of the emitting predicate that is the closest ancestor of ``tok`` (or ``tok`` itself)."""
    node = tok
    for _ in range(40):
        if node.i in owners:
            return owners[node.i]
        if node.head.i == node.i:
            return None
        node = node.head
    return None


def extract(article: CleanArticle, *, coded_at: datetime) -> list[Event]:
    """Code every event the article states; see the module docstrings for the rules."""
    return extract_many([article], coded_at=coded_at)[0]


def extract_many(articles: Sequence[CleanArticle], *, coded_at: datetime) -> list[list[Event]]:
    """:func:`extract` for each article, with the spaCy passes (segmenting, parsing, ``ner``)
    batched across the articles: a batch of eight costs ~20 % less per article than one at a
    time (fewer, fuller matrix products; spaCy's per-batch overhead paid once). Each article
    gets the events it gets alone: a document's annotations do not depend on the documents
    batched with it (tests compare them)."""
    _, parsed = _split_many([_paragraphs(article) for article in articles])
    anchors = [anchor_date(article, coded_at) for article in articles]
    coded = [
        [(s, coder.code_sentence(s.span, anchor)) for s in codable]
        for anchor, codable in zip(anchors, parsed, strict=True)
    ]
    if PREFILTER:
        _recognise_all(coded)
    return [
        _events(article, coded_at, anchor, per_sentence)
        for article, anchor, per_sentence in zip(articles, anchors, coded, strict=True)
    ]


def _paragraphs(article: CleanArticle) -> list[str]:
    paragraphs = list(article.paragraphs or [article.text])
    paragraphs[0] = sentences.without_dateline(paragraphs[0])  # "DOHA, June 23 - Iran fired …"
    return paragraphs


def _events(
    article: CleanArticle,
    coded_at: datetime,
    anchor: date,
    per_sentence: list[tuple[sentences.Sentence, list[coder.Candidate]]],
) -> list[Event]:
    """The article's events from its coded sentences: roles, places, dates, ids."""
    prefer = {
        a.country for _, cands in per_sentence for c in cands for a in (*c.source.actors, *c.target.actors) if a.country
    }
    outlet = outlet_country(article.url)  # local news: "London" in a .ca paper is in Ontario
    history: list[tuple[int, Event]] = []
    events: dict[str, Event] = {}
    last_person: Actor | None = None  # the person "he" / "she" stands for, from earlier sentences
    for sent, cands in per_sentence:
        coded: list[_Coded] = []
        for cand in cands:
            item = _roles(cand, sent.index, history, last_person)
            if item is not None:
                coded.append(item)
        named = [a for c in cands for a in (*c.source.actors, *c.target.actors) if actors.is_person(a)]
        if named:
            last_person = max(named, key=lambda a: sent.text.rfind(a.text))  # the latest-named one
        if not coded and PREFILTER:
            continue  # no event: its places and dates would go nowhere
        _recognise(sent)
        role_tokens = {i for c in cands for i in (*c.source.tokens, *c.target.tokens)}
        mentions = places.find(sent.span, exclude=role_tokens, prefer=prefer, outlet_country=outlet)
        when = dates.find(sent.span, anchor)
        if any(item.sources for item in coded):  # an unnamed side only when the sentence names nobody
            coded = [item for item in coded if item.sources]
        owners = {item.cand.token.i: n for n, item in enumerate(coded)}
        place_of: dict[int, list[Location]] = {n: [] for n in range(len(coded))}
        shared: list[Location] = []
        for m in mentions:
            owner = _nearest_owner(sent.span.doc[m.start], owners)
            (place_of[owner] if owner is not None else shared).append(m.location)
        date_of: dict[int, dates.DateMention] = {}
        for d in when:
            owner = _nearest_owner(sent.span.doc[d.start], owners)
            if owner is not None and owner not in date_of:
                date_of[owner] = d
        sentence_text = sent.text[:5000]
        new: list[Event] = []
        for n, item in enumerate(coded):
            found = places.distinct(place_of[n] + shared)
            main = places.most_precise(found)
            ordered = ([main] if main else []) + [p for p in found if p is not main]
            own_date = date_of.get(n) or dates.primary(when)
            precision: DatePrecision
            if own_date is not None:  # "last week" is a week, not its Monday
                event_date, precision = own_date.value, own_date.precision
            else:
                event_date, precision = anchor, "article"
            sources, targets = _place_roles(item, main)
            for source in sources:
                for target in targets:
                    event = _event(
                        article,
                        coded_at,
                        sent.index,
                        sentence_text,
                        item,
                        source,
                        target,
                        event_date,
                        precision,
                        main,
                        ordered,
                    )
                    if event.event_id not in events:
                        events[event.event_id] = event
                        new.append(event)
        history.extend((sent.index, e) for e in new)
    return stories.fold_retellings(list(events.values()))


def _place_actor(place: Location, sector: str | None, text: str) -> Actor | None:
    if place.country is None:
        return None
    name = actors._country_name(place.country)
    return actors._actor(text[:500], f"unidentified armed group ({name})" if sector else name, place.country, sector)


def _place_roles(item: _Coded, main: Location | None) -> tuple[tuple[Actor, ...], tuple[Actor | None, ...]]:
    """The event's sources and targets, with the place standing in for a side the sentence does
    not name (see ``UNATTRIBUTED_ROOTS`` and ``PLACE_TARGET_ROOTS``)."""
    sources, targets = item.sources, item.targets
    if main is None:
        return sources, targets
    root = codes.lookup(item.cand.code).root_code
    if not sources:
        found = _place_actor(main, "UAF", main.name)
        sources = (found,) if found is not None else ()
    if targets == (None,) and root in PLACE_TARGET_ROOTS:
        found = _place_actor(main, None, main.name)
        if found is not None and all(s.code != found.code for s in sources):
            targets = (found,)
    return sources, targets


def _roles(
    cand: coder.Candidate, index: int, history: list[tuple[int, Event]], last_person: Actor | None = None
) -> _Coded | None:
    """Final source/target sets for a candidate, using the article so far where the sentence is silent."""
    sources = cand.source.actors
    targets: tuple[Actor | None, ...] = cand.target.actors
    confidence = cand.source.confidence
    if not sources and cand.source.pronoun and last_person is not None:
        # within-article coreference: "he" is the last person named before this sentence
        sources = (last_person.model_copy(update={"text": cand.source.pronoun}),)
        confidence = coder.CONF_CONTEXT
    if not sources and cand.definite_noun:
        root = codes.lookup(cand.code).root_code
        recent = [e for i, e in reversed(history) if index - INHERIT_WINDOW <= i < index and e.root_code == root]
        recent.sort(key=lambda e: e.target is None)  # stable: prefer the latest one with a target
        if not recent:
            return None
        sources = (recent[0].source,)
        targets = targets or ((recent[0].target,) if recent[0].target else ())
        confidence = coder.CONF_HEURISTIC
    if cand.unknown_counterpart and not targets:
        return None  # half a dyad: the named counterpart is unknown
    if not sources:
        if codes.lookup(cand.code).root_code not in UNATTRIBUTED_ROOTS or cand.negated or not cand.agentless:
            return None
        # "civilians were killed in a car bombing in Baghdad": the place names the attacker's side below
        return _Coded(cand, (), cand.target.actors or (None,), coder.CONF_HEURISTIC)
    if not targets and cand.retaliation:
        for _, e in reversed(history):
            if (
                e.root_code in ("18", "19", "20")
                and e.target is not None
                and e.target.country in {s.country for s in sources}
            ):
                targets = (e.source,)
                confidence = min(confidence, coder.CONF_HEURISTIC)
                break
    if targets:
        confidence = min(confidence, cand.target.confidence or confidence)
    else:
        confidence = min(confidence, coder.CONF_NO_TARGET)
    source_codes = {s.code for s in sources}
    source_countries = {s.country for s in sources}
    # a country-level target that is the source's own country is a possessive echo ("Russia's mediation")
    kept = tuple(
        t
        for t in targets
        if t is not None and t.code not in source_codes and not (t.sector is None and t.country in source_countries)
    )
    if targets and not kept:
        kept = ()
    if cand.subordinate:
        confidence *= SUBORDINATE_FACTOR
    return _Coded(cand, sources, kept or (None,), round(confidence, 3))


def _event(
    article: CleanArticle,
    coded_at: datetime,
    index: int,
    sentence_text: str,
    item: _Coded,
    source: Actor,
    target: Actor | None,
    event_date: date,
    precision: str,
    main: Location | None,
    ordered: list[Location],
) -> Event:
    cand = item.cand
    row = codes.lookup(cand.code)
    target_code = target.code if target else ""
    event_id = "ev-" + _sha(f"{article.id}|{index}|{cand.code}|{source.code}|{target_code}|{cand.predicate}")
    target_country = target.country if target and target.country else ""
    story_id = "st-" + _sha(
        f"{event_date.isoformat()}|{source.country or source.code}|{target_country}|{row.root_code}"
    )
    modality = cand.modality
    if modality == "asserted" and cand.attribution:
        modality = "reported"
    return Event(
        event_id=event_id,
        article_id=article.id,
        article_url=article.url,
        outlet=article.source,
        published_at=article.published_at,
        story_id=story_id,
        sentence=sentence_text,
        sentence_index=index,
        date=event_date,
        date_precision=precision,  # type: ignore[arg-type]
        code=cand.code,
        root_code=row.root_code,
        label=row.label,
        quad_class=row.quad_class,
        goldstein=row.goldstein,
        plover=row.plover,
        predicate=cand.predicate,
        source=source,
        target=target,
        location=main,
        places=ordered,
        negated=cand.negated,
        modality=modality,  # type: ignore[arg-type]
        attribution=cand.attribution,
        confidence=item.confidence,
        coded_at=coded_at,
    )
