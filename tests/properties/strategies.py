"""Hypothesis strategies shared by the property tests: adversarial bytes, JSON, HTML, and valid wire models."""

from __future__ import annotations

import hashlib
import os
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import orjson
from hypothesis import strategies as st

from schemas import Actor, Alert, CleanArticle, Escalation, Event, Evidence, Location, RawArticle
from schemas.alerts import WindowStats
from streams.deadletters import Record, StageFailure, dead_letter
from tests.alerting.factories import make_event

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
#: ``HYPOTHESIS_PROFILE=fuzz`` runs every property this many times as often.
FUZZ_FACTOR = 100


def examples(n: int) -> int:
    """``n`` examples in CI, ``FUZZ_FACTOR`` × ``n`` under the ``fuzz`` profile."""
    return n * FUZZ_FACTOR if PROFILE == "fuzz" else n


# --- text -------------------------------------------------------------------------------------

#: Characters that break naive text handling: NUL and controls, bidi and zero-width marks,
#: combining marks, the replacement character, astral-plane letters, CRLF, form feed.
NASTY_CHARS = "\x00\x01\x07\x0b\x0c\r\x1b\x7f\x85\xa0\xad\u2028\u2029\u200b\u200d\u202e\ufeff\ufffd\u0301𝔘🇺🇦\U0010ffff"

#: Any text JSON can carry (no lone surrogates: orjson refuses them on the wire) plus those characters.
nasty_text = st.text(
    alphabet=st.one_of(st.characters(exclude_categories=["Cs"]), st.sampled_from(NASTY_CHARS)), max_size=300
)
#: Text no message can carry: lone surrogates, which only a bug could put into an error message.
surrogate_text = st.text(alphabet=st.one_of(st.characters(), st.characters(categories=["Cs"])), max_size=50)

# --- adversarial JSON ---------------------------------------------------------------------------

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    st.floats(allow_nan=False, allow_infinity=False),
    nasty_text,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(st.text(max_size=20), children, max_size=5)
    ),
    max_leaves=30,
)

# Texts orjson must refuse or that stress the parser: depth, numbers, escapes.
RAW_JSON_TRICKS = [
    b"[" * 2000 + b"]" * 2000,
    b'{"a":' * 1100 + b"1" + b"}" * 1100,
    b"1e999",
    b"-1e999",
    b"NaN",
    b"Infinity",
    b"18446744073709551616",
    b"123456789012345678901234567890",
    b'"\\ud800"',
    b'"\\udc00\\ud800"',
    b'"\\u0000"',
    b'{"text": "\\ud83d\\ude00 ok", "id": "a"}',
    b'{"text": "a", "text": "b"}',
    b"\xef\xbb\xbf{}",
    b"",
    b"null",
    b"\x00",
    b'{"text": "x"}\x00',
]


def _json_bytes(value: Any) -> bytes:
    return orjson.dumps(value)


def mutated(base: dict[str, Any]) -> st.SearchStrategy[bytes]:
    """``base`` with one field replaced by, or one field added with, an arbitrary JSON value."""
    keys = st.one_of(st.sampled_from(sorted(base)), st.text(max_size=12))
    return st.builds(lambda k, v: {**base, k: v}, keys, json_values).map(_json_bytes)


def record_values(valid: list[dict[str, Any]], *, long_text: int) -> st.SearchStrategy[bytes]:
    """Record values for a topic: random bytes, adversarial JSON, valid messages with one field broken,
    and valid messages with one very long string (``long_text`` characters at most)."""
    long_strings = st.builds(
        lambda base, k, n, c: {**base, k: c * n},
        st.sampled_from(valid),
        st.sampled_from(sorted({k for v in valid for k in v})),
        st.integers(min_value=1, max_value=long_text),
        st.sampled_from(["x", "é", "€", "𝔘", " ", "\n", "\x00", "<p>"]),
    ).map(_json_bytes)
    return st.one_of(
        st.binary(max_size=300),
        st.sampled_from(RAW_JSON_TRICKS),
        json_values.map(_json_bytes),
        st.sampled_from(valid).map(_json_bytes),
        st.sampled_from(valid).flatmap(mutated),
        long_strings,
        # A valid message with a bad byte spliced in: not UTF-8 any more, or not JSON.
        st.builds(
            lambda base, at, junk: (b := _json_bytes(base))[: at % (len(b) + 1)] + junk + b[at % (len(b) + 1) :],
            st.sampled_from(valid),
            st.integers(min_value=0),
            st.binary(min_size=1, max_size=4),
        ),
    )


