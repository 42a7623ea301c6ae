"""Record handlers: every failure becomes a dead letter with a stable reason; good input flows through."""

from __future__ import annotations

import orjson
import pytest

from streams import pipeline
from streams.alerting.rules import load_rules
from streams.deadletters import Record
from streams.pipeline import handle_clean, handle_event, handle_raw
from streams.settings import Settings

SETTINGS = Settings(max_message_bytes=4096)
ARTICLE = orjson.dumps({"id": "a1", "text": "Police detained two journalists in Tbilisi on Monday, officials said."})


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"\xff\xfe\x00", "undecodable"),
        (b'{"id": "a1", "text": ', "invalid_json"),
        (b'{"id": "a1"}', "schema_violation"),
        (b"[1, 2, 3]", "schema_violation"),
        (orjson.dumps({"id": "a1", "text": "x" * 5000}), "too_large"),
    ],
    ids=["undecodable", "invalid-json", "missing-body", "not-an-object", "too-large"],
)
def test_bad_raw_record_becomes_one_dead_letter(value: bytes, reason: str) -> None:
    outcome = handle_raw(Record(value=value, topic="articles.raw", partition=0, offset=7), SETTINGS)
    assert outcome.clean == []
    (letter,) = outcome.dead_letters
    assert (letter.stage, letter.reason, letter.offset) == ("decode", reason, 7)


def test_valid_raw_record_becomes_one_clean_article() -> None:
    outcome = handle_raw(Record(value=ARTICLE), SETTINGS)
    assert outcome.dead_letters == []
    assert [a.id for a in outcome.clean] == ["a1"]


def test_a_crashing_stage_is_dead_lettered_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    # A mock only to inject a fault the real stage cannot be made to produce on demand.
    def explode(*args: object, **kwargs: object) -> None:
        raise RuntimeError("stage blew up")

    monkeypatch.setattr(pipeline, "clean", explode)
    (letter,) = handle_raw(Record(value=ARTICLE), SETTINGS).dead_letters
    assert (letter.stage, letter.reason, letter.error_class, letter.error) == (
        "clean",
        "stage_error",
        "RuntimeError",
        "stage blew up",
    )


def test_clean_record_is_extracted_into_events() -> None:
    (article,) = handle_raw(Record(value=ARTICLE), SETTINGS).clean
    outcome = handle_clean(Record(value=article.to_json()), SETTINGS)
    assert outcome.dead_letters == []
    assert all(e.article_id == "a1" for e in outcome.events)


def test_event_topic_garbage_is_dead_lettered_by_the_alert_stage() -> None:
    outcome = handle_event(Record(value=b"{}"), SETTINGS, load_rules(), {})
    (letter,) = outcome.dead_letters
    assert (letter.stage, letter.reason) == ("decode", "schema_violation")
