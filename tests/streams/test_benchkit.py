"""A benchmark's workers: their own app id and topics, and the caller's settings that carry over."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.benchkit import bench_settings


def test_the_callers_backpressure_and_batching_settings_reach_the_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIREWATCH_CLEAN_AHEAD_ARTICLES", "0")
    monkeypatch.setenv("WIREWATCH_PRODUCER_MAX_BATCH_BYTES", "1")
    env, _ = bench_settings("127.0.0.1:9", tmp_path, app_prefix="kit", partitions=6)
    assert env["WIREWATCH_CLEAN_AHEAD_ARTICLES"] == "0"
    assert env["WIREWATCH_PRODUCER_MAX_BATCH_BYTES"] == "1"


def test_other_caller_settings_do_not_reach_the_workers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREWATCH_TOPIC_RAW", "production.articles.raw")
    env, settings = bench_settings("127.0.0.1:9", tmp_path, app_prefix="kit", partitions=6)
    assert env["WIREWATCH_TOPIC_RAW"] == settings.topic_raw == f"{env['WIREWATCH_APP_ID']}.articles.raw"
