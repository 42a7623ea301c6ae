"""CAMEO's intent (03x) and threat (13x) codes for planned, conditional and threatened predicates."""

from __future__ import annotations

from collections.abc import Callable

from schemas.events import Event
from streams.extraction.coder import intent_code

Code = Callable[[str], list[Event]]


def test_planned_aid_is_intent_to_provide_aid() -> None:
    assert intent_code("073", "planned") == "0333"


def test_planned_mediation_is_intent_to_mediate() -> None:
    assert intent_code("045", "planned") == "039"


def test_planned_withdrawal_is_intent_to_de_escalate() -> None:
    assert intent_code("087", "planned") == "0356"


def test_conditional_meeting_is_intent_to_meet() -> None:
    assert intent_code("040", "conditional") == "036"


def test_conditional_halt_of_mediation_is_a_threat() -> None:
    assert intent_code("165", "conditional") == "135"


def test_threatened_attack_is_threat_of_force() -> None:
    assert intent_code("190", "threatened") == "1384"


def test_asserted_and_reported_codes_are_kept() -> None:
    assert intent_code("073", "asserted") == "073"
    assert intent_code("190", "reported") == "190"


def test_planned_conflict_is_not_a_threat() -> None:
    assert intent_code("161", "planned") == "161"


def test_planned_visit_stays_a_visit() -> None:
    assert intent_code("042", "planned") == "042"


def test_roots_outside_cooperation_and_conflict_are_kept() -> None:
    assert intent_code("111", "conditional") == "111"


def test_will_evacuate_is_coded_as_intent_keeping_modality(code_text: Code) -> None:
    events = code_text("Israel will evacuate all 21 settlements in the Gaza Strip.")
    assert any(e.root_code == "03" and e.plover == "AGREE" and e.modality == "planned" for e in events)
