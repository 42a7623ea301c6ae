"""The stages as record handlers: bytes in, messages or a dead letter out.

Both the Faust agents and the offline processor call these functions, so the stream
and ``wirewatch process`` publish the same messages for the same input. Nothing here
knows about Kafka clients or files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TypeVar

import orjson
from pydantic import ValidationError

from schemas import Alert, CleanArticle, DeadLetter, Event, RawArticle, WireModel
from streams.alerting.escalation import EscalationState, Subject, escalate
from streams.alerting.rules import RuleSet
from streams.alerting.stage import AlertBook, evaluate
from streams.cleaning.duplicates import DuplicateIndex, Fingerprint, fingerprint
from streams.cleaning.stage import clean
from streams.deadletters import Record, Stage, StageFailure, dead_letter
from streams.extraction.reports import record_coded, reported_again
from streams.extraction.stage import extract_many
from streams.extraction.stories import StoryRules, StoryUpdate, continue_story
from streams.kvstore import KeyValueStore
from streams.settings import Settings

M = TypeVar("M", bound=WireModel)
T = TypeVar("T")


def decode(record: Record, model: type[M], *, max_bytes: int) -> M:
    """Bytes → validated model; every way this can fail becomes a StageFailure with its reason."""
    size = len(record.value)
    if size > max_bytes:
        raise StageFailure("decode", "too_large", f"message of {size} bytes exceeds the limit of {max_bytes} bytes")
    try:
        record.value.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StageFailure("decode", "undecodable", exc) from exc
    try:
        obj = orjson.loads(record.value)
    except orjson.JSONDecodeError as exc:
        raise StageFailure("decode", "invalid_json", exc) from exc
    try:
        return model.from_obj(obj)
    except ValidationError as exc:
        raise StageFailure("decode", "schema_violation", _short_validation_error(exc, model)) from exc


def _short_validation_error(exc: ValidationError, model: type[WireModel]) -> str:
    # Pydantic's full message echoes the (possibly huge) input; keep field, reason and type only.
    parts = [f"{'.'.join(str(p) for p in e['loc']) or '<root>'}: {e['msg']}" for e in exc.errors()[:10]]
    return f"{exc.error_count()} validation error(s) for {model.__name__}: " + "; ".join(parts)


def run_stage(stage: Stage, fn: Callable[[], T]) -> T:
    """Run a stage function; any exception becomes a StageFailure so the caller dead-letters it."""
    try:
        return fn()
    except StageFailure:
        raise
    except Exception as exc:  # the error policy: any crash of a stage is a dead letter
        raise StageFailure(stage, "stage_error", exc) from exc


@dataclass
class Outcome:
    """What handling one record produced: messages per topic role, or a dead letter."""

    clean: list[CleanArticle] = field(default_factory=list)
    fingerprints: list[Fingerprint] = field(default_factory=list)
    """Each clean article's duplicate-detection fingerprint, computed where it was cleaned."""
    events: list[Event] = field(default_factory=list)
    alerts: list[Alert] = field(default_factory=list)
    dead_letters: list[DeadLetter] = field(default_factory=list)
    folded: list[Alert] = field(default_factory=list)
    """Alerts changed but not to be published (evidence from an article they already cite):
    the caller stores them, like the published ones."""
    duplicates: int = 0
    """Articles recognised as duplicates (published, but not coded again)."""


def _failed(record: Record, failure: StageFailure, settings: Settings) -> Outcome:
    return Outcome(dead_letters=[dead_letter(record, failure, payload_limit=settings.deadletter_payload_bytes)])


def handle_raw(record: Record, settings: Settings) -> Outcome:
    """``articles.raw`` record → one CleanArticle, or one dead letter (articles in = clean + dead)."""
    try:
        raw = decode(record, RawArticle, max_bytes=settings.max_message_bytes)
        article = run_stage("clean", lambda: clean(raw, max_chars=settings.max_article_chars))
    except StageFailure as failure:
        return _failed(record, failure, settings)
    return Outcome(clean=[article], fingerprints=[fingerprint(article.text, article.content_hash)])


def mark_duplicate(
    article: CleanArticle,
    index: DuplicateIndex,
    settings: Settings,
    *,
    now: datetime | None = None,
    fp: Fingerprint | None = None,
) -> CleanArticle:
    """Set ``duplicate_of`` when the body repeats an article seen within the window; record it either way.

    Runs after cleaning, on a single partition (see the agents), because near-duplicate
    lookup needs every article seen, not only those of one partition. ``fp``: the article's
    fingerprint when the clean stage computed it already.
    """
    seen_at = article.published_at or now or datetime.now(UTC)
    verdict = index.check_and_record(
        article.id,
        fp or fingerprint(article.text, article.content_hash),
        seen_at,
        window=timedelta(days=settings.duplicate_window_days),
        threshold=settings.duplicate_threshold,
    )
    if verdict.duplicate_of is None:
        return article
    return article.model_copy(update={"duplicate_of": verdict.duplicate_of})


