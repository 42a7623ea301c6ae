"""Alert state lives in changelog-backed tables: a worker SIGKILLed in the middle of a window
and restarted raises no alert twice, loses none, and continues the window's counts.

Happenings are published straight onto the internal topics the alert and escalate agents
read (as the story step would: keyed by source country, and by escalation subject with the
report's time as the record timestamp), so the test controls exactly which events arrive
before and after the kill. Times are minutes before now: Faust expires windows by wall clock.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from schemas import Alert, Event
from streams.alerting.rules import parse_rules
from streams.broker import EmbeddedBroker
from streams.demo import stage_done
from tests.alerting.factories import IRN, ISR, make_event
from tests.integration.harness import (
    collect_aiokafka,
    publish_as_story_step,
    start_worker,
    wait_stages_done,
    worker_env,
)

pytestmark = pytest.mark.integration

RULES = """
rules:
  - name: armed-attack
    severity: warning
    when: {root_codes: ["19"]}
    cooldown: 6h
    title: "Armed attack: {source} → {target}"
    summary: "{sentence}"
escalation:
  window: 1h
  step: 5m
  baseline_windows: 2
  z: 3
  min_count: 4
  per_country: false
  cooldown: 6h
first_seen: {retention: 30d, learning: 0s}
"""
RULESET = parse_rules(RULES)
START = datetime.now(UTC).replace(microsecond=0) - timedelta(minutes=40)


def _happenings(numbers: range) -> list[tuple[Event, str]]:
    return [(_happening(n), "new") for n in numbers]


def _happening(n: int) -> Event:
    tag = hashlib.sha256(f"kill-test-{n}".encode()).hexdigest()[:20]
    at = START + timedelta(minutes=5 * n)
    return make_event(
        f"Israeli forces attacked positions in Iran ({n}).",
        event_id=f"ev-{tag}",
        story_id=f"st-{tag}",
        article_id=f"article-{n}",
        outlet=f"Outlet {n}",
        published_at=at,
        coded_at=at,
        source=ISR,
        target=IRN,
        code="190",
        root_code="19",
    )


@pytest.fixture(scope="module")
def alerts(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> list[Alert]:
    tmp = tmp_path_factory.mktemp("sigkill")
    rules = Path(tmp / "rules.yaml")
    rules.write_text(RULES)
    env = worker_env(broker.bootstrap, tmp, WIREWATCH_RULES_FILE=str(rules))
    app_id = env["WIREWATCH_APP_ID"]
    first = start_worker(env, tmp)
    try:
        first.wait_ready()
        asyncio.run(publish_as_story_step(broker.bootstrap, app_id, _happenings(range(1, 4)), RULESET))
        wait_stages_done(first, {"alert": 3, "escalate": 3})  # three of the four happenings a surge needs
        time.sleep(6)  # past Faust's commit interval (2.8 s): the restart reads only what comes next
        os.kill(first.process.pid, signal.SIGKILL)
        first.process.wait(30)
    finally:
        first.stop()
    second = start_worker(env, tmp)  # same app id: same group, same changelogs, empty memory
    try:
        second.wait_ready()
        asyncio.run(publish_as_story_step(broker.bootstrap, app_id, _happenings(range(4, 5)), RULESET))

        def surged_and_updated(collected: dict[str, list[bytes]]) -> bool:
            # Two agents publish these (escalate the surge, alert the event alert's fourth
            # version): either may come first, so wait for both.
            alerts = [Alert.from_json(v) for v in collected["alerts"]]
            return any(a.kind == "surge" for a in alerts) and any(a.kind == "event" and a.version >= 4 for a in alerts)

        collected = asyncio.run(collect_aiokafka(broker.bootstrap, ["alerts"], until=surged_and_updated, timeout=90))
        wait_stages_done(second, {"alert": 1, "escalate": 1})
        read_after_restart.append(stage_done(second.metrics_url).get("escalate", 0))
    finally:
        second.stop()
    return [Alert.from_json(v) for v in collected["alerts"]]


read_after_restart: list[float] = []


def _by_kind(alerts: list[Alert], kind: str) -> list[Alert]:
    return [a for a in alerts if a.kind == kind]


def test_the_window_continues_from_the_changelog_so_the_fourth_happening_is_a_surge(alerts: list[Alert]) -> None:
    [surge] = _by_kind(alerts, "surge")
    assert read_after_restart == [1]  # the restarted worker counted one happening; three came from the changelog
    assert surge.escalation is not None and surge.escalation.count == 4
    assert surge.evidence[-1].article_id == "article-4"


def test_the_dyad_is_first_seen_once_not_again_after_the_restart(alerts: list[Alert]) -> None:
    assert {(a.alert_id, a.version) for a in _by_kind(alerts, "first_seen")} == {
        (_by_kind(alerts, "first_seen")[0].alert_id, 1)
    }


def test_the_event_alert_is_one_alert_whose_versions_lose_nothing(alerts: list[Alert]) -> None:
    event_alerts = _by_kind(alerts, "event")
    assert len({a.alert_id for a in event_alerts}) == 1
    # At-least-once: a version may be re-published after the kill, but only as the same version.
    by_version = {a.version: a for a in event_alerts}
    assert sorted(by_version) == [1, 2, 3, 4]
    assert [e.article_id for e in by_version[4].evidence] == ["article-1", "article-2", "article-3", "article-4"]
