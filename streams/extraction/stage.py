"""The extract stage: a cleaned article in, CAMEO-coded events out.

Pure apart from the cached spaCy model and gazetteer: the same article and
``coded_at`` always give the same events with the same ids. Work is bounded per
article by ``sentences.MAX_SENTENCES`` and ``sentences.MAX_SENTENCE_CHARS``.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from spacy.tokens import Token

from schemas.articles import CleanArticle
from schemas.events import Actor, Event, Location
from streams.extraction import coder, codes, dates, places, sentences
from streams.extraction.actors import _index as _actor_index
from streams.extraction.language import nlp

INHERIT_WINDOW = 2  # sentences back a definite event noun may take its actors from


def warm_up() -> None:
    """Load the model, the actor dictionary and the gazetteer now rather than on the first article."""
    nlp()
    _actor_index()
    places.cities()
    coder.lexicon()
    codes.table()


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
        if node.head is node:
            return None
        node = node.head
    return None


def _main_location(found: list[Location]) -> Location | None:
    for precision in ("facility", "city", "admin1", "country"):
        for loc in found:
            if loc.precision == precision:
                return loc
    return None


def extract(article: CleanArticle, *, coded_at: datetime) -> list[Event]:
    """Code every event the article states; see the module docstrings for the rules."""
    anchor = anchor_date(article, coded_at)
    paragraphs = article.paragraphs or [article.text]
    parsed = sentences.split(paragraphs)
    per_sentence = [(s, coder.code_sentence(s.span, anchor)) for s in parsed]
    prefer = {
        a.country for _, cands in per_sentence for c in cands for a in (*c.source.actors, *c.target.actors) if a.country
    }
    history: list[tuple[int, Event]] = []
    events: dict[str, Event] = {}
    for sent, cands in per_sentence:
        coded: list[_Coded] = []
        for cand in cands:
            item = _roles(cand, sent.index, history)
            if item is not None:
                coded.append(item)
        role_tokens = {i for c in cands for i in (*c.source.tokens, *c.target.tokens)}
        mentions = places.find(sent.span, exclude=role_tokens, prefer=prefer)
        when = dates.find(sent.span, anchor)
        owners = {item.cand.token.i: n for n, item in enumerate(coded)}
        place_of: dict[int, list[Location]] = {n: [] for n in range(len(coded))}
        shared: list[Location] = []
        for m in mentions:
            owner = _nearest_owner(sent.span.doc[m.start], owners)
            (place_of[owner] if owner is not None else shared).append(m.location)
        date_of: dict[int, date] = {}
        for d in when:
            owner = _nearest_owner(sent.span.doc[d.start], owners)
            if owner is not None and owner not in date_of:
                date_of[owner] = d.value
        sentence_text = sent.text[:5000]
        new: list[Event] = []
        for n, item in enumerate(coded):
            found = _dedupe_places(place_of[n] + shared)
            main = _main_location(found)
            ordered = ([main] if main else []) + [p for p in found if p is not main]
            if n in date_of:
                event_date, precision = date_of[n], "day"
            elif (main_date := dates.primary(when)) is not None:
                event_date, precision = main_date.value, "day"
            else:
                event_date, precision = anchor, "article"
            for source in item.sources:
                for target in item.targets:
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
    return list(events.values())


def _dedupe_places(found: list[Location]) -> list[Location]:
    seen: set[tuple[str, int | None]] = set()
    out: list[Location] = []
    for loc in found:
        key = (loc.name, loc.geonames_id)
        if key not in seen:
            seen.add(key)
            out.append(loc)
    return out


def _roles(cand: coder.Candidate, index: int, history: list[tuple[int, Event]]) -> _Coded | None:
    """Final source/target sets for a candidate, using the article so far where the sentence is silent."""
    sources = cand.source.actors
    targets: tuple[Actor | None, ...] = cand.target.actors
    confidence = cand.source.confidence
    if not sources and cand.definite_noun:
        root = codes.lookup(cand.code).root_code
        recent = [e for i, e in reversed(history) if index - INHERIT_WINDOW <= i < index and e.root_code == root]
        recent.sort(key=lambda e: e.target is None)  # stable: prefer the latest one with a target
        if not recent:
            return None
        sources = (recent[0].source,)
        targets = targets or ((recent[0].target,) if recent[0].target else ())
        confidence = coder.CONF_HEURISTIC
    if not sources:
        return None
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
