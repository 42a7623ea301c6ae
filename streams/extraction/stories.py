"""Story-level deduplication: further reports of a known happening update its event instead of adding one.

Two articles from two outlets, worded differently, that report the same happening give
one event: the first report's, under its ``event_id`` and ``story_id``, republished with
``mentions`` (articles that reported it) and ``sources`` (distinct outlets) raised. An
analyst wants one event per happening, not one per report.

When a new event continues a known story (:func:`same_happening`, checked against the
story's first event, never against later reports, so a story cannot drift):

- same code family: the CAMEO root ("19" fight), so "attacked" (190) in one outlet and
  "shelled" (194) in another are one happening; quad classes and PLOVER types follow roots;
- same source and same target: the same country, and the same sector unless one side names
  only the country ("Russia" vs "Russian forces": outlets differ in how specifically they
  name an actor, and the country is the less specific name of every one of its sectors);
  international bodies (no country) by their code; an event without a target only
  continues a story without one;
- event dates at most ``window_days`` apart (default 1: "on Friday" vs "overnight into
  Saturday"); a week or month date covers its whole period;
- overlapping places (:func:`places_overlap`): the same place, a country and a place in
  it, or places less than ``PLACE_RADIUS_KM`` apart (a city and its province); a side
  without a place matches any — except when neither event has a target, then both must
  name overlapping places, because a source, a root and a date alone ("Iran said…") are
  too little to call two statements one happening;
- the same polarity: not negated vs negated, and happened (asserted or reported) vs
  planned, threatened or conditional.

A story takes at most one event from each article. The extract stage has already decided
which statements of one article are distinct events (different sentences, predicates,
places), so events of one article never merge with each other; a second matching event of
an article that already reported the story looks for another story or opens its own. That
also makes ``mentions`` the number of articles that reported the happening, as it is for
duplicate articles (:mod:`streams.extraction.reports`), and makes re-delivery idempotent:
an event whose article already reported its story republishes the story's current state,
counts unchanged (so at-least-once re-delivery after a crash still publishes the update).

Evidence: the story keeps the first report's places, date and roles; an update names the
report that caused it (``REPORT_FIELDS``: article, URL, outlet, sentence), so the alert stage
can list every outlet as evidence, with ``mentions``, ``sources`` and ``coded_at`` (when this
version was made) raised. A re-delivery republishes the story as stored (first report).

The story book is an injected key-value store (a changelog-backed Faust table in the
stream, a dict offline), keyed by :func:`dyad_key` — source, target and root, no date —
so every event that could continue a story is routed to the partition that holds it.
It is bounded: a story not reported for ``retention`` is dropped, and each key keeps at
most ``max_per_key`` stories (the least recently reported go first).
"""

from __future__ import annotations

import hashlib
import math
from calendar import monthrange
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import orjson

from schemas.events import Actor, Event, Location
from streams.extraction import codes, places
from streams.kvstore import KeyValueStore

#: Places closer than this are the same area: a city and the province or metro area around it.
PLACE_RADIUS_KM = 100.0
#: Articles remembered per story for idempotence; beyond it the oldest are forgotten (counts still grow).
MAX_REPORTS = 100
#: Outlets remembered per story; ``sources`` stops growing beyond it.
MAX_OUTLETS = 100


@dataclass(frozen=True)
class StoryRules:
    """How far a story reaches: ``WIREWATCH_STORY_WINDOW_DAYS``, ``_RETENTION_DAYS``, ``_MAX_PER_KEY``."""

    window_days: int = 1
    retention: timedelta = timedelta(days=7)
    max_per_key: int = 50


Verdict = Literal["new", "continued", "redelivered"]


@dataclass(frozen=True)
class StoryUpdate:
    """What to publish for one coded event, and why."""

    event: Event
    """The event to publish: the new event itself, or the known story's event with its counts."""
    verdict: Verdict
    """``new`` opened a story; ``continued`` raised a known story's counts; ``redelivered``
    republished a story this article had already reported (counts unchanged)."""


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def _actor_key(actor: Actor | None) -> str:
    if actor is None:
        return "-"
    return actor.country or actor.code


def dyad_key(event: Event) -> str:
    """Partition and book key of every event that could be the same happening: source, target, root (no date)."""
    return "dy-" + _sha(f"{_actor_key(event.source)}|{_actor_key(event.target)}|{event.root_code}")


def same_actor(a: Actor | None, b: Actor | None) -> bool:
    """Same country (or international body), and the same sector unless one side names only the country."""
    if a is None or b is None:
        return a is b
    if a.country is None or b.country is None:
        return a.code == b.code
    return a.country == b.country and (a.sector is None or b.sector is None or a.sector == b.sector)


