"""Rule files: validated at load, with the line and reason of any mistake."""

from __future__ import annotations

from pathlib import Path

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


def _one_rule(when: str, extra: str = "") -> str:
    return f"rules:\n  - name: r\n    severity: info\n    title: t\n    summary: s\n    when: {when}\n{extra}"


def test_actor_conditions_look_at_the_right_role() -> None:
    event = make_event()  # ISR (GOV) → IRN (GOV)
    assert parse_rules(_one_rule("{source_countries: [ISR]}")).matching(event)
    assert not parse_rules(_one_rule("{source_countries: [IRN]}")).matching(event)
    assert parse_rules(_one_rule("{target_countries: [IRN]}")).matching(event)
    assert not parse_rules(_one_rule("{target_countries: [IRN]}")).matching(make_event(target=None))
    assert parse_rules(_one_rule("{sectors: [GOV]}")).matching(event)
    assert not parse_rules(_one_rule("{sectors: [REB, MIL]}")).matching(event)
    assert parse_rules(_one_rule("{actors: [israel]}")).matching(event)
    assert parse_rules(_one_rule("{actors: [IRNGOV]}")).matching(event)


def test_location_and_goldstein_conditions() -> None:
    at_natanz = make_event(places=[NATANZ])
    assert parse_rules(_one_rule("{location_countries: [IRN]}")).matching(at_natanz)
    assert not parse_rules(_one_rule("{location_countries: [IRN]}")).matching(make_event())
    assert parse_rules(_one_rule("{goldstein_min: -10}")).matching(make_event())
    assert not parse_rules(_one_rule("{goldstein_min: -5}")).matching(make_event())


def test_an_unknown_template_placeholder_is_refused_at_load() -> None:
    text = "rules:\n  - name: r\n    severity: info\n    title: 'Strike by {sourse}'\n    summary: s\n"
    with pytest.raises(RulesError, match=r"R002: f.yaml: line 4: rules.0.title: .*unknown placeholder\(s\) \{sourse\}"):
        parse_rules(text, "f.yaml")


def test_durations_read_like_people_write_them() -> None:
    ruleset = parse_rules(_one_rule("{}", "    cooldown: 90m\n") + "first_seen: {retention: 7d, learning: 3600}\n")
    assert ruleset.rules[0].cooldown.total_seconds() == 5400
    assert ruleset.first_seen is not None and ruleset.first_seen.learning.total_seconds() == 3600
    with pytest.raises(RulesError, match=r"line 7: rules.0.cooldown: .*not a duration"):
        parse_rules(_one_rule("{}", "    cooldown: soon\n"), "f.yaml")


def test_a_bad_escalation_window_names_its_line() -> None:
    text = "escalation:\n  window: 50m\n  step: 15m\n"
    with pytest.raises(RulesError, match=r"R002: f.yaml: line 1: escalation: .*whole number of steps"):
        parse_rules(text, "f.yaml")


def test_a_file_that_alerts_on_nothing_is_refused() -> None:
    with pytest.raises(RulesError, match="R004"):
        parse_rules("rules: []\n", "f.yaml")


def test_include_defaults_extends_the_shipped_rules(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text(
        "include_defaults: true\n"
        "rules:\n"
        "  - {name: armed-attack, severity: critical, title: t, summary: s, when: {root_codes: ['19']}}\n"
        "  - {name: protests, severity: info, title: t, summary: s, when: {root_codes: ['14']}}\n"
    )
    ruleset = load_rules(path)
    names = [r.name for r in ruleset.rules]
    assert names == [r.name for r in load_rules().rules] + ["protests"]
    assert next(r for r in ruleset.rules if r.name == "armed-attack").severity == "critical"
    assert ruleset.escalation == load_rules().escalation


def test_a_file_without_include_defaults_replaces_them(tmp_path: Path) -> None:
    path = tmp_path / "mine.yaml"
    path.write_text("rules:\n  - {name: protests, severity: info, title: t, summary: s}\n")
    ruleset = load_rules(path)
    assert [r.name for r in ruleset.rules] == ["protests"] and ruleset.escalation is None
