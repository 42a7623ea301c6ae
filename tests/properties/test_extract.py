"""The extract stage on generated sentences (actors, verbs, places, dates) mixed with random text:
a list of valid events, never an exception, in bounded time."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemas import CleanArticle, Event
from streams.extraction.stage import extract, extract_many
from tests.properties.strategies import examples, nasty_text

pytestmark = pytest.mark.usefixtures("nlp_loaded")

CODED_AT = datetime(2025, 6, 14, 9, tzinfo=UTC)
ACTORS = [
    "Russia", "Russian forces", "Ukraine", "Israel", "Israeli jets", "Iran", "Tehran", "the Kremlin", "Hamas",
    "the United Nations", "NATO", "Putin", "Vladimir Putin", "Zelensky", "police", "protesters", "rebels",
    "the European Union", "China", "U.S. President Donald Trump", "he", "she", "they", "the army", "gunmen",
]  # fmt: skip
VERBS = [
    "attacked", "launched strikes on", "shelled", "condemned", "met with", "signed a deal with", "threatened to attack",
    "did not condemn", "accused", "sanctioned", "called for talks with", "arrested", "kidnapped", "praised",
    "said it would strike", "denied attacking", "fired missiles at", "negotiated with", "expelled diplomats from",
    "may attack", "urged", "warned", "bombed", "invaded", "killed", "protested against", "agreed to meet",
]  # fmt: skip
PLACES = [
    "", " in Kyiv", " near Gaza", " in Paris", " in London, Ontario", " at Natanz", " in Texas", " in the Donbas",
    " outside Aleppo", " in Tbilisi", " on the border", " in Springfield",
]  # fmt: skip
WHEN = ["", " on Monday", " last week", " overnight", " on June 12", " earlier this month", " yesterday", " in 2019"]
TAILS = ["", ", officials said", ", according to the Kremlin", ", Reuters reported", " after talks collapsed"]

sentences = st.builds(
    lambda a, v, b, p, w, t, end: f"{a[0].upper()}{a[1:]} {v} {b}{p}{w}{t}{end}",
    st.sampled_from(ACTORS),
    st.sampled_from(VERBS),
    st.sampled_from(ACTORS),
    st.sampled_from(PLACES),
    st.sampled_from(WHEN),
    st.sampled_from(TAILS),
    st.sampled_from([".", "!", "?", "", " —", ";"]),
)
paragraphs = st.lists(st.one_of(sentences, sentences, nasty_text), min_size=1, max_size=4).map(" ".join)


def _article(paras: list[str], published: datetime | None) -> CleanArticle:
    kept = [p.strip() for p in paras if p.strip()] or ["."]
    text = "\n\n".join(kept)
    return CleanArticle(
        id="prop-1",
        url="https://example.test/world/prop",
        source="Example Wire",
        title=None,
        published_at=published,
        language="en",
        text=text,
        paragraphs=kept,
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        input_format="text",
    )


articles = st.builds(
    _article,
    st.lists(paragraphs, min_size=1, max_size=4),
    st.one_of(
        st.none(), st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 1, 1), timezones=st.just(UTC))
    ),
)


@settings(max_examples=examples(40))
@given(articles)
def test_generated_articles_give_valid_events(article: CleanArticle) -> None:
    events = extract(article, coded_at=CODED_AT)
    for event in events:
        assert Event.from_json(event.to_json()) == event  # what was built passes the schema
        assert 0.0 <= event.confidence <= 1.0
        assert event.article_id == article.id
        assert event.sentence in article.text or len(event.sentence) == 5_000
    assert len({e.event_id for e in events}) == len(events)


@settings(max_examples=examples(10))
@given(articles)
def test_extraction_is_deterministic(article: CleanArticle) -> None:
    assert extract(article, coded_at=CODED_AT) == extract(article, coded_at=CODED_AT)


@settings(max_examples=examples(40))
@given(st.lists(nasty_text, min_size=1, max_size=3))
def test_random_text_gives_events_or_none_never_an_exception(paras: list[str]) -> None:
    for event in extract(_article(paras, None), coded_at=CODED_AT):
        assert Event.from_json(event.to_json()) == event


@settings(max_examples=examples(15))
@given(st.lists(articles, min_size=2, max_size=4))
def test_articles_coded_together_get_the_events_they_get_alone(batch: list[CleanArticle]) -> None:
    batch = [a.model_copy(update={"id": f"prop-{n}"}) for n, a in enumerate(batch)]
    assert extract_many(batch, coded_at=CODED_AT) == [extract(a, coded_at=CODED_AT) for a in batch]
