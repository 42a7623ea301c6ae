"""Hypothesis profiles for the property tests: ``ci`` (default, small and quick) and ``fuzz`` (in depth).

``HYPOTHESIS_PROFILE=fuzz pytest tests/properties`` runs every property ``strategies.FUZZ_FACTOR``
times as often, without the per-example deadline noise of a loaded machine being a failure.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    deadline=5_000,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "fuzz",
    deadline=10_000,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def nlp_loaded() -> None:
    """Load the NLP model and gazetteers before a timed example (loading takes seconds)."""
    from streams.extraction.stage import warm_up

    warm_up()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Under the ``fuzz`` profile a property runs for minutes: no per-test timeout for these."""
    if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz":
        for item in items:
            if "properties" in item.path.parts:
                item.add_marker(pytest.mark.timeout(0))
