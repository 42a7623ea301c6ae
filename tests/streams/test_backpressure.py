"""The worker reads a bounded number of records ahead of each agent (WIREWATCH_STREAM_BUFFER_MESSAGES),
not Faust's 4096: a broker slow to take the outputs must not let a backlog pile up in memory
(end to end: tests/integration/test_fault_slow_downstream.py)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from streams.app import create_app
from streams.settings import Settings


def _settings(stream_buffer_messages: int | None = None) -> Settings:
    base = Settings(broker="kafka://127.0.0.1:1", app_id="wirewatch-backpressure-test")
    if stream_buffer_messages is None:
        return base
    return Settings(**{**base.model_dump(), "stream_buffer_messages": stream_buffer_messages})


def test_the_read_ahead_is_the_setting() -> None:
    app = create_app(_settings(stream_buffer_messages=7))
    assert app.conf.stream_buffer_maxsize == 7


def test_the_default_read_ahead_is_small() -> None:
    app = create_app(_settings())
    assert app.conf.stream_buffer_maxsize == Settings.model_fields["stream_buffer_messages"].default == 32


def test_the_agents_queues_take_the_read_ahead() -> None:
    app = create_app(_settings(stream_buffer_messages=5))
    topic = app.topic("articles.raw")
    assert topic.queue.maxsize == 5
    assert topic.queue.pressure_high_size == 4  # past this many buffered, the partition is not fetched


def test_a_read_ahead_of_zero_is_refused() -> None:
    with pytest.raises(ValidationError):
        _settings(stream_buffer_messages=0)
