"""Topic provisioning before the worker subscribes.

Faust creates output topics only on first send, and a broker with automatic topic
creation (the embedded broker does it on any metadata request, with 4 partitions) may
create a source topic with the wrong partition count the moment an agent subscribes.
Tables are partition-local and Faust refuses a source topic whose partition count
differs from its table's changelog, so the worker creates every topic first and stops
with a clear message when an existing one does not match.
"""

from __future__ import annotations

import contextlib

from aiokafka.admin import NewTopic
from aiokafka.errors import TopicAlreadyExistsError

from streams.kafka import new_admin, start_client
from streams.settings import Settings

#: Internal topics, by suffix after the app id, with their fixed partition counts (None = configured).
CLEANED_SUFFIX = "articles-cleaned"
EVENTS_BY_DYAD_SUFFIX = "events-by-dyad"
EVENTS_FOR_ALERTS_SUFFIX = "events-for-alerts"
HAPPENINGS_BY_SUBJECT_SUFFIX = "happenings-by-subject"


class TopicMismatch(Exception):
    """An existing topic's partition count differs from what its tables need."""


def wanted_topics(settings: Settings) -> dict[str, int]:
    """Every topic the worker reads or writes, with the partitions it must have."""
    n = settings.partitions
    return {
        settings.topic_raw: n,
        settings.topic_clean: n,
        settings.topic_events: n,
        settings.topic_alerts: n,
        settings.topic_deadletter: n,
        # One partition: duplicate detection compares each article with every one seen.
        f"{settings.app_id}.{CLEANED_SUFFIX}": 1,
        f"{settings.app_id}.{EVENTS_BY_DYAD_SUFFIX}": n,
        f"{settings.app_id}.{EVENTS_FOR_ALERTS_SUFFIX}": n,
        f"{settings.app_id}.{HAPPENINGS_BY_SUBJECT_SUFFIX}": n,
    }


#: Topics whose partition count must equal the configured one (a table reads them).
def _copartitioned(settings: Settings) -> set[str]:
    return {
        settings.topic_clean,
        f"{settings.app_id}.{EVENTS_BY_DYAD_SUFFIX}",
        f"{settings.app_id}.{EVENTS_FOR_ALERTS_SUFFIX}",
        f"{settings.app_id}.{HAPPENINGS_BY_SUBJECT_SUFFIX}",
        f"{settings.app_id}.{CLEANED_SUFFIX}",
    }


async def ensure_topics(settings: Settings) -> list[str]:
    """Create the missing topics; raise TopicMismatch when a table's source topic has the wrong partitions."""
    wanted = wanted_topics(settings)
    admin = new_admin(settings)
    await start_client(admin, settings)
    try:
        existing = set(await admin.list_topics())
        missing = [t for t in wanted if t not in existing]
        if missing:
            with contextlib.suppress(TopicAlreadyExistsError):  # another worker won the race
                await admin.create_topics(
                    [
                        NewTopic(t, num_partitions=wanted[t], replication_factor=settings.replication_factor)
                        for t in missing
                    ]
                )
        check = [t for t in _copartitioned(settings) if t in existing]
        if check:
            for description in await admin.describe_topics(check):
                name, partitions = description["topic"], len(description["partitions"])
                if partitions != wanted[name]:
                    raise TopicMismatch(
                        f"T001: topic {name} has {partitions} partitions but needs {wanted[name]}; "
                        f"set WIREWATCH_PARTITIONS={partitions} (or recreate the topic)"
                        if wanted[name] == settings.partitions
                        else f"T001: topic {name} has {partitions} partitions but needs {wanted[name]}; recreate it"
                    )
        return missing
    finally:
        await admin.close()