# --- HTML ---------------------------------------------------------------------------------------

TAGS = ["p", "div", "span", "a", "b", "i", "table", "tr", "td", "ul", "li", "h1", "h2", "nav", "footer", "article"]
TAGS += ["main", "header", "aside", "br", "img", "figure", "figcaption", "time", "meta", "iframe", "svg", "form"]
RAW_TAGS = ["script", "style", "noscript", "textarea", "title", "template", "xmp", "plaintext"]
ENTITIES = ["&amp;", "&lt;", "&gt;", "&nbsp;", "&#0;", "&#x0;", "&#1114112;", "&#x110000;", "&#xD800;", "&#128512;"]
ENTITIES += ["&bogus;", "&", "&#;", "&#x;", "&amp", "&#99999999999999999999;", "&rarr;", "&NotANamedEntity;"]
HTML_JUNK = ["<!--", "-->", "<![CDATA[", "]]>", "<!DOCTYPE html>", "<?xml version='1.0'?>", "</", "<", ">", "\x00"]
HTML_JUNK += ["<p", "<div class='a", '"', "'", "<html>", "</html>", "<body>", "<head>", "</body>", "<!-- x --!>"]

PROSE = [
    "Russian forces launched drones at Kyiv on Monday, officials said.",
    "The minister said the talks would resume next week in Geneva.",
    "We use cookies to improve your experience.",
    "Subscribe to our newsletter",
    "Read more: Talks resume",
    "© 2025 Example. All rights reserved.",
    "Advertisement",
    "Israeli airstrikes hit nuclear facilities in Iran.",
]

attribute = st.builds(
    lambda name, value: f" {name}={orjson.dumps(value).decode()}",
    st.sampled_from(["class", "id", "href", "style", "content", "property", "name", "datetime", "onclick", "lang"]),
    st.one_of(nasty_text, st.sampled_from(PROSE), st.integers(1, 20_000).map(lambda n: "x" * n)),
)
open_tag = st.builds(lambda t, attrs: f"<{t}{''.join(attrs)}>", st.sampled_from(TAGS), st.lists(attribute, max_size=3))


def _nest(depth: int, tag: str, inner: str) -> str:
    return f"<{tag}>" * depth + inner + f"</{tag}>" * depth


html_pieces = st.one_of(
    open_tag,
    st.sampled_from(TAGS).map(lambda t: f"</{t}>"),
    st.builds(lambda t, body: f"<{t}>{body}</{t}>", st.sampled_from(RAW_TAGS), st.one_of(nasty_text, st.just("</p>"))),
    st.sampled_from(RAW_TAGS).map(lambda t: f"<{t}>"),  # never closed
    st.sampled_from(ENTITIES),
    st.sampled_from(HTML_JUNK),
    st.sampled_from(PROSE),
    nasty_text,
    st.builds(
        _nest, st.integers(1, 600), st.sampled_from(["div", "span", "p", "b", "table", "li"]), st.sampled_from(PROSE)
    ),
    st.integers(1, 300).map(lambda n: "<div>" * n),  # deep and unclosed
    st.builds(
        lambda title, body: (
            f"<html><head><title>{title}</title><meta property='og:title' content='{title}'></head>"
            f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
        ),
        nasty_text,
        st.sampled_from(PROSE),
    ),
)
html_documents = st.lists(html_pieces, min_size=1, max_size=30).map("".join)

# --- events, alerts and the other wire models -----------------------------------------------------

ACTORS = [
    Actor(text="Israel", name="Israel", country="ISR", sector="GOV", code="ISRGOV"),
    Actor(text="Iran", name="Iran", country="IRN", sector="GOV", code="IRNGOV"),
    Actor(text="Russian forces", name="Russia", country="RUS", sector="MIL", code="RUSMIL"),
    Actor(text="Ukraine", name="Ukraine", country="UKR", sector=None, code="UKR"),
    Actor(text="the United Nations", name="United Nations", country=None, sector="IGO", code="IGOUNO"),
    Actor(text="Hamas", name="Hamas", country="PSE", sector="INS", code="PSEINS"),
]
PLACES = [
    Location(name="Natanz", country="IRN", lat=33.51, lon=51.92, geonames_id=115770, precision="city"),
    Location(name="Kyiv", country="UKR", lat=50.45, lon=30.52, geonames_id=703448, precision="city"),
    Location(name="Iran", country="IRN", lat=None, lon=None, geonames_id=None, precision="country"),
    Location(name="Gaza", country="PSE", lat=31.5, lon=34.47, geonames_id=281133, precision="city"),
]
CODES = ["010", "036", "043", "057", "111", "120", "138", "173", "181", "190", "193", "195", "1951", "200", "204"]
T0 = datetime(2025, 6, 13, 18, tzinfo=UTC)

