"""Scripted timelines for alerting: happenings and further reports at given minutes → the alerts published.

A timeline plays the role of the story step: each ``happening`` is a new story (verdict
``new``), each ``report`` a further report of an earlier one (verdict ``update``, same event
id, another article). The alert and escalate handlers run as offline (``OfflineAlerting``).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from schemas import Actor, Alert, DeadLetter, Event
from streams.alerting.rules import RuleSet, parse_rules
from streams.alerting.stage import AlertBook
from streams.offline import OfflineAlerting
from streams.settings import Settings
from tests.alerting.factories import IRN, ISR, make_event

T0 = datetime(2025, 6, 1, tzinfo=UTC)


def rules(text: str) -> RuleSet:
    return parse_rules(text, "timeline rules")


class Timeline:
    """Feed happenings and reports in time order; ``alerts`` collects every published version."""

    def __init__(self, ruleset: RuleSet, *, t0: datetime = T0, name: str = "story") -> None:
        self._alerting = OfflineAlerting(Settings(), ruleset)
        self._serial = 0
        self._t0 = t0
        self._name = name
        self.alerts: list[Alert] = []
        self.published: list[tuple[Event, str]] = []
        """What the story step published, in order: each event and its verdict (new/update)."""

    def happening(
        self,
        minute: float,
        source: Actor = ISR,
        target: Actor = IRN,
        *,
        code: str = "190",
        quad_class: int = 4,
        sentence: str = "Israeli forces attacked positions in Iran.",
        **fields: object,
    ) -> Event:
        """A new story at T0 + ``minute``; returns its event (for later reports)."""
        self._serial += 1
        tag = hashlib.sha256(f"{self._name}-{self._serial}".encode()).hexdigest()[:20]
        event = make_event(
            sentence,
            event_id=f"ev-{tag}",
            story_id=f"st-{tag}",
            article_id=f"{self._name}-article-{self._serial}",
            published_at=self._t0 + timedelta(minutes=minute),
            coded_at=self._t0 + timedelta(minutes=minute),
            source=source,
            target=target,
            code=code,
            root_code=code[:2],
            quad_class=quad_class,
            **fields,
        )
        self._publish(event, "new")
        return event

    def report(self, minute: float, of: Event, *, outlet: str, copy_of: str | None = None) -> None:
        """A further report of ``of``'s story by ``outlet`` at T0 + ``minute``."""
        self._serial += 1
        event = of.model_copy(
            update={
                "article_id": f"{self._name}-article-{self._serial}",
                "outlet": outlet,
                "published_at": self._t0 + timedelta(minutes=minute),
                "copy_of": copy_of,
            }
        )
        self._publish(event, "update")

    def quiet(self, start: float, end: float, every: float, **fields: object) -> None:
        """One happening every ``every`` minutes in [start, end)."""
        minute = start
        while minute < end:
            self.happening(minute, **fields)  # type: ignore[arg-type]
            minute += every

    def redeliver(self, event: Event, *, published: bool = True) -> list[Alert]:
        """``event`` (a happening) delivered to the escalation again, as after a worker died
        having counted it but before committing: with ``published=False`` its alerts died with
        the worker too (never published, not remembered). Returns what the redelivery raises."""
        if not published:
            raised = [a for a in self.alerts if a.evidence and a.evidence[-1].event_id == event.event_id]
            self._alerting.state.book = AlertBook({})  # forget what the first delivery raised
            for alert in self.alerts:
                if alert not in raised:
                    self._alerting.state.book.remember(alert)
            self.alerts = [a for a in self.alerts if a not in raised]
        dead: list[DeadLetter] = []
        alerts = self._alerting.escalate(event, dead, now=event.published_at)
        assert not dead, dead
        self.alerts.extend(alerts)
        return alerts

    def _publish(self, event: Event, verdict: str) -> None:
        self.published.append((event, verdict))
        alerts, dead = self._alerting.publish(event, verdict, now=event.published_at)
        assert not dead, dead
        self.alerts.extend(alerts)

    def of_kind(self, kind: str) -> list[Alert]:
        return [a for a in self.alerts if a.kind == kind]
