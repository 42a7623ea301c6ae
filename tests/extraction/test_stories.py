"""Story-level deduplication: further reports of one happening raise one event's counts instead of adding events."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import orjson

from schemas import Actor, Event, Location
from streams.extraction.stories import (
    REPORT_FIELDS,
    StoryRules,
    StoryUpdate,
    continue_story,
    dyad_key,
    fold_retellings,
)
from tests.alerting.factories import IRN, ISR, NATANZ, make_event

NOW = datetime(2025, 6, 14, 9, tzinfo=UTC)
RULES = StoryRules()
TEHRAN = Location(name="Tehran", country="IRN", lat=35.69, lon=51.42, geonames_id=112931, precision="city")
BAGHDAD = Location(name="Baghdad", country="IRQ", lat=33.34, lon=44.40, geonames_id=98182, precision="city")
IRAN = Location(name="Iran", country="IRN", lat=32.0, lon=53.0, geonames_id=130758, precision="country")
IRQ = Actor(text="Iraq", name="Iraq", country="IRQ", sector="GOV", code="IRQGOV")
ISRAEL = Actor(text="Israel", name="Israel", country="ISR", sector=None, code="ISR")
ISR_MIL = Actor(text="Israeli jets", name="Israel", country="ISR", sector="MIL", code="ISRMIL")


def report(article_id: str, outlet: str, sentence: str, **fields: Any) -> Event:
    """One outlet's event, coded from its own sentence (so its own event id)."""
    values: dict[str, Any] = {
        "article_id": article_id,
        "outlet": outlet,
        "article_url": f"https://{article_id}.example/story",
        "places": [NATANZ],
        "location": NATANZ,
    }
    values.update(fields)
    return make_event(sentence, **values)


FIRST = report("a1", "Example Wire", "Israeli airstrikes hit the Natanz nuclear site in Iran on Friday.")
SECOND = report("b1", "Other Wire", "Israel's air force bombed Iran's enrichment plant at Natanz.", code="190")


def tell(*events: Event, book: dict[str, bytes] | None = None, now: datetime = NOW) -> list[StoryUpdate]:
    store: dict[str, bytes] = {} if book is None else book
    return [continue_story(e, store, rules=RULES, now=now) for e in events]


def test_two_outlets_reporting_one_happening_give_one_event_with_two_mentions_and_two_sources() -> None:
    first, second = tell(FIRST, SECOND)
    assert first.event == FIRST and first.verdict == "new"
    assert second.verdict == "continued"
    assert (second.event.event_id, second.event.story_id) == (FIRST.event_id, FIRST.story_id)
    assert (second.event.mentions, second.event.sources) == (2, 2)


def test_the_update_keeps_the_storys_roles_places_and_date_and_names_its_own_report() -> None:
    _, second = tell(FIRST, SECOND)
    story_fields = {"mentions", "sources", "coded_at", *REPORT_FIELDS}
    assert second.event.model_dump(exclude=story_fields) == FIRST.model_dump(exclude=story_fields)
    assert {f: getattr(second.event, f) for f in REPORT_FIELDS} == {f: getattr(SECOND, f) for f in REPORT_FIELDS}
    assert second.event.coded_at == NOW


def test_a_redelivered_update_republishes_the_story_as_first_reported() -> None:
    book: dict[str, bytes] = {}
    tell(FIRST, SECOND, book=book)
    (again,) = tell(SECOND, book=book)
    assert again.verdict == "redelivered"
    assert (again.event.article_id, again.event.mentions) == (FIRST.article_id, 2)


def test_a_second_article_from_the_same_outlet_raises_mentions_not_sources() -> None:
    again = report("a2", "Example Wire", "Natanz was struck by Israeli aircraft, the wire reported.")
    *_, third = tell(FIRST, SECOND, again)
    assert (third.event.event_id, third.event.mentions, third.event.sources) == (FIRST.event_id, 3, 2)


def test_a_different_target_is_another_story() -> None:
    other = report("b1", "Other Wire", "Israeli jets struck targets in Iraq.", target=IRQ, places=[], location=None)
    _, second = tell(FIRST, other)
    assert second.verdict == "new" and second.event.event_id == other.event_id


def test_a_different_code_family_is_another_story() -> None:
    talks = report("b1", "Other Wire", "Israel and Iran met for talks at Natanz.", code="040", root_code="04")
    _, second = tell(FIRST, talks)
    assert second.verdict == "new"


def test_dates_three_days_apart_are_two_stories() -> None:
    later = report("b1", "Other Wire", "Israel struck Natanz again.", date=FIRST.date + timedelta(days=3))
    _, second = tell(FIRST, later)
    assert second.verdict == "new"


def test_dates_a_day_apart_are_one_story() -> None:
    overnight = report(
        "b1", "Other Wire", "Strikes on Natanz continued overnight.", date=FIRST.date + timedelta(days=1)
    )
    _, second = tell(FIRST, overnight)
    assert second.verdict == "continued"


