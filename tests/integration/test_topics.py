"""Topic provisioning: every planned topic created with its partitions and configs, idempotently;
a mismatch stops the worker early; `wirewatch topics create` and `check` on the embedded broker;
a running worker leaves the cluster as planned."""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator

import pytest
from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType
from click.testing import CliRunner, Result

from streams.broker import EmbeddedBroker
from streams.cli import main as cli_main
from streams.settings import Settings
from streams.topics import TopicMismatch, TopicSpec, check_topics, ensure_topics, topic_plan, wanted_topics
from tests.integration.harness import WorkerProcess, start_worker, worker_env

pytestmark = pytest.mark.integration


async def _partitions(bootstrap: str, topics: list[str]) -> dict[str, int]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return {d["topic"]: len(d["partitions"]) for d in await admin.describe_topics(topics)}
    finally:
        await admin.close()


def test_every_topic_is_created_with_its_partitions_once(broker: EmbeddedBroker) -> None:
    settings = Settings(broker=broker.url, app_id="topics-a", partitions=3)
    wanted = wanted_topics(settings)
    assert set(asyncio.run(ensure_topics(settings))) == set(wanted)
    assert asyncio.run(_partitions(broker.bootstrap, list(wanted))) == wanted
    assert asyncio.run(ensure_topics(settings)) == []


def test_source_topic_with_other_partitions_is_refused_with_the_fix(broker: EmbeddedBroker) -> None:
    settings = Settings(broker=broker.url, app_id="topics-b", topic_clean="clean-b", partitions=2)

    async def precreate() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
        await admin.start()
        await admin.create_topics([NewTopic("clean-b", num_partitions=4, replication_factor=1)])
        await admin.close()

    asyncio.run(precreate())
    with pytest.raises(TopicMismatch, match="clean-b has 4 partitions but needs 2; set WIREWATCH_PARTITIONS=4"):
        asyncio.run(ensure_topics(settings))


# -- wirewatch topics create / check ------------------------------------------------------------------------


def _env(prefix: str, **extra: str) -> dict[str, str]:
    """Settings of one test's own topics on the shared broker (public topic names included)."""
    return {
        "WIREWATCH_APP_ID": prefix,
        "WIREWATCH_TOPIC_RAW": f"{prefix}.raw",
        "WIREWATCH_TOPIC_CLEAN": f"{prefix}.clean",
        "WIREWATCH_TOPIC_EVENTS": f"{prefix}.events",
        "WIREWATCH_TOPIC_ALERTS": f"{prefix}.alerts",
        "WIREWATCH_TOPIC_DEADLETTER": f"{prefix}.deadletter",
        "WIREWATCH_PARTITIONS": "2",
        **extra,
    }


def _cli(broker: EmbeddedBroker, monkeypatch: pytest.MonkeyPatch, env: dict[str, str], *args: str) -> Result:
    for key in [k for k in os.environ if k.startswith("WIREWATCH_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("WIREWATCH_BROKER", broker.url)  # restored after the test (the CLI sets it too)
    return CliRunner().invoke(cli_main, ["topics", *args, "--broker", broker.url])


async def _configs(bootstrap: str, topics: list[str]) -> dict[str, dict[str, str]]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, t) for t in topics])
        return {r[3]: {e[0]: e[1] for e in r[4]} for response in responses for r in response.resources}
    finally:
        await admin.close()


async def _listed(bootstrap: str) -> set[str]:
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        return set(await admin.list_topics())
    finally:
        await admin.close()


def _plan(env: dict[str, str], broker: EmbeddedBroker) -> list[TopicSpec]:
    fields = {k.removeprefix("WIREWATCH_").lower(): v for k, v in env.items()}
    return topic_plan(Settings(broker=broker.url, **fields))  # type: ignore[arg-type]


