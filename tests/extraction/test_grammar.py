"""Grammar the coder must get right: negation, passives, compounds, reported speech, modality."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from schemas.events import Event

Code = Callable[[str], list[Event]]


def _dyads(events: list[Event]) -> set[tuple[str, str | None, str]]:
    return {(e.source.country or e.source.code, e.target.country if e.target else None, e.root_code) for e in events}


def test_negation(code_text: Code) -> None:
    events = code_text("Russia did not condemn the strikes.")
    condemn = [e for e in events if e.root_code == "11"]
    assert condemn and all(e.negated for e in condemn)
    assert not any(e.negated for e in code_text("Russia condemned Israel."))


def test_passive(code_text: Code) -> None:
    events = code_text("Iran was attacked by Israel.")
    assert ("ISR", "IRN", "19") in _dyads(events)
    assert not any(e.source.country == "IRN" for e in events)


def test_compound_targets_fan_out(code_text: Code) -> None:
    events = code_text("China held talks with Russia and Iran on Monday.")
    assert {("CHN", "RUS", "04"), ("CHN", "IRN", "04")} <= _dyads(events)
    assert all(e.date == date(2025, 6, 9) and e.date_precision == "day" for e in events)


def test_compound_sources_fan_out(code_text: Code) -> None:
    events = code_text("France and Germany condemned Russia's invasion of Ukraine.")
    assert {("FRA", "RUS", "11"), ("DEU", "RUS", "11")} <= _dyads(events)


def test_attribution_from_said(code_text: Code) -> None:
    events = code_text("Moscow strongly condemns Israel's actions, the Kremlin said.")
    condemn = [e for e in events if e.root_code == "11"]
    assert condemn and condemn[0].attribution == "the Kremlin" and condemn[0].modality == "reported"


def test_threat_and_plan_modality(code_text: Code) -> None:
    threat = code_text("Iran threatened to attack Israel.")
    assert any(
        e.root_code == "13" and e.modality == "threatened" and e.target and e.target.country == "ISR" for e in threat
    )
    planned = code_text("Netanyahu will visit Washington.")
    assert any(e.code == "042" and e.modality == "planned" for e in planned)
    cond = code_text("Israel will strike Iran if Tehran enriches uranium.")
    assert any(e.modality == "conditional" for e in cond)


def test_no_source_no_event(code_text: Code) -> None:
    assert code_text("Somebody attacked a village.") == []
    assert code_text("The weather was fine on Friday.") == []


def test_in_country_is_a_place_target_country_is_not(code_text: Code) -> None:
    inside = code_text("Hamas fighters attacked Israeli soldiers in Israel.")
    assert any(e.location and e.location.country == "ISR" and e.location.precision == "country" for e in inside)
    aimed = code_text("Israel attacked Iran.")
    assert aimed and all(e.location is None for e in aimed)


def test_leaders_are_dated(code_text: Code) -> None:
    now = code_text("Trump condemned Iran.")
    assert now and now[0].source.code == "USAGOV"
