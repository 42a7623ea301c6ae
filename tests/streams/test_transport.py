"""The worker's Kafka consumer takes its fetch wait from the settings, not Faust's built-in 1.5 s."""

from __future__ import annotations

import asyncio

import pytest
from pydantic import ValidationError

from streams.app import create_app
from streams.settings import Settings
from streams.transport import Transport


def _worker_consumer_wait(settings: Settings) -> int:
    async def build() -> int:
        app = create_app(settings)
        assert isinstance(app.transport, Transport)
        consumer = app.consumer._thread._create_worker_consumer(app.transport)  # no connection is made
        try:
            return int(consumer._fetch_max_wait_ms)
        finally:
            await consumer.stop()

    return asyncio.run(build())


def test_the_worker_consumer_waits_as_configured() -> None:
    settings = Settings(broker="kafka://127.0.0.1:1", app_id="wirewatch-transport-test", fetch_max_wait_s=0.05)
    assert _worker_consumer_wait(settings) == 50


def test_the_default_fetch_wait_is_short() -> None:
    settings = Settings(broker="kafka://127.0.0.1:1", app_id="wirewatch-transport-test")
    assert _worker_consumer_wait(settings) == round(Settings.model_fields["fetch_max_wait_s"].default * 1000) == 100


def test_a_fetch_wait_of_zero_is_refused() -> None:
    with pytest.raises(ValidationError):
        Settings(fetch_max_wait_s=0)
