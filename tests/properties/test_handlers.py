"""Every record handler: whatever bytes arrive, an Outcome comes back (messages or dead letters), never an exception."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import DeadLetter
from streams.alerting.escalation import memory_state
from streams.alerting.rules import load_rules
from streams.alerting.stage import AlertBook
from streams.deadletters import Record
from streams.pipeline import Outcome, handle_clean, handle_escalation, handle_event, handle_raw
from streams.settings import Settings
from tests.alerting.factories import make_event
from tests.properties.strategies import examples, record_values

# Small limits so the "too large" path and payload truncation are reached by generated values.
SETTINGS = Settings(max_message_bytes=8_192, deadletter_payload_bytes=1_024)
RULES = load_rules()
NOW = datetime(2025, 6, 13, 18, tzinfo=UTC)
SINCE = datetime(2025, 1, 1, tzinfo=UTC)

RAW: list[dict[str, Any]] = [
    {"id": "a1", "text": "Police detained two journalists in Tbilisi on Monday, officials said."},
    {"url": "https://example.test/a", "html": "<html><body><p>Russia launched drones at Kyiv.</p></body></html>"},
    {"id": "a2", "title": "Talks", "published_at": "2025-06-13T18:00:00Z", "language": "en", "text": "Talks resume."},
]
CLEAN: list[dict[str, Any]] = [
    {
        "id": "a1",
        "url": None,
        "source": None,
        "title": None,
        "published_at": "2025-06-13T18:00:00Z",
        "language": "en",
        "text": "Israel struck Iran on Friday.\n\nIran condemned the strikes.",
        "paragraphs": ["Israel struck Iran on Friday.", "Iran condemned the strikes."],
        "content_hash": "0" * 64,
        "input_format": "text",
    },
    {
        "id": "a2",
        "url": "https://example.test/b",
        "source": "Wire",
        "title": "T",
        "published_at": None,
        "language": None,
        "text": "x",
        "paragraphs": [],
        "content_hash": "f" * 64,
        "duplicate_of": "a1",
        "input_format": "html",
    },
]
EVENTS: list[dict[str, Any]] = [
    make_event().model_dump(mode="json"),
    make_event("Israel said it would strike Iran's nuclear reactor.", target=None, modality="threatened").model_dump(
        mode="json"
    ),
]
KEYS = st.one_of(
    st.none(),
    st.sampled_from([b"dyad|ISR|IRN|4", b"country|IRN|4", b"dyad|ISR|IRN|3", b"dyad|ISR|4", b"", b"country|IRN|x"]),
    st.binary(max_size=30),
)
records = st.builds(
    Record,
    value=st.just(b""),
    key=KEYS,
    topic=st.one_of(st.none(), st.just("t")),
    partition=st.one_of(st.none(), st.integers(0, 63)),
    offset=st.one_of(st.none(), st.integers(0, 2**62)),
    timestamp=st.one_of(st.none(), st.floats(0, 4e9)),
)


def _with(record: Record, value: bytes) -> Record:
    return Record(value, record.key, record.topic, record.partition, record.offset, record.timestamp)


def _check(outcome: Outcome, record: Record) -> None:
    assert isinstance(outcome, Outcome)
    for letter in outcome.dead_letters:
        assert DeadLetter.from_json(letter.to_json()) == letter
        assert (letter.topic, letter.partition, letter.offset) == (record.topic, record.partition, record.offset)
        assert letter.payload_size == len(record.value)
        assert letter.payload_truncated == (len(record.value) > SETTINGS.deadletter_payload_bytes)
    if outcome.dead_letters:
        assert len(outcome.dead_letters) == 1
        assert not (outcome.clean or outcome.events or outcome.alerts or outcome.folded)
    for message in (*outcome.clean, *outcome.events, *outcome.alerts, *outcome.folded):
        assert type(message).from_json(message.to_json()) == message


@settings(max_examples=examples(60))
@given(records, record_values(RAW, long_text=12_000))
def test_raw_handler_gives_an_outcome_for_any_bytes(record: Record, value: bytes) -> None:
    record = _with(record, value)
    _check(handle_raw(record, SETTINGS), record)


@pytest.mark.usefixtures("nlp_loaded")
@settings(max_examples=examples(40))
@given(records, record_values(CLEAN, long_text=12_000))
def test_clean_handler_gives_an_outcome_for_any_bytes(record: Record, value: bytes) -> None:
    record = _with(record, value)
    _check(handle_clean(record, SETTINGS, now=NOW), record)


@settings(max_examples=examples(60))
@given(records, record_values(EVENTS, long_text=12_000))
def test_event_handler_gives_an_outcome_for_any_bytes(record: Record, value: bytes) -> None:
    record = _with(record, value)
    _check(handle_event(record, SETTINGS, RULES, AlertBook({}), now=NOW), record)


@settings(max_examples=examples(60))
@given(records, record_values(EVENTS, long_text=12_000))
def test_escalation_handler_gives_an_outcome_for_any_bytes_and_key(record: Record, value: bytes) -> None:
    record = _with(record, value)
    state = memory_state(RULES.escalation)
    _check(handle_escalation(record, SETTINGS, RULES, state, since=SINCE, now=NOW), record)
