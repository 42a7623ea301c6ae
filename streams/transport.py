"""Faust's aiokafka transport with the consumer's fetch wait configurable.

faust-streaming 0.15.3 builds the worker's ``AIOKafkaConsumer`` with ``fetch_max_wait_ms=1500``
written into the driver, with no setting for it. A broker that answers a fetch as soon as a
record arrives (Apache Kafka) only pays that wait when idle; the embedded broker (Tansu) does
not wake a waiting fetch when a record is produced, so a record waits a large part of the
fetch wait at every hop: one consumer of a 4-partition topic saw a record ~480 ms after its
ack at 1500 ms, ~65 ms at 500, ~17 ms at 100; the worker's hops took ~0.4-0.7 s at 1500 ms and
~40 ms at 100, and an article crosses six hops on its way to an alert.
"""

from __future__ import annotations

from typing import Any

from faust.transport.drivers import aiokafka as driver


class _ConsumerThread(driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> Any:
        consumer = super()._create_worker_consumer(transport)
        wait_ms = getattr(transport, "fetch_max_wait_ms", None)
        if wait_ms is not None:
            # aiokafka reads this attribute when start() builds its Fetcher, which comes later.
            if not hasattr(consumer, "_fetch_max_wait_ms") or consumer._fetcher is not None:
                raise RuntimeError(
                    "this aiokafka version takes the fetch wait differently; update streams/transport.py"
                )
            consumer._fetch_max_wait_ms = wait_ms
        return consumer


class _Consumer(driver.Consumer):
    def _new_consumer_thread(self) -> _ConsumerThread:
        return _ConsumerThread(self, loop=self.loop, beacon=self.beacon)


class Transport(driver.Transport):
    """The aiokafka transport whose worker consumer asks the broker to wait at most ``fetch_max_wait_ms``."""

    Consumer = _Consumer
    fetch_max_wait_ms: int | None = None


def use_fetch_wait(app: Any, fetch_max_wait_s: float) -> None:
    """Make ``app``'s consumer transport ask the broker to hold an empty fetch at most ``fetch_max_wait_s``."""
    transport = Transport(app.conf.broker_consumer, app)
    transport.fetch_max_wait_ms = max(1, round(fetch_max_wait_s * 1000))
    app.transport = transport
