"""The worker's aiokafka consumer, reached in one place (streams.transport): readiness reads it,
backpressure pauses and resumes through it."""

from __future__ import annotations

import asyncio

import pytest

from streams.app import create_app
from streams.settings import Settings
from streams.transport import call_in_consumer_thread, worker_kafka_consumer


def _app_consumer() -> object:
    app = create_app(Settings(broker="kafka://127.0.0.1:1", app_id="wirewatch-transport-access-test"))
    return app.consumer  # Faust's consumer, not started: its thread has no aiokafka consumer yet


def test_a_consumer_not_started_has_no_kafka_consumer() -> None:
    assert worker_kafka_consumer(_app_consumer()) is None


def test_a_consumer_of_another_kind_has_no_kafka_consumer() -> None:
    assert worker_kafka_consumer(object()) is None


def test_calling_into_a_consumer_not_started_is_an_error_not_a_silent_no_op() -> None:
    with pytest.raises(RuntimeError, match="not running"):
        asyncio.run(call_in_consumer_thread(_app_consumer(), "pause"))
