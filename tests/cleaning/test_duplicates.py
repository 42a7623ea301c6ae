"""Duplicate detection: the same story from another outlet is flagged; another story on the same topic is not."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson

from schemas import CleanArticle, RawArticle
from streams.cleaning.duplicates import (
    MAX_NEAR_CANDIDATES,
    NUM_PERM,
    ROWS,
    DuplicateIndex,
    Fingerprint,
    decode_signature,
    encode_signature,
    expired_keys,
    fingerprint,
)
from streams.cleaning.stage import clean
from streams.corpus import sample_articles
from streams.deadletters import Record
from streams.pipeline import handle_raw, mark_duplicate
from streams.settings import Settings

SETTINGS = Settings()
T0 = datetime(2025, 6, 24, 12, tzinfo=UTC)

STORY = (
    "Israel and Iran agreed to a ceasefire on Tuesday after twelve days of strikes, officials in Doha said.\n\n"
    "Qatar's prime minister spoke to both governments through the night and secured the agreement shortly "
    "before dawn, according to two diplomats briefed on the talks.\n\n"
    "The truce took effect at 0400 GMT. Israel said it would respond forcefully to any violation, while "
    "Iran's foreign minister said Tehran would halt its missile launches if the Israeli strikes stopped.\n\n"
    "Egypt welcomed the agreement and called on both sides to respect it, the Egyptian foreign ministry said "
    "in a statement, adding that Cairo stood ready to support further talks.\n\n"
    "Markets rallied on the news, with oil prices falling more than five percent in early trading in Asia."
)


def _clean(article_id: str, text: str, published: datetime = T0) -> CleanArticle:
    return clean(RawArticle(id=article_id, text=text, published_at=published, source=article_id))


def _run(*articles: CleanArticle) -> list[CleanArticle]:
    index = DuplicateIndex({})
    return [mark_duplicate(a, index, SETTINGS) for a in articles]


def test_same_story_from_another_outlet_with_other_furniture_and_edits_is_a_near_duplicate() -> None:
    edited = (
        STORY.replace("on Tuesday after twelve days of strikes", "on Tuesday after 12 days of air strikes").replace(
            "Markets rallied on the news", "Financial markets rallied"
        )
        + "\n\nShare this article\n\nWe use cookies to improve your experience. Accept"
    )
    first, second = _run(_clean("outlet-a", "Advertisement\n\n" + STORY), _clean("outlet-b", edited))
    assert first.duplicate_of is None
    assert second.duplicate_of == "outlet-a"


def test_different_story_on_the_same_topic_is_not_a_duplicate() -> None:
    corpus = {a.id: a for a in sample_articles()}
    seed = clean(corpus["seed-putin-calls"])
    other = clean(corpus["gulfdispatch-israel-strikes-iran-0613"])
    assert [a.duplicate_of for a in _run(seed, other)] == [None, None]


def test_identical_body_is_an_exact_duplicate_of_the_first() -> None:
    verdicts = _run(_clean("a", STORY), _clean("b", STORY), _clean("c", STORY))
    assert [a.duplicate_of for a in verdicts] == [None, "a", "a"]


def test_redelivered_article_is_not_a_duplicate_of_itself() -> None:
    index = DuplicateIndex({})
    article = _clean("a", STORY)
    first = mark_duplicate(article, index, SETTINGS)
    again = mark_duplicate(article, index, SETTINGS)
    assert first.duplicate_of is None and again.duplicate_of is None


def test_redelivered_duplicate_keeps_its_verdict() -> None:
    index = DuplicateIndex({})
    mark_duplicate(_clean("a", STORY), index, SETTINGS)
    copy = _clean("b", STORY)
    assert mark_duplicate(copy, index, SETTINGS).duplicate_of == "a"
    assert mark_duplicate(copy, index, SETTINGS).duplicate_of == "a"


def test_copy_seen_after_the_window_is_not_a_duplicate() -> None:
    late = T0 + timedelta(days=SETTINGS.duplicate_window_days + 1)
    verdicts = _run(_clean("a", STORY), _clean("b", STORY, published=late))
    assert verdicts[1].duplicate_of is None


def test_expired_index_entries_are_listed_for_cleanup() -> None:
    store: dict[str, bytes] = {}
    mark_duplicate(_clean("a", STORY), DuplicateIndex(store), SETTINGS)
    window = timedelta(days=7)
    assert list(expired_keys(store.items(), T0 + timedelta(days=1), window)) == []
    assert sorted(expired_keys(store.items(), T0 + timedelta(days=8), window)) == sorted(store)


def test_index_values_are_json() -> None:
    store: dict[str, bytes] = {}
    mark_duplicate(_clean("a", STORY), DuplicateIndex(store), SETTINGS)
    assert all(isinstance(orjson.loads(v), dict | list) for v in store.values())


def test_the_store_holds_three_records_per_article_not_its_band_lists() -> None:
    # Every store write is a changelog record in the stream: the 32 band lists stay in memory.
    store: dict[str, bytes] = {}
    mark_duplicate(_clean("a", STORY), DuplicateIndex(store), SETTINGS)
    assert sorted(k.split(":")[0] for k in store) == ["a", "h", "s"]


def test_an_index_rebuilt_from_the_store_finds_the_same_near_duplicate() -> None:
    # A restarted or rebalanced worker has the table back from the changelog, not the memory.
    store: dict[str, bytes] = {}
    mark_duplicate(_clean("outlet-a", "Advertisement\n\n" + STORY), DuplicateIndex(store), SETTINGS)
    edited = STORY.replace("Markets rallied on the news", "Financial markets rallied")
    not_rebuilt = DuplicateIndex(dict(store))
    assert mark_duplicate(_clean("outlet-b", edited), not_rebuilt, SETTINGS).duplicate_of is None
    rebuilt = DuplicateIndex(dict(store))
    assert rebuilt.rebuild(store.items()) == 1
    assert mark_duplicate(_clean("outlet-b", edited), rebuilt, SETTINGS).duplicate_of == "outlet-a"


def test_band_lists_leave_memory_with_their_articles_records() -> None:
    index = DuplicateIndex({})
    mark_duplicate(_clean("a", STORY), index, SETTINGS)
    other = "\n\n".join(p[::-1] for p in STORY.split("\n\n"))  # a different body, nothing shared
    mark_duplicate(_clean("b", other, published=T0 + timedelta(days=2)), index, SETTINGS)
    assert index.bands_held() == 64
    index.expire_before(T0 + timedelta(days=1))  # the store's clean-up dropped a's records
    assert index.bands_held() == 32


def test_a_copy_arriving_after_later_dated_articles_still_finds_its_original() -> None:
    # Reports arrive out of event-time order: a copy dated with its original, after articles
    # dated weeks later, is still within the original's window.
    index = DuplicateIndex({})
    mark_duplicate(_clean("a", STORY), index, SETTINGS)
    other = "\n\n".join(p[::-1] for p in STORY.split("\n\n"))
    mark_duplicate(_clean("later", other, published=T0 + timedelta(days=60)), index, SETTINGS)
    copy = _clean("b", STORY.replace("Markets rallied on the news", "Financial markets rallied"))
    assert mark_duplicate(copy, index, SETTINGS).duplicate_of == "a"


def test_the_clean_stage_hands_on_the_fingerprint_the_detector_would_compute() -> None:
    raw = RawArticle(id="a", text=STORY, published_at=T0, source="a")
    outcome = handle_raw(Record(value=raw.to_json()), SETTINGS)
    [article], [fp] = outcome.clean, outcome.fingerprints
    assert fp == fingerprint(article.text, article.content_hash)
    assert decode_signature(encode_signature(fp), article.content_hash) == fp


def test_a_malformed_signature_header_is_ignored_and_the_fingerprint_computed_again() -> None:
    for raw in (b"not json", b"{}", b"[1, 2]", orjson.dumps([-1] * NUM_PERM), orjson.dumps([True] * NUM_PERM)):
        assert decode_signature(raw, "hash") is None
    assert decode_signature(None, "hash") is None


class _CountingStore(dict[str, bytes]):
    """A dict store that counts the signatures read (each one a comparison)."""

    compared = 0

    def get(self, key: str, default: bytes | None = None) -> bytes | None:  # type: ignore[override]
        if key.startswith("s:"):
            self.compared += 1
        return super().get(key, default)


def test_a_crowd_of_one_band_candidates_does_not_hide_the_near_duplicate_or_cost_a_comparison_each() -> None:
    base = tuple(range(1, NUM_PERM + 1))
    store = _CountingStore()
    index = DuplicateIndex(store)
    # 200 articles sharing only the first band with the query (a boilerplate sentence, say)
    for n in range(200):
        noise = base[:ROWS] + tuple(10_000 * (n + 1) + i for i in range(NUM_PERM - ROWS))
        index.check_and_record(f"noise-{n}", Fingerprint(f"h{n}", noise), T0, window=timedelta(days=1), threshold=0.5)
    # one sharing 60 % of the values: the same story
    near = tuple(v if i % 5 < 3 else v + 1_000_000 for i, v in enumerate(base))
    index.check_and_record("story", Fingerprint("h-story", near), T0, window=timedelta(days=1), threshold=0.5)
    store.compared = 0
    verdict = index.check_and_record(
        "query", Fingerprint("h-query", base), T0 + timedelta(minutes=1), window=timedelta(days=1), threshold=0.5
    )
    assert verdict.duplicate_of == "story" and verdict.kind == "near"
    assert store.compared <= MAX_NEAR_CANDIDATES < 64 + 1  # of the 64 the first band keeps, and the story