def test_the_date_window_is_configurable() -> None:
    overnight = report(
        "b1", "Other Wire", "Strikes on Natanz continued overnight.", date=FIRST.date + timedelta(days=1)
    )
    book: dict[str, bytes] = {}
    continue_story(FIRST, book, rules=StoryRules(window_days=0), now=NOW)
    assert continue_story(overnight, book, rules=StoryRules(window_days=0), now=NOW).verdict == "new"


def test_a_week_date_covers_its_whole_week() -> None:
    last_week = report(
        "b1", "Other Wire", "Israel struck Natanz last week.", date=date(2025, 6, 9), date_precision="week"
    )
    _, second = tell(FIRST, last_week)  # FIRST is on Friday 13 June, inside the week of Monday 9 June
    assert second.verdict == "continued"


def test_places_in_different_countries_are_two_stories() -> None:
    elsewhere = report("b1", "Other Wire", "Israeli jets struck near Baghdad.", places=[BAGHDAD], location=BAGHDAD)
    _, second = tell(FIRST, elsewhere)
    assert second.verdict == "new"


def test_a_city_far_from_the_first_one_is_another_story() -> None:
    tehran = report("b1", "Other Wire", "Israeli jets struck Tehran.", places=[TEHRAN], location=TEHRAN)
    _, second = tell(FIRST, tehran)  # Natanz and Tehran are ~250 km apart: two strikes, not one
    assert second.verdict == "new"


def test_a_country_level_place_overlaps_a_city_in_it() -> None:
    vague = report("b1", "Other Wire", "Israel struck Iran.", places=[IRAN], location=IRAN)
    _, second = tell(FIRST, vague)
    assert second.verdict == "continued"


def test_a_report_without_a_place_continues_a_story_with_one() -> None:
    unplaced = report("b1", "Other Wire", "Israel bombed Iran's nuclear programme.", places=[], location=None)
    _, second = tell(FIRST, unplaced)
    assert second.verdict == "continued"


def test_without_a_target_both_reports_must_name_the_same_place() -> None:
    said = report("a1", "Example Wire", "Iran said it was attacked.", target=None, places=[], location=None)
    also = report("b1", "Other Wire", "Iran said it had been hit.", target=None, places=[], location=None)
    _, second = tell(said, also)
    assert second.verdict == "new"


def test_a_country_level_actor_matches_one_of_its_sectors() -> None:
    country = report("b1", "Other Wire", "Israel hit Natanz.", source=ISRAEL)
    military = report("c1", "Third Wire", "Israeli jets hit Natanz.", source=ISR_MIL)
    first, second = tell(country, military)
    assert second.verdict == "continued" and second.event.event_id == first.event.event_id
    assert dyad_key(country) == dyad_key(military)


def test_two_sectors_of_one_country_are_two_stories() -> None:
    military = report("b1", "Other Wire", "Israeli jets hit Natanz.", source=ISR_MIL)
    _, second = tell(FIRST, military)  # FIRST's source is Israel's government
    assert second.verdict == "new"


def test_a_denial_is_not_a_report_of_the_happening() -> None:
    denied = report("b1", "Other Wire", "Israel did not strike Natanz, officials said.", negated=True)
    _, second = tell(FIRST, denied)
    assert second.verdict == "new"


def test_a_threat_is_not_a_report_of_the_happening() -> None:
    threat = report("b1", "Other Wire", "Israel threatened to strike Natanz.", modality="threatened")
    _, second = tell(FIRST, threat)
    assert second.verdict == "new"


def test_redelivered_report_republishes_the_story_without_raising_counts() -> None:
    book: dict[str, bytes] = {}
    tell(FIRST, SECOND, book=book)
    again, first_again = tell(SECOND, FIRST, book=book)
    assert again.verdict == first_again.verdict == "redelivered"
    assert (again.event.event_id, again.event.mentions, again.event.sources) == (FIRST.event_id, 2, 2)
    assert first_again.event == again.event


def test_events_of_one_article_never_merge_with_each_other() -> None:
    same_article = report("a1", "Example Wire", "Later, a second wave of jets hit Natanz.")
    _, second = tell(FIRST, same_article)
    assert second.verdict == "new" and second.event.event_id == same_article.event_id


def test_an_article_adds_at_most_one_mention_to_a_story() -> None:
    lede = report("b1", "Other Wire", "Israel's air force bombed Iran's enrichment plant at Natanz.")
    body = report("b1", "Other Wire", "The jets returned to Natanz hours later.")
    _, to_first, own = tell(FIRST, lede, body)
    assert (to_first.verdict, to_first.event.mentions) == ("continued", 2)
    assert own.verdict == "new" and own.event.event_id == body.event_id


def test_two_events_of_one_article_pair_with_two_events_of_another() -> None:
    first_wave = report("a1", "Example Wire", "A second wave of jets hit Natanz.")
    _, _, one, two = tell(FIRST, first_wave, SECOND, report("b1", "Other Wire", "More jets hit Natanz later."))
    assert {one.event.event_id, two.event.event_id} == {FIRST.event_id, first_wave.event_id}
    assert {(u.verdict, u.event.mentions) for u in (one, two)} == {("continued", 2)}


