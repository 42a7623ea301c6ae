"""The worker's Kafka consumer takes its fetch wait from the settings, not Faust's built-in 1.5 s,
and its fetch size bound, not aiokafka's 50 MB."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError

from streams.app import create_app
from streams.settings import Settings
from streams.transport import Transport


def _worker_consumer_fetch(settings: Settings) -> tuple[int, int]:
    """The worker consumer's fetch wait (ms) and fetch size bound (bytes)."""

    async def build() -> tuple[int, int]:
        app = create_app(settings)
        assert isinstance(app.transport, Transport)
        consumer = app.consumer._thread._create_worker_consumer(app.transport)  # no connection is made
        try:
            return int(consumer._fetch_max_wait_ms), int(consumer._fetch_max_bytes)
        finally:
            await consumer.stop()

    return asyncio.run(build())


def _worker_consumer_wait(settings: Settings) -> int:
    return _worker_consumer_fetch(settings)[0]


def test_the_worker_consumer_waits_as_configured() -> None:
    settings = Settings(broker="kafka://127.0.0.1:1", app_id="wirewatch-transport-test", fetch_max_wait_s=0.05)
    assert _worker_consumer_wait(settings) == 50


def test_the_default_fetch_wait_is_short() -> None:
    settings = Settings(broker="kafka://127.0.0.1:1", app_id="wirewatch-transport-test")
    assert _worker_consumer_wait(settings) == round(Settings.model_fields["fetch_max_wait_s"].default * 1000) == 100


def test_a_fetch_wait_of_zero_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(fetch_max_wait_s=0)


def test_the_worker_consumer_fetches_at_most_the_configured_bytes() -> None:
    settings = Settings(
        broker="kafka://127.0.0.1:1", app_id="wirewatch-transport-test", fetch_max_bytes=2 * 1024 * 1024
    )
    assert _worker_consumer_fetch(settings)[1] == 2 * 1024 * 1024


def test_the_default_fetch_bound_is_below_aiokafkas_50_mb() -> None:
    settings = Settings(broker="kafka://127.0.0.1:1", app_id="wirewatch-transport-test")
    assert _worker_consumer_fetch(settings)[1] == 16 * 1024 * 1024


def test_a_fetch_bound_under_one_mebibyte_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(fetch_max_bytes=1000)