hex20 = st.binary(min_size=10, max_size=10).map(bytes.hex)
instants = st.integers(min_value=-3 * 24 * 60, max_value=3 * 24 * 60).map(lambda m: T0 + timedelta(minutes=m))
words = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=60).filter(str.strip)
sentences = st.one_of(
    st.sampled_from(PROSE),
    st.builds(lambda a, b: f"{a} {b}", st.sampled_from(PROSE), words),
    st.sampled_from([*PROSE, "nuclear", "chemical attack", "coup"]).map(lambda s: f"{s} nuclear reactor"),
)


@st.composite
def events(draw: st.DrawFn) -> Event:
    """An Event as the story and alert stages may see it: real-looking actors, codes and places,
    random ids, times, counts and text (the sentence drives rule keywords and the event id)."""
    code = draw(st.sampled_from(CODES))
    root = code[:2]
    quad = {"01": 1, "03": 1, "04": 1, "05": 1, "11": 3, "12": 3, "13": 3, "17": 4, "18": 4, "19": 4, "20": 4}[root]
    source = draw(st.sampled_from(ACTORS))
    target = draw(st.one_of(st.none(), st.sampled_from(ACTORS)))
    places = draw(st.lists(st.sampled_from(PLACES), max_size=3, unique_by=lambda p: p.name))
    sentence = draw(sentences)
    published = draw(st.one_of(st.none(), instants))
    return make_event(
        sentence,
        event_id="ev-" + draw(st.one_of(hex20, st.just(hashlib.sha256(sentence.encode()).hexdigest()[:20]))),
        article_id=draw(st.sampled_from(["a1", "a2", "a3", "a4", "a5"])),
        outlet=draw(st.one_of(st.none(), st.sampled_from(["Example Wire", "Gulf Dispatch", "Northern Ledger", ""]))),
        article_url=draw(st.one_of(st.none(), st.just("https://example.test/a"))),
        published_at=published,
        story_id="st-" + draw(st.one_of(hex20, st.sampled_from(["0" * 20, "1" * 20]))),
        sentence_index=draw(st.integers(0, 400)),
        date=draw(st.dates(min_value=date(2025, 6, 10), max_value=date(2025, 6, 16))),
        date_precision=draw(st.sampled_from(["day", "week", "month", "article"])),
        code=code,
        root_code=root,
        quad_class=quad,
        goldstein=draw(st.floats(-10, 10)),
        source=source,
        target=target,
        location=places[0] if places else None,
        places=places,
        negated=draw(st.booleans()),
        modality=draw(st.sampled_from(["asserted", "planned", "threatened", "conditional", "reported"])),
        confidence=draw(st.floats(0, 1)),
        mentions=draw(st.integers(1, 50)),
        sources=draw(st.integers(1, 50)),
        copy_of=draw(st.one_of(st.none(), st.sampled_from(["a1", "a2"]))),
        coded_at=draw(instants),
    )


timestamps = st.one_of(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1), timezones=st.just(UTC)),
    st.datetimes(
        min_value=datetime(1970, 1, 2),
        max_value=datetime(2100, 1, 1),
        timezones=st.integers(-14 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m))),
    ),
)
text = st.text(max_size=200)
bounded_floats = st.floats(allow_nan=False, allow_infinity=False)

raw_articles = st.builds(
    RawArticle,
    id=st.one_of(st.none(), st.text(min_size=1, max_size=512)),
    url=st.one_of(st.none(), st.text(max_size=300)),
    source=st.one_of(st.none(), text),
    title=st.one_of(st.none(), text),
    published_at=st.one_of(st.none(), timestamps),
    language=st.one_of(st.none(), st.sampled_from(["en", "tr", "ru", "zh-Hans", "pt_BR", "ast"])),
    text=words,
    html=st.one_of(st.none(), html_documents),
)


