"""One-shot topic provisioning for docker compose (service ``topics`` in docker/compose.yaml).

Waits until the cluster has at least ``WIREWATCH_REPLICATION_FACTOR`` brokers (the three-broker
profile starts them together; a topic with replication factor 3 cannot be created on fewer),
then creates every topic Wirewatch reads or writes with ``WIREWATCH_PARTITIONS`` and that
replication factor, exactly as ``wirewatch worker`` does before it subscribes
(``streams.topics.ensure_topics``). Provisioning first means N workers started together do not
race to create them. Exit status 0 when every topic exists with the partitions its tables need,
1 on a mismatch (the message names the fix), 2 when the brokers did not answer in time.

Run inside the Wirewatch image: ``python /opt/venv/share/wirewatch/provision_topics.py [--timeout S]``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from streams.kafka import new_admin
from streams.settings import Settings
from streams.topics import TopicMismatch, ensure_topics, wanted_topics


async def broker_count(settings: Settings) -> int:
    """Brokers the cluster's metadata lists (0 when nothing answers)."""
    admin = new_admin(settings, request_timeout_ms=5000)  # with the TLS/SASL settings
    try:
        await admin.start()
        cluster = await admin.describe_cluster()
        return len(cluster.get("brokers", []))
    except Exception:  # noqa: BLE001 - not up yet: any connection or metadata error means "wait"
        return 0
    finally:
        await admin.close()


async def provision(settings: Settings, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    need = settings.replication_factor
    while True:
        found = await broker_count(settings)
        if found >= need:
            break
        if time.monotonic() > deadline:
            print(f"topics: {found} of {need} brokers at {settings.broker} after {timeout:.0f} s", file=sys.stderr)
            return 2
        print(f"topics: waiting for brokers at {settings.broker} ({found} of {need})", flush=True)
        await asyncio.sleep(2)
    try:
        created = await ensure_topics(settings)
    except TopicMismatch as exc:
        print(f"topics: {exc}", file=sys.stderr)
        return 1
    wanted = wanted_topics(settings)
    for topic in sorted(wanted):
        state = "created" if topic in created else "exists"
        print(f"topics: {topic} partitions={wanted[topic]} rf={settings.replication_factor} {state}", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=180.0, help="Seconds to wait for the brokers.")
    args = parser.parse_args(argv)
    return asyncio.run(provision(Settings(), args.timeout))


if __name__ == "__main__":
    sys.exit(main())