def test_a_duplicate_articles_copy_of_an_event_joins_the_story_its_original_went_to() -> None:
    # A statement without target or place would not match another article's by itself,
    # but a duplicate's copy (streams.extraction.reports) is the very same event.
    said = report("a1", "Example Wire", "Iran said it was attacked.", target=None, places=[], location=None)
    copy = said.model_copy(update={"article_id": "copy1", "outlet": "Syndicating Wire"})
    _, from_copy = tell(said, copy)
    assert from_copy.verdict == "continued"
    assert (from_copy.event.event_id, from_copy.event.mentions, from_copy.event.sources) == (said.event_id, 2, 2)


def test_a_story_not_reported_for_longer_than_the_retention_is_forgotten() -> None:
    book: dict[str, bytes] = {}
    tell(FIRST, book=book)
    (late,) = tell(SECOND, book=book, now=NOW + RULES.retention + timedelta(seconds=1))
    assert late.verdict == "new"


def test_the_book_keeps_at_most_max_per_key_stories_per_dyad_dropping_the_least_recent() -> None:
    rules = StoryRules(max_per_key=3)
    book: dict[str, bytes] = {}
    days = [
        report(f"d{n}", "Example Wire", f"Strike number {n} on Natanz.", date=date(2025, 1, 1) + timedelta(days=10 * n))
        for n in range(5)
    ]
    for n, event in enumerate(days):
        continue_story(event, book, rules=rules, now=NOW + timedelta(minutes=n))
    (stored,) = [orjson.loads(v)["stories"] for v in book.values()]
    assert [s["event"]["event_id"] for s in stored] == [e.event_id for e in days[2:]]
    again = continue_story(days[0], book, rules=rules, now=NOW + timedelta(minutes=9))
    assert again.verdict == "new"  # forgotten, so it opens a story again


def test_the_update_is_a_valid_event_on_the_wire() -> None:
    _, second = tell(FIRST, SECOND)
    assert Event.from_json(second.event.to_json()) == second.event


def test_events_of_the_same_pair_and_family_share_a_dyad_key_whatever_the_date() -> None:
    assert dyad_key(FIRST) == dyad_key(report("b1", "W", "x", date=date(2024, 1, 1)))
    assert dyad_key(FIRST) != dyad_key(report("b1", "W", "x", target=IRQ))
    assert dyad_key(FIRST) != dyad_key(report("b1", "W", "x", source=IRN, target=ISR))


# --- one article: retellings fold into the happening's first event ----------------------------


def test_a_happening_told_again_in_the_same_article_is_one_event_with_every_place() -> None:
    first = make_event("Israeli airstrikes on nuclear facilities in Iran.", places=[IRAN], location=IRAN)
    later = make_event("The attacks continued, with Tehran hit.", code="190", places=[TEHRAN], location=TEHRAN)
    (event,) = fold_retellings([first, later])
    assert (event.event_id, event.code, event.sentence) == (first.event_id, "195", first.sentence)
    assert [p.name for p in event.places] == ["Tehran", "Iran"] and event.location == TEHRAN
    assert event.mentions == 1


def test_a_retelling_without_a_target_folds_into_the_act_that_names_it() -> None:
    named = make_event("Putin offered to mediate between Israel and Iran.", code="039", root_code="03")
    vague = make_event("He offered Russia's mediation.", code="039", root_code="03", target=None)
    assert fold_retellings([named, vague]) == [named]
    assert fold_retellings([vague, named]) == [named]


def test_different_roots_days_or_targets_stay_apart_in_one_article() -> None:
    strike = make_event("Israeli airstrikes on Iran.")
    killing = make_event("Israel killed Iranian commanders.", code="1823", root_code="18")
    next_day = make_event("Israel struck Iran again on Saturday.", date=date(2025, 6, 14))
    on_iraq = make_event("Israel struck Iraq.", target=IRQ)
    assert fold_retellings([strike, killing, next_day, on_iraq]) == [strike, killing, next_day, on_iraq]


def test_a_more_specific_code_of_the_same_root_sharpens_the_story() -> None:
    vague = report("a1", "Example Wire", "Israel attacked Iran's Natanz site.", code="190", label="Use force")
    precise = report("b1", "Other Wire", "Israeli airstrikes hit Natanz.")  # 195
    _, second = tell(vague, precise)
    assert (second.event.event_id, second.event.code, second.event.label) == (
        vague.event_id,
        "195",
        "Employ aerial weapons",
    )
    _, again = tell(precise, vague)  # the other order keeps the specific code
    assert again.event.code == "195"


def test_a_report_with_a_code_outside_the_table_continues_the_story_with_its_code() -> None:
    # Found by tests/properties/test_story_and_alerts.py (HYPOTHESIS_PROFILE=fuzz): "1951" is a valid
    # code on the wire but not in the CAMEO table, and sharpening the story's "190" raised KeyError.
    first = report("a1", "Example Wire", "Israel attacked Iran.", code="190")
    odd = report("b1", "Other Wire", "Israeli jets struck Natanz.", code="1951")
    _, update = tell(first, odd)
    assert (update.verdict, update.event.code, update.event.mentions) == ("continued", "190", 2)