@st.composite
def clean_articles(draw: st.DrawFn) -> CleanArticle:
    paragraphs = draw(st.lists(words, min_size=1, max_size=5))
    body = "\n\n".join(paragraphs)
    return CleanArticle(
        id=draw(st.text(min_size=1, max_size=100)),
        url=draw(st.one_of(st.none(), text)),
        source=draw(st.one_of(st.none(), text)),
        title=draw(st.one_of(st.none(), text)),
        author=draw(st.one_of(st.none(), text)),
        published_at=draw(st.one_of(st.none(), timestamps)),
        language=draw(st.one_of(st.none(), st.sampled_from(["en", "de", "fr-CA"]))),
        text=body,
        paragraphs=paragraphs,
        content_hash=hashlib.sha256(body.encode()).hexdigest(),
        duplicate_of=draw(st.one_of(st.none(), st.text(min_size=1, max_size=50))),
        removed=draw(
            st.lists(
                st.builds(
                    lambda t, r, i: {"text": t, "reason": r, "paragraph_index": i},
                    text,
                    st.sampled_from(["ui_token", "cookie_notice", "truncated", "html_boilerplate"]),
                    st.one_of(st.none(), st.integers(0, 10_000)),
                ),
                max_size=3,
            )
        ),
        input_format=draw(st.sampled_from(["text", "html"])),
    )


@st.composite
def alerts(draw: st.DrawFn) -> Alert:
    evidence = [
        Evidence(
            event_id=e.event_id,
            story_id=e.story_id,
            article_id=e.article_id,
            article_url=e.article_url,
            outlet=e.outlet,
            copy_of=e.copy_of,
            reported_at=draw(timestamps),
            sentence=e.sentence,
        )
        for e in draw(st.lists(events(), min_size=1, max_size=3))
    ]
    start, end = sorted([draw(timestamps), draw(timestamps)])
    escalation = draw(
        st.one_of(
            st.none(),
            st.builds(
                Escalation,
                subject=st.text(min_size=1, max_size=200),
                quad_class=st.integers(1, 4),
                window_start=timestamps,
                window_end=timestamps,
                count=st.integers(0, 10**6),
                baseline=st.floats(min_value=0, allow_infinity=False),
                z_score=bounded_floats,
            ),
        )
    )
    return Alert(
        alert_id="al-" + draw(hex20),
        version=draw(st.integers(1, 10**6)),
        kind=draw(st.sampled_from(["event", "surge", "first_seen"])),
        key=draw(st.text(min_size=1, max_size=300)),
        rule=draw(st.text(min_size=1, max_size=100)),
        severity=draw(st.sampled_from(["info", "warning", "critical"])),
        title=draw(st.text(min_size=1, max_size=300)),
        summary=draw(text),
        story_id=draw(st.one_of(st.none(), text)),
        stories=draw(st.lists(text, max_size=50)),
        countries=draw(st.lists(st.sampled_from(["IRN", "ISR", "UKR"]), max_size=3)),
        places=draw(st.lists(text, max_size=5)),
        triggered_at=draw(timestamps),
        updated_at=draw(timestamps),
        sources=draw(st.lists(text, max_size=5)),
        independent_sources=draw(st.integers(0, 100)),
        corroborated=draw(st.booleans()),
        evidence=evidence,
        window=WindowStats(
            start=start,
            end=end,
            events=draw(st.integers(0, 1000)),
            articles=draw(st.integers(0, 1000)),
            outlets=draw(st.integers(0, 1000)),
        ),
        escalation=escalation,
    )


dead_letters = st.builds(
    lambda value, key, cut, error, stage, reason, at: dead_letter(
        Record(value=value, key=key, topic="articles.raw", partition=0, offset=1),
        StageFailure(stage, reason, error),
        payload_limit=cut,
        failed_at=at,
    ),
    st.one_of(st.binary(max_size=300), nasty_text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    st.one_of(st.none(), st.binary(max_size=40)),
    st.integers(0, 400),
    st.one_of(nasty_text, surrogate_text, st.builds(ValueError, surrogate_text), st.builds(RuntimeError, nasty_text)),
    st.sampled_from(["decode", "clean", "extract", "alert", "deliver"]),
    st.sampled_from(["undecodable", "invalid_json", "schema_violation", "too_large", "stage_error", "stage_timeout"]),
    timestamps,
)

#: A strategy of valid instances for every model in ``schemas.TOPIC_MODELS``.
VALID: dict[str, st.SearchStrategy[Any]] = {
    "raw_article": raw_articles,
    "clean_article": clean_articles(),
    "event": events(),
    "alert": alerts(),
    "dead_letter": dead_letters,
}
