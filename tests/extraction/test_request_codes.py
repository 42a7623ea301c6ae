"""Demands reported with "must" (CAMEO root 10, PLOVER REQUEST) and particle vs object refinements."""

from __future__ import annotations

from collections.abc import Callable

from schemas.events import Event

Code = Callable[[str], list[Event]]


def _by_code(events: list[Event], root: str) -> list[Event]:
    return [e for e in events if e.root_code == root]


def test_said_must_is_a_demand(code_text: Code) -> None:
    events = code_text("Russia said on Tuesday that Sudan must return the helicopter.")
    assert [e.plover for e in _by_code(events, "10")] == ["REQUEST"]


def test_must_demand_source_is_the_speaker(code_text: Code) -> None:
    events = _by_code(code_text("Russia said on Tuesday that Sudan must return the helicopter."), "10")
    assert {e.source.country for e in events} == {"RUS"}


def test_must_demand_target_is_the_obliged_actor(code_text: Code) -> None:
    events = _by_code(code_text("Russia said on Tuesday that Sudan must return the helicopter."), "10")
    assert {e.target.country for e in events if e.target} == {"SDN"}


def test_must_clause_is_not_coded_as_the_inner_act(code_text: Code) -> None:
    events = code_text("France announced that Iran must agree to the inspections.")
    assert not [e for e in events if e.root_code == "03"]


def test_should_is_not_a_demand(code_text: Code) -> None:
    events = code_text("Hungary and Romania agreed that their countries should cooperate.")
    assert not _by_code(events, "10")


def test_demanded_that_targets_the_clause_subject(code_text: Code) -> None:
    events = _by_code(code_text("China demanded that the United States cancel the arms sale."), "10")
    assert {e.target.country for e in events if e.target} == {"USA"}


def test_object_beats_particle(code_text: Code) -> None:
    events = code_text("Germany cut off aid to Niger.")
    assert "162" in {e.code for e in events}


def test_particle_alone_still_codes(code_text: Code) -> None:
    events = code_text("Germany pulled out of Niger.")
    assert "087" in {e.code for e in events}