def test_topics_create_makes_the_plan_once_and_check_is_clean(
    broker: EmbeddedBroker, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = _env("cli-a")
    plan = _plan(env, broker)
    names = [t.name for t in plan]
    assert len(names) == 15

    dry = _cli(broker, monkeypatch, env, "create", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "15 would create, 0 existed" in dry.output
    assert not set(names) & asyncio.run(_listed(broker.bootstrap)), "--dry-run created topics"

    missing = _cli(broker, monkeypatch, env, "check", "--json")
    assert missing.exit_code == 1
    assert json.loads(missing.output.splitlines()[-1])["drift"] == names

    created = _cli(broker, monkeypatch, env, "create")
    assert created.exit_code == 0, created.output
    assert "15 created, 0 existed" in created.output
    assert asyncio.run(_partitions(broker.bootstrap, names)) == {t.name: t.partitions for t in plan}
    assert asyncio.run(_configs(broker.bootstrap, names)) == {t.name: dict(t.configs) for t in plan}

    again = _cli(broker, monkeypatch, env, "create")
    assert again.exit_code == 0, again.output
    assert "0 created, 15 existed" in again.output

    check = _cli(broker, monkeypatch, env, "check", "--json")
    assert check.exit_code == 0, check.output
    report = json.loads(check.output.splitlines()[-1])
    assert report["clean"] and report["configs_checked"] and report["drift"] == [] and report["extra"] == []
    assert "15 of 15 topics match the plan" in check.output


def test_check_names_each_drifting_topic(broker: EmbeddedBroker, monkeypatch: pytest.MonkeyPatch) -> None:
    env = _env("cli-b")

    async def by_hand() -> None:
        admin = AIOKafkaAdminClient(bootstrap_servers=broker.bootstrap)
        await admin.start()
        try:
            await admin.create_topics(
                [
                    NewTopic("cli-b.clean", num_partitions=3, replication_factor=1),  # plan: 2, a table reads it
                    NewTopic("cli-b.events", num_partitions=2, replication_factor=1),  # no configs
                    NewTopic(  # the embedded broker allows replication factor 3
                        "cli-b.alerts",
                        num_partitions=2,
                        replication_factor=3,
                        topic_configs={"cleanup.policy": "delete", "retention.ms": str(30 * 86_400_000)},
                    ),
                    NewTopic("cli-b-old-table-changelog", num_partitions=2, replication_factor=1),
                ]
            )
        finally:
            await admin.close()

    asyncio.run(by_hand())
    created = _cli(broker, monkeypatch, env, "create")
    assert created.exit_code == 1, created.output  # the worker would refuse cli-b.clean
    assert "12 created, 3 existed" in created.output
    assert "T001: topic cli-b.clean has 3 partitions but needs 2; set WIREWATCH_PARTITIONS=3" in created.output

    check = _cli(broker, monkeypatch, env, "check", "--json")
    assert check.exit_code == 1, check.output
    report = json.loads(check.output.splitlines()[-1])
    assert report["drift"] == ["cli-b.clean", "cli-b.events", "cli-b.alerts"]
    problems = {t["topic"]: t["problems"] for t in report["topics"] if t["problems"]}
    assert problems["cli-b.clean"][0] == "partitions 3, plan 2"
    assert problems["cli-b.events"] == [
        "cleanup.policy (not set), plan delete",
        "retention.ms (not set), plan 604800000",
    ]
    assert problems["cli-b.alerts"] == ["replication factor 3, plan 1"]
    assert report["extra"] == ["cli-b-old-table-changelog"]
    assert "drift cli-b.clean: partitions 3, plan 2" in check.output
    assert "12 of 15 topics match the plan" in check.output


@pytest.fixture(scope="module")
def planned_worker(broker: EmbeddedBroker, tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    tmp = tmp_path_factory.mktemp("planned-worker")
    env = worker_env(broker.bootstrap, tmp, app_prefix="topics-w")
    env.update(_env(env["WIREWATCH_APP_ID"], WIREWATCH_PARTITIONS="2"))
    process = start_worker(env, tmp)
    try:
        process.wait_ready()
        yield process
    finally:
        process.stop()


def test_a_running_worker_leaves_the_cluster_as_planned(broker: EmbeddedBroker, planned_worker: WorkerProcess) -> None:
    """The worker creates the plan at start; Faust then finds every changelog and source topic
    and creates none of its own (a changelog named otherwise would show up as extra)."""
    fields = {
        k.removeprefix("WIREWATCH_").lower(): v for k, v in planned_worker.env.items() if k.startswith("WIREWATCH_")
    }
    report = asyncio.run(check_topics(Settings(**fields)))  # type: ignore[arg-type]
    assert report.clean and report.configs_checked, report.as_dict()
    assert report.extra == []