def handle_clean(record: Record, settings: Settings, *, now: datetime | None = None) -> Outcome:
    """``articles.clean`` record → the events coded from it (possibly none), or a dead letter.

    A duplicate article is a further report of a story already coded: it is not coded
    again; ``apply_reports`` publishes its original's events with raised counts instead.
    """
    return handle_clean_many([record], settings, now=now)[0]


def handle_clean_many(records: Sequence[Record], settings: Settings, *, now: datetime | None = None) -> list[Outcome]:
    """``handle_clean`` of each record, the articles coded together (``extract_many``: the
    spaCy passes batched across them). Each outcome is the one its record gets alone: when
    coding the batch fails, every article in it is coded again on its own, so only the one
    at fault becomes a dead letter."""
    coded_at = now or datetime.now(UTC)
    outcomes: list[Outcome] = []
    pending: list[tuple[int, Record, CleanArticle]] = []  # (position, record, article) to code
    for record in records:
        try:
            article = decode(record, CleanArticle, max_bytes=settings.max_message_bytes)
        except StageFailure as failure:
            outcomes.append(_failed(record, failure, settings))
            continue
        if article.duplicate_of is None:
            pending.append((len(outcomes), record, article))
        outcomes.append(Outcome(duplicates=1))  # replaced below for an article that is coded
    try:
        coded = run_stage("extract", lambda: extract_many([a for _, _, a in pending], coded_at=coded_at))
        for (position, _, _), events in zip(pending, coded, strict=True):
            outcomes[position] = Outcome(events=events)
    except StageFailure as failure:
        if len(pending) == 1:
            outcomes[pending[0][0]] = _failed(pending[0][1], failure, settings)
        else:  # one article's fault: coding each alone dead-letters only that one
            for position, record, _ in pending:
                outcomes[position] = handle_clean(record, settings, now=coded_at)
    return outcomes


def apply_reports(
    article: CleanArticle, outcome: Outcome, book: KeyValueStore, *, now: datetime | None = None
) -> Outcome:
    """After coding: remember an original's events, or turn a duplicate into further reports of its original's.

    Runs where the report book lives (the agent's event loop, or the offline loop), after
    ``handle_clean`` — which may run in a child process that cannot reach the book. The
    story step (``apply_story``) turns those reports into raised counts.
    """
    at = now or datetime.now(UTC)
    if article.duplicate_of is not None:
        return Outcome(events=reported_again(article, book), duplicates=1)
    record_coded(article, outcome.events, book, now=at)
    return outcome


def story_rules(settings: Settings) -> StoryRules:
    """The story step's reach, from ``WIREWATCH_STORY_*``."""
    return StoryRules(
        window_days=settings.story_window_days,
        retention=timedelta(days=settings.story_retention_days),
        max_per_key=settings.story_max_per_key,
    )


def apply_story(event: Event, book: KeyValueStore, settings: Settings, *, now: datetime | None = None) -> StoryUpdate:
    """A coded event (or a duplicate's report of one) → the event to publish on ``events``.

    Runs where the story book lives: the story agent, whose partition holds every story
    of the event's dyad (the internal topic is keyed by ``stories.dyad_key``), or the
    offline loop.
    """
    return continue_story(event, book, rules=story_rules(settings), now=now or datetime.now(UTC))


def handle_event(
    record: Record, settings: Settings, rules: RuleSet, book: AlertBook, *, now: datetime | None = None
) -> Outcome:
    """``events`` record → the event alert it raises or updates (if any), or a dead letter.

    The caller publishes the alert and then stores it (``book.remember``), so a failed send
    is retried on re-delivery instead of being remembered as done.
    """
    at = now or datetime.now(UTC)
    try:
        event = decode(record, Event, max_bytes=settings.max_message_bytes)
        change = run_stage("alert", lambda: evaluate(event, rules, book, now=at))
    except StageFailure as failure:
        return _failed(record, failure, settings)
    if change is None:
        return Outcome(events=[event])
    if not change.publish:
        return Outcome(events=[event], folded=[change.alert])
    return Outcome(events=[event], alerts=[change.alert])


def handle_escalation(
    record: Record,
    settings: Settings,
    rules: RuleSet,
    state: EscalationState,
    *,
    since: datetime,
    now: datetime | None = None,
) -> Outcome:
    """A new happening routed to one subject (record key ``Subject.key``) → the surge and
    first-seen alerts it causes, or a dead letter."""
    at = now or datetime.now(UTC)
    try:
        event = decode(record, Event, max_bytes=settings.max_message_bytes)
        try:
            subject = Subject.from_key((record.key or b"").decode("utf-8", "replace"))
        except ValueError as exc:
            raise StageFailure("alert", "schema_violation", exc) from exc
        alerts = run_stage(
            "alert",
            lambda: escalate(event, subject, rules.escalation, rules.first_seen, state, since=since, now=at),
        )
    except StageFailure as failure:
        return _failed(record, failure, settings)
    return Outcome(events=[event], alerts=alerts)
