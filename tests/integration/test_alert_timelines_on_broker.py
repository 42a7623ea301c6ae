"""Timelines on the real broker: the alert and escalate agents raise exactly the alerts the
scripted timeline expects — the same ones the offline handlers raise for the same script.

Four scripts run side by side, each on its own dyad (so each keeps its partition order): a
quiet period, a burst after a quiet period, a slow build-up, and one happening reported by
many outlets. Each script's events are published as the story step publishes them — every
event on the alert agent's topic (keyed by source country), each new happening once per
escalation subject (keyed by the subject, with the report's time as the record timestamp).
Times are minutes after a start an hour ago: Faust expires windows by wall clock.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from schemas import Actor, Alert
from streams.broker import EmbeddedBroker
from tests.alerting.timeline import Timeline, rules
from tests.integration.harness import (
    collect_aiokafka,
    publish_as_story_step,
    start_worker,
    wait_stages_done,
    worker_env,
)

pytestmark = pytest.mark.integration

RULES_YAML = """
rules:
  - name: armed-attack
    severity: warning
    when: {root_codes: ["19"]}
    cooldown: 30m
    corroboration: {sources: 3, within: 1h, severity: critical}
    title: "Armed attack: {source} → {target}"
    summary: "{sentence}"
escalation:
  window: 10m
  step: 2m
  baseline_windows: 5
  alpha: 0.3
  z: 3
  min_count: 4
  per_country: false
  cooldown: 30m
first_seen: {retention: 1d, learning: 0s}
"""
RULES = rules(RULES_YAML)
START = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=60)


def _actor(country: str, name: str) -> Actor:
    return Actor(text=name, name=name, country=country, sector="MIL", code=f"{country}MIL")


def _scripts() -> dict[str, Timeline]:
    quiet = Timeline(RULES, t0=START, name="quiet")
    a, b = _actor("FRA", "France"), _actor("DEU", "Germany")
    for minute in range(0, 50, 6):
        quiet.happening(minute, a, b)

    burst = Timeline(RULES, t0=START, name="burst")
    a, b = _actor("GBR", "Britain"), _actor("ESP", "Spain")
    for minute in range(0, 40, 10):
        burst.happening(minute, a, b)
    for minute in (44, 45, 46, 47, 48):
        burst.happening(minute, a, b)

    build_up = Timeline(RULES, t0=START, name="build-up")
    a, b = _actor("ITA", "Italy"), _actor("GRC", "Greece")
    for window, n in enumerate((1, 1, 2, 2, 3)):
        for i in range(n):
            build_up.happening(window * 10 + i * (10 / n), a, b)

    reported = Timeline(RULES, t0=START, name="reported")
    a, b = _actor("POL", "Poland"), _actor("CZE", "Czechia")
    strike = reported.happening(5, a, b)
    for i in range(8):
        reported.report(6 + i, strike, outlet=f"Outlet {i}")
    return {"quiet": quiet, "burst": burst, "build-up": build_up, "reported": reported}


SCRIPTS = _scripts()


def _facts(alert: Alert) -> tuple[Any, ...]:
    """What an alert says, without the wall-clock fields (triggered_at, updated_at)."""
    count = alert.escalation.count if alert.escalation else None
    return (alert.alert_id, alert.version, alert.kind, alert.key, alert.severity, count, alert.independent_sources)


@pytest.fixture(scope="module")
def on_broker(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> list[Alert]:
    tmp = tmp_path_factory.mktemp("timelines")
    rules_file = Path(tmp / "rules.yaml")
    rules_file.write_text(RULES_YAML)
    env = worker_env(broker.bootstrap, tmp, WIREWATCH_RULES_FILE=str(rules_file))
    worker = start_worker(env, tmp)
    expected = sum(len(s.alerts) for s in SCRIPTS.values())
    try:
        worker.wait_ready()
        published = [item for script in SCRIPTS.values() for item in script.published]
        to_alert, to_escalate = asyncio.run(
            publish_as_story_step(broker.bootstrap, env["WIREWATCH_APP_ID"], published, RULES)
        )
        wait_stages_done(worker, {"alert": to_alert, "escalate": to_escalate})
        collected = asyncio.run(
            collect_aiokafka(broker.bootstrap, ["alerts"], until=lambda c: len(c["alerts"]) >= expected, timeout=60)
        )
    finally:
        worker.stop()
    return [Alert.from_json(v) for v in collected["alerts"]]


def _of(alerts: list[Alert], name: str) -> list[Alert]:
    return [a for a in alerts if any(e.article_id.startswith(f"{name}-article-") for e in a.evidence)]


@pytest.mark.parametrize("name", list(SCRIPTS))
def test_the_broker_raises_exactly_the_alerts_of_the_script(on_broker: list[Alert], name: str) -> None:
    assert sorted(map(_facts, _of(on_broker, name))) == sorted(map(_facts, SCRIPTS[name].alerts))


def test_a_quiet_period_raises_no_surge(on_broker: list[Alert]) -> None:
    quiet = _of(on_broker, "quiet")
    assert not [a for a in quiet if a.kind == "surge"]
    assert [a.kind for a in quiet if a.kind == "first_seen"] == ["first_seen"]


def test_a_burst_raises_one_surge_at_its_fourth_happening(on_broker: list[Alert]) -> None:
    [surge] = [a for a in _of(on_broker, "burst") if a.kind == "surge"]
    assert surge.escalation is not None and surge.escalation.count == 4


def test_a_slow_build_up_raises_no_surge(on_broker: list[Alert]) -> None:
    assert not [a for a in _of(on_broker, "build-up") if a.kind == "surge"]


def test_many_reports_of_one_happening_update_one_alert_up_to_critical(on_broker: list[Alert]) -> None:
    event_alerts = [a for a in _of(on_broker, "reported") if a.kind == "event"]
    assert len({a.alert_id for a in event_alerts}) == 1
    assert sorted(a.version for a in event_alerts) == list(range(1, 10))
    assert max(event_alerts, key=lambda a: a.version).severity == "critical"
    assert not [a for a in _of(on_broker, "reported") if a.kind == "surge"]