def _period(event: Event) -> tuple[date, date]:
    """The days ``event.date`` stands for: one day, a week from its Monday, or a month from its first day."""
    start = event.date
    if event.date_precision == "week":
        return start, start + timedelta(days=6)
    if event.date_precision == "month":
        return start, start.replace(day=monthrange(start.year, start.month)[1])
    return start, start


def dates_close(a: Event, b: Event, window_days: int) -> bool:
    """Whether the two events' date periods are at most ``window_days`` apart."""
    (a0, a1), (b0, b1) = _period(a), _period(b)
    gap = max((b0 - a1).days, (a0 - b1).days, 0)
    return gap <= window_days


def _places(event: Event) -> list[Location]:
    return list(event.places) or ([event.location] if event.location else [])


def _km(a: Location, b: Location) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    p1, p2 = math.radians(a.lat), math.radians(b.lat)
    dp, dl = p2 - p1, math.radians(b.lon - a.lon)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def same_place(a: Location, b: Location) -> bool:
    """The same place, a country and a place in it, or two places less than ``PLACE_RADIUS_KM`` apart."""
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True
    if a.name == b.name and a.country == b.country:
        return True
    if a.precision == "country" or b.precision == "country":
        return a.country is not None and a.country == b.country
    km = _km(a, b)
    return km is not None and km < PLACE_RADIUS_KM


def places_overlap(a: Event, b: Event) -> bool:
    """Some place of one is some place of the other; a side without places matches any (see the module doc)."""
    pa, pb = _places(a), _places(b)
    if not pa or not pb:
        return a.target is not None or b.target is not None  # no target: places must say it is the same
    return any(same_place(x, y) for x in pa for y in pb)


def _happened(event: Event) -> tuple[bool, str]:
    return event.negated, "happened" if event.modality in ("asserted", "reported") else event.modality


def same_happening(known: Event, new: Event, window_days: int = 1) -> bool:
    """Whether ``new`` reports the happening ``known`` (a story's first event) stands for."""
    return (
        known.root_code == new.root_code
        and _happened(known) == _happened(new)
        and same_actor(known.source, new.source)
        and same_actor(known.target, new.target)
        and dates_close(known, new, window_days)
        and places_overlap(known, new)
    )


def outlet_of(event: Event) -> str:
    """Who published the report: the outlet's name, else the URL's host, else the article id."""
    if event.outlet:
        return event.outlet
    if event.article_url:
        try:
            host = urlsplit(event.article_url).hostname
        except ValueError:
            host = None
        if host:
            return host.removeprefix("www.")
    return event.article_id


# --- the story book: key → {"t": last write, "stories": [story, …]} -------------------------
# story: {"event": the story's event as last published, "reports": {article id: event id},
#         "outlets": [outlet, …], "opened": timestamp, "updated": timestamp}


def _load(book: KeyValueStore, key: str) -> list[dict[str, Any]]:
    raw = book.get(key)
    if raw is None:
        return []
    stories: list[dict[str, Any]] = orjson.loads(raw)["stories"]
    return stories


def _save(book: KeyValueStore, key: str, stories: list[dict[str, Any]], rules: StoryRules, now: datetime) -> None:
    cutoff = now.timestamp() - rules.retention.total_seconds()
    kept = [s for s in stories if s["updated"] >= cutoff]
    kept.sort(key=lambda s: s["updated"])
    kept = kept[-rules.max_per_key :]
    book[key] = orjson.dumps({"t": now.timestamp(), "stories": kept})


def _rank(story: dict[str, Any], known: Event, event: Event) -> tuple[int, float]:
    # The story that already holds this very event (a duplicate's copy), then the closest
    # date, a real place overlap before a missing place, and the oldest story.
    if event.event_id in story["reports"].values():
        return (-1, 0.0)
    (k0, k1), (e0, e1) = _period(known), _period(event)
    gap = max((e0 - k1).days, (k0 - e1).days, 0)
    placed = bool(_places(known)) and bool(_places(event))
    return (gap * 2 + (0 if placed else 1), story["opened"])


