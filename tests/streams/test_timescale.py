"""Compressed time for a soak: every retention, window and cooldown scaled alike, the rules still valid."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from streams.alerting.rules import load_rules
from streams.settings import Settings
from streams.timescale import compressed_time_env, scaled_rules

FACTOR = 0.0005  # 7 days → ~5 min


def _settings(**kwargs: object) -> Settings:
    return Settings(broker="kafka://127.0.0.1:1", app_id="wirewatch-timescale-test", **kwargs)  # type: ignore[arg-type]


def test_the_settings_retentions_are_scaled(tmp_path: Path) -> None:
    env = compressed_time_env(_settings(), FACTOR, tmp_path)
    assert float(env["WIREWATCH_DUPLICATE_WINDOW_DAYS"]) == pytest.approx(7 * FACTOR)
    assert float(env["WIREWATCH_STORY_RETENTION_DAYS"]) == pytest.approx(7 * FACTOR)
    assert float(env["WIREWATCH_ALERT_RETENTION_DAYS"]) == pytest.approx(7 * FACTOR)


def test_the_clean_up_runs_often_enough_for_the_scaled_retention_but_not_in_a_loop(tmp_path: Path) -> None:
    env = compressed_time_env(_settings(), FACTOR, tmp_path)
    assert float(env["WIREWATCH_DUPLICATE_CLEANUP_INTERVAL_S"]) == 10.0  # 600 s × 0.0005 = 0.3 s, floored


def test_the_workers_read_the_scaled_rules_file(tmp_path: Path) -> None:
    env = compressed_time_env(_settings(), FACTOR, tmp_path)
    scaled = load_rules(Path(env["WIREWATCH_RULES_FILE"]))
    shipped = load_rules()
    assert [r.name for r in scaled.rules] == [r.name for r in shipped.rules]
    for mine, theirs in zip(scaled.rules, shipped.rules, strict=True):
        assert mine.cooldown == max(timedelta(seconds=1), theirs.cooldown * FACTOR)
    assert scaled.first_seen is not None and shipped.first_seen is not None
    assert scaled.first_seen.retention == shipped.first_seen.retention * FACTOR


def test_the_scaled_alert_retention_still_exceeds_every_cooldown(tmp_path: Path) -> None:
    env = compressed_time_env(_settings(), FACTOR, tmp_path)
    retention = timedelta(days=float(env["WIREWATCH_ALERT_RETENTION_DAYS"]))
    scaled = load_rules(Path(env["WIREWATCH_RULES_FILE"]))
    assert all(rule.cooldown < retention for rule in scaled.rules)


def test_the_surge_window_stays_a_whole_number_of_steps() -> None:
    shipped = load_rules()
    assert shipped.escalation is not None
    for factor in (FACTOR, 0.001, 0.0123, 1.0):
        data = scaled_rules(shipped, factor)["escalation"]
        steps = shipped.escalation.window / shipped.escalation.step
        assert data["window"] == data["step"] * steps
        assert data["step"] == max(1, round(shipped.escalation.step.total_seconds() * factor))


def test_a_callers_rules_file_is_the_one_scaled(tmp_path: Path) -> None:
    own = tmp_path / "rules.yaml"
    own.write_text(
        "include_defaults: false\nrules:\n  - name: protests\n    severity: info\n    cooldown: 2h\n"
        "    when: {root_codes: ['14']}\n    title: 'Protest: {source}'\n    summary: '{sentence}'\n"
    )
    env = compressed_time_env(_settings(rules_file=own), FACTOR, tmp_path)
    scaled = load_rules(Path(env["WIREWATCH_RULES_FILE"]))
    assert [rule.name for rule in scaled.rules] == ["protests"]
    assert scaled.rules[0].cooldown == timedelta(hours=2) * FACTOR


@pytest.mark.parametrize("factor", [0.0, -1.0, 1.5])
def test_a_scale_outside_zero_to_one_is_refused(tmp_path: Path, factor: float) -> None:
    with pytest.raises(ValueError, match="time scale"):
        compressed_time_env(_settings(), factor, tmp_path)
