"""Record handlers: every failure becomes a dead letter with a stable reason; good input flows through."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest

from schemas import CleanArticle, Event
from streams import pipeline
from streams.alerting.rules import load_rules
from streams.deadletters import Record
from streams.pipeline import handle_clean, handle_clean_many, handle_event, handle_raw
from streams.settings import Settings

SETTINGS = Settings(max_message_bytes=4096)
NOW = datetime(2025, 6, 14, 9, 30, tzinfo=UTC)
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


def _clean_record(article_id: str, text: str) -> Record:
    (article,) = handle_raw(Record(value=orjson.dumps({"id": article_id, "text": text})), SETTINGS).clean
    return Record(value=article.to_json(), topic="articles.clean", partition=0, offset=len(article_id))


TEXTS = {
    "a1": "Georgian police arrested two journalists in Tbilisi on Monday, officials said.",
    "a2": "Iran fired missiles at Israel on Friday, the army said.",
    "a3": "Russia and China signed a trade agreement in Beijing.",
}


def test_records_coded_together_get_the_outcomes_they_get_alone() -> None:
    records = [_clean_record(i, t) for i, t in TEXTS.items()]
    duplicate = CleanArticle.from_json(records[0].value).model_copy(update={"id": "a4", "duplicate_of": "a1"})
    records += [Record(value=duplicate.to_json()), Record(value=b"not json", offset=9)]
    together = handle_clean_many(records, SETTINGS, now=NOW)
    alone = [handle_clean(r, SETTINGS, now=NOW) for r in records]
    assert [o.events for o in together] == [o.events for o in alone]
    assert [o.duplicates for o in together] == [o.duplicates for o in alone]
    letters = [[(d.stage, d.reason, d.offset) for d in o.dead_letters] for o in (*together, *alone)]
    assert letters == [[], [], [], [], [("decode", "invalid_json", 9)]] * 2
    assert [len(o.events) > 0 for o in together[:3]] == [True, True, True]
    assert (together[3].duplicates, together[4].dead_letters[0].reason) == (1, "invalid_json")


def test_a_batch_with_an_article_that_crashes_the_stage_dead_letters_only_that_article(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    records = [_clean_record(i, t) for i, t in TEXTS.items()]
    expected = [handle_clean(r, SETTINGS, now=NOW) for r in records]
    real = pipeline.extract_many

    # A mock only to inject a fault the real stage cannot be made to produce on demand.
    def explode_on_a2(articles: list[CleanArticle], *, coded_at: datetime) -> list[list[Event]]:
        if any(a.id == "a2" for a in articles):
            raise RuntimeError("stage blew up on a2")
        return real(articles, coded_at=coded_at)

    monkeypatch.setattr(pipeline, "extract_many", explode_on_a2)
    first, second, third = handle_clean_many(records, SETTINGS, now=NOW)
    assert (first, third) == (expected[0], expected[2])
    (letter,) = second.dead_letters
    assert (second.events, letter.stage, letter.reason, letter.offset) == ([], "extract", "stage_error", 2)
