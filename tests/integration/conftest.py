"""Module-scoped real services: one embedded broker and one worker per test module (groups are slow to form)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from streams.broker import EmbeddedBroker, free_port
from tests.integration.harness import WorkerProcess, worker_running


@pytest.fixture(scope="module")
def broker() -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(port=free_port()) as embedded:
        yield embedded


@pytest.fixture(scope="module")
def worker(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    with worker_running(broker.bootstrap, tmp_path_factory.mktemp("worker")) as process:
        yield process
