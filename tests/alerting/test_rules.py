"""Rule files: validated at load, with the line and reason of any mistake."""

from __future__ import annotations

import pytest

from streams.alerting.rules import RulesError, load_rules, parse_rules
from tests.alerting.factories import NATANZ, make_event


def test_default_rules_load() -> None:
    names = [r.name for r in load_rules().rules]
    assert "nuclear-facility-strike" in names


def test_nuclear_rule_matches_a_strike_sentence_naming_nuclear_facilities() -> None:
    hits = load_rules().matching(make_event())
    assert [r.name for r in hits] == ["nuclear-facility-strike"]


def test_nuclear_rule_matches_a_strike_on_a_nuclear_site_by_place() -> None:
    event = make_event("The attacks continued, with Natanz hit.", places=[NATANZ])
    assert [r.name for r in load_rules().matching(event)] == ["nuclear-facility-strike"]


def test_plain_strike_is_an_armed_attack_not_a_nuclear_one() -> None:
    event = make_event("Israeli jets struck a convoy near the border.")
    assert [r.name for r in load_rules().matching(event)] == ["armed-attack"]


def test_negated_strike_matches_nothing() -> None:
    assert load_rules().matching(make_event(negated=True)) == []


def test_cooperation_event_matches_nothing() -> None:
    event = make_event(
        "Putin held a phone call with Netanyahu.", code="041", root_code="04", quad_class=1, goldstein=1.0
    )
    assert load_rules().matching(event) == []


def test_bad_yaml_reports_the_line() -> None:
    with pytest.raises(RulesError, match=r"R001: f.yaml: line 3: invalid YAML: mapping values are not allowed"):
        parse_rules("rules:\n  - name: x\n    severity: info: critical\n", "f.yaml")


def test_invalid_rule_reports_the_line_and_the_field() -> None:
    text = (
        "rules:\n"
        "  - name: ok-rule\n    severity: info\n    title: t\n    summary: s\n"
        "  - name: bad-rule\n    severity: urgent\n    title: t\n    summary: s\n"
    )
    with pytest.raises(RulesError, match=r"R002: f.yaml: line 7: rules.1.severity"):
        parse_rules(text, "f.yaml")


def test_duplicate_rule_names_are_refused() -> None:
    rule = "  - name: same\n    severity: info\n    title: t\n    summary: s\n"
    with pytest.raises(RulesError, match="R003"):
        parse_rules("rules:\n" + rule + rule, "f.yaml")
