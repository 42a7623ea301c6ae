"""The arithmetic of surges: subjects, buckets, hopping windows, the EWMA baseline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from streams.alerting.escalation import (
    MemoryBuckets,
    Subject,
    bucket_of,
    ewma,
    history,
    routes,
    subjects,
    window_count,
)
from streams.alerting.rules import EscalationSpec, FirstSeenSpec
from tests.alerting.factories import IRN, ISR, make_event

SPEC = EscalationSpec(window=timedelta(hours=1), step=timedelta(minutes=10), baseline_windows=3)
HOUR = 3600.0


def test_a_material_conflict_counts_for_its_dyad_and_both_countries() -> None:
    keys = [s.key for s in subjects(make_event(), SPEC)]
    assert keys == ["dyad|ISR|IRN|4", "country|ISR|4", "country|IRN|4"]


def test_a_domestic_event_counts_once_for_its_country() -> None:
    keys = [s.key for s in subjects(make_event(target=ISR), SPEC)]
    assert keys == ["dyad|ISR|ISR|4", "country|ISR|4"]


def test_negated_planned_and_unsure_events_are_not_counted() -> None:
    assert subjects(make_event(negated=True), SPEC) == []
    assert subjects(make_event(modality="planned"), SPEC) == []
    assert subjects(make_event(confidence=0.1), SPEC) == []


def test_cooperation_is_not_counted_by_default() -> None:
    assert subjects(make_event(code="041", root_code="04", quad_class=1, goldstein=1.0), SPEC) == []


def test_first_seen_alone_routes_material_conflict_to_its_dyad() -> None:
    assert [s.key for s in routes(make_event(), None, FirstSeenSpec())] == ["dyad|ISR|IRN|4"]
    assert routes(make_event(target=None), None, FirstSeenSpec()) == []


def test_subject_keys_round_trip_and_foreign_keys_are_refused() -> None:
    subject = Subject("dyad", ("ISR", "IRN"), 4)
    assert Subject.from_key(subject.key) == subject
    for bad in ("", "dyad|ISR|4", "planet|MARS|4", "country|IRN|x", "ev-123"):
        with pytest.raises(ValueError, match="not an escalation subject key"):
            Subject.from_key(bad)


def test_buckets_are_aligned_to_the_epoch_like_faust_windows() -> None:
    assert bucket_of(1_000_000.0, 600) == 999_600.0
    assert bucket_of(999_600.0, 600) == 999_600.0


def test_a_window_sums_the_buckets_it_covers() -> None:
    buckets = MemoryBuckets(SPEC.step, timedelta(days=1))
    base = 100 * HOUR
    for minute in (0, 5, 25, 59, 61):
        buckets.add("k", base + minute * 60)
    assert window_count(buckets, "k", base + 59 * 60, SPEC) == 4
    assert window_count(buckets, "k", base + 61 * 60, SPEC) == 3  # the window hopped past minute 0 and 5
    assert window_count(buckets, "other", base, SPEC) == 0


def test_history_is_the_previous_windows_oldest_first() -> None:
    buckets = MemoryBuckets(SPEC.step, timedelta(days=1))
    now = 100 * HOUR + 30 * 60
    for hours_ago, n in ((3, 1), (2, 2), (1, 3)):
        for _ in range(n):
            buckets.add("k", now - hours_ago * HOUR)
    assert history(buckets, "k", now, SPEC) == [1, 2, 3]


def test_buckets_older_than_the_retention_are_dropped() -> None:
    buckets = MemoryBuckets(timedelta(minutes=10), timedelta(hours=2))
    buckets.add("k", 0.0)
    buckets.add("k", 3 * HOUR)
    assert buckets.count("k", 0.0) == 0 and buckets.count("k", bucket_of(3 * HOUR, 600)) == 1


def test_ewma_of_a_constant_has_no_spread() -> None:
    assert ewma([2, 2, 2, 2], 0.3) == (2.0, 0.0)


def test_ewma_weights_recent_windows_more() -> None:
    mean, std = ewma([0, 0, 0, 10], 0.5)
    assert mean == 5.0 and std == pytest.approx(5.0)
    assert ewma([], 0.3) == (0.0, 0.0)


def test_step_must_divide_the_window() -> None:
    with pytest.raises(ValueError, match="whole number of steps"):
        EscalationSpec(window=timedelta(minutes=50), step=timedelta(minutes=15))


def test_unknown_subject_is_no_event_of_this_dyad() -> None:
    assert Subject("dyad", ("ISR", "IRN"), 4) not in subjects(make_event(source=IRN, target=ISR), SPEC)