def continue_story(event: Event, book: KeyValueStore, *, rules: StoryRules, now: datetime) -> StoryUpdate:
    """The event to publish for ``event``: a known story's event with raised counts, or ``event`` opening a story."""
    key = dyad_key(event)
    stories = [s for s in _load(book, key) if s["updated"] >= now.timestamp() - rules.retention.total_seconds()]
    for story in stories:
        if story["reports"].get(event.article_id) == event.event_id:  # this article already reported it
            return StoryUpdate(Event.from_obj(story["event"]), "redelivered")
    candidates: list[tuple[tuple[int, float], dict[str, Any], Event]] = []
    for story in stories:
        if event.article_id in story["reports"]:
            continue  # at most one event per article per story
        known = Event.from_obj(story["event"])
        # A duplicate article's copy of an event (reports.py) goes where the original went.
        if event.event_id in story["reports"].values() or same_happening(known, event, rules.window_days):
            candidates.append((_rank(story, known, event), story, known))
    if not candidates:
        stories.append(
            {
                "event": event.model_dump(mode="json"),
                "reports": {event.article_id: event.event_id},
                "outlets": [outlet_of(event)],
                "opened": now.timestamp(),
                "updated": now.timestamp(),
            }
        )
        _save(book, key, stories, rules, now)
        return StoryUpdate(event, "new")
    _, story, known = min(candidates, key=lambda c: c[0])
    reports = {**story["reports"], event.article_id: event.event_id}
    story["reports"] = dict(list(reports.items())[-MAX_REPORTS:])
    outlets = story["outlets"]
    if outlet_of(event) not in outlets and len(outlets) < MAX_OUTLETS:
        outlets.append(outlet_of(event))
    updated = known.model_copy(
        update={
            "mentions": known.mentions + 1,
            "sources": max(known.sources, len(outlets)),
            "coded_at": now,
            **_sharper(known, event),
        }
    )
    story["event"] = updated.model_dump(mode="json")
    story["updated"] = now.timestamp()
    _save(book, key, stories, rules, now)
    return StoryUpdate(updated.model_copy(update=_reported_by(event)), "continued")


def _specificity(code: str) -> tuple[int, bool]:
    # CAMEO: a 4-digit code is below its 3-digit parent; "…0" codes are "not specified below"
    return len(code), not code.endswith("0")


def _sharper(known: Event, new: Event) -> dict[str, Any]:
    """What a further report makes more precise: a more specific code of the same root ("attacked"
    190, then "airstrikes" 195), so the story's code does not depend on which report reached it
    first (reports arrive in partition order, not publication order). Actors are left as the
    first report named them: they are what later reports are matched against."""
    if _specificity(new.code) <= _specificity(known.code) or not codes.is_known(new.code):
        return {}  # a code outside the table (valid on the wire) cannot sharpen: the story keeps its own
    row = codes.lookup(new.code)
    return {
        "code": new.code,
        "label": row.label,
        "goldstein": row.goldstein,
        "quad_class": row.quad_class,
        "plover": row.plover,
    }


#: The fields of an update that name the report it comes from: the alert stage adds each
#: report as evidence ("a second outlet's report updates the alert: two sources").
REPORT_FIELDS = ("article_id", "article_url", "outlet", "published_at", "sentence", "sentence_index", "copy_of")


def _reported_by(event: Event) -> dict[str, Any]:
    return {name: getattr(event, name) for name in REPORT_FIELDS}


# --- one article: a happening told twice is one event ----------------------------------------


def _retold(known: Event, new: Event) -> bool:
    """Whether ``new``, later in the same article, tells the happening ``known`` already stands for:
    the story rules on the same day, or the same act by the same source told without its target
    ("…offering Russia's mediation" after "Putin expressed readiness to mediate between Israel
    and Iran")."""
    if same_happening(known, new, window_days=0):
        return True
    return (
        new.target is None
        and known.root_code == new.root_code
        and _happened(known) == _happened(new)
        and same_actor(known.source, new.source)
        and dates_close(known, new, 0)
    )


def fold_retellings(events: list[Event]) -> list[Event]:
    """The article's events with later retellings of a happening folded into its first event.

    A news article names its main happening again and again ("Israeli airstrikes on Iran…",
    "Israel's recent strikes on Iran…", "the Israeli attacks…", "the attacks continued, with
    Tehran, Natanz, Tabriz and Isfahan hit"): one happening, one event, carrying every place
    the article gives it (the most precise becomes ``location``). ``mentions`` stays 1: it
    counts reports (articles), and this is one report. Events of different roots (the
    killing of commanders in an air campaign) or of different days stay apart. An earlier
    telling without a target gives way to a later one that names it.
    """
    kept: list[Event] = []
    for event in events:
        known = next((k for k in kept if k.event_id != event.event_id and _retold(k, event)), None)
        if known is None:
            vague = next((k for k in kept if k.target is None and event.target is not None and _retold(event, k)), None)
            if vague is None:
                kept.append(event)
            else:  # "spoke with both sides", then "held calls with Pezeshkian": the later one says whom
                kept[kept.index(vague)] = _with_places(event, vague)
            continue
        kept[kept.index(known)] = _with_places(known, event)
    return kept


def _with_places(known: Event, new: Event) -> Event:
    found = places.distinct([*_places(known), *_places(new)])
    main = places.most_precise(found)
    if found == _places(known) or main is None:
        return known
    return known.model_copy(update={"places": [main, *[p for p in found if p is not main]], "location": main})
