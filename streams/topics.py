"""The topic plan, and creating and checking the topics against it.

``topic_plan`` is the one source of truth for every topic Wirewatch uses: the five public
topics, the internal topics between agents and the changelog topics of the Faust tables, each
with its partitions, replication factor and configs (cleanup policy, retention). ``wirewatch
topics create``, the worker's start-up (``ensure_topics``) and ``wirewatch topics check`` all
read it.

Faust creates output topics only on first send, and a broker with automatic topic creation
(the embedded broker does it on any metadata request, with 4 partitions) may create a source
topic with the wrong partition count the moment an agent subscribes. Tables are
partition-local and Faust refuses a source topic whose partition count differs from its
table's changelog, so the worker creates every topic first and stops with a clear message
when an existing one does not match. Faust creates a changelog only when it is missing, so
the ones created from the plan keep the plan's configs (which equal what Faust would set:
``compact``, and ``compact,delete`` with retention = the window's expiry for a windowed table).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from aiokafka.admin import AIOKafkaAdminClient, NewTopic
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streams.alerting.escalation import bucket_retention
from streams.alerting.rules import RuleSet, load_rules
from streams.kafka import new_admin, start_client
from streams.settings import Settings

#: Internal topics, by suffix after the app id (``<app_id>.<suffix>``).
CLEANED_SUFFIX = "articles-cleaned"
EVENTS_BY_DYAD_SUFFIX = "events-by-dyad"
EVENTS_FOR_ALERTS_SUFFIX = "events-for-alerts"
HAPPENINGS_BY_SUBJECT_SUFFIX = "happenings-by-subject"

#: Faust tables (streams/agents.py); Faust names their changelogs ``<app_id>-<table>-changelog``.
ALERT_BOOK = "alert-book"
REPORT_BOOK = "report-book"
STORY_BOOK = "story-book"
DUPLICATE_INDEX = "duplicate-index"
ESCALATION_BOOK = "escalation-book"
ESCALATION_BUCKETS = "escalation-buckets"  # windowed (tumbling, with expires); only when rules escalate

CLEANUP_POLICY = "cleanup.policy"
RETENTION_MS = "retention.ms"
#: The configs ``topics check`` compares (the plan sets no others).
CHECKED_CONFIGS = (CLEANUP_POLICY, RETENTION_MS)

Kind = Literal["public", "internal", "changelog"]


class TopicMismatch(Exception):
    """An existing topic's partition count differs from what its tables need."""


class TopicCreateError(Exception):
    """The broker refused to create a topic (other than: it exists already)."""


@dataclass(frozen=True)
class TopicSpec:
    """One planned topic."""

    name: str
    kind: Kind
    partitions: int
    replication_factor: int
    configs: Mapping[str, str]
    #: A table reads it or it is a changelog: another partition count stops the worker.
    strict: bool
    purpose: str

    def new_topic(self) -> NewTopic:
        return NewTopic(
            self.name,
            num_partitions=self.partitions,
            replication_factor=self.replication_factor,
            topic_configs=dict(self.configs),
        )


def changelog_name(settings: Settings, table: str) -> str:
    """The changelog topic Faust creates for ``table``."""
    return f"{settings.app_id}-{table}-changelog"


def internal_name(settings: Settings, suffix: str) -> str:
    return f"{settings.app_id}.{suffix}"


def _ms(seconds: float) -> str:
    return str(round(seconds * 1000))


def topic_plan(settings: Settings, rules: RuleSet | None = None) -> list[TopicSpec]:
    """Every topic the app uses, with partitions, replication factor and configs.

    ``rules`` defaults to ``load_rules(settings.rules_file)``: the escalation spec decides
    whether the windowed table exists and its changelog's retention.
    """
    if rules is None:
        rules = load_rules(settings.rules_file)
    n, rf = settings.partitions, settings.replication_factor

    def delete(seconds: float) -> dict[str, str]:
        return {CLEANUP_POLICY: "delete", RETENTION_MS: _ms(seconds)}

    def spec(name: str, kind: Kind, partitions: int, configs: dict[str, str], strict: bool, purpose: str) -> TopicSpec:
        return TopicSpec(name, kind, partitions, rf, configs, strict, purpose)

    hours, days = 3600.0, 86400.0
    public = delete(settings.retention_hours * hours)
    internal = delete(settings.internal_retention_hours * hours)
    window = bucket_retention(rules.escalation).total_seconds() if rules.escalation is not None else 0.0
    plan = [
        spec(settings.topic_raw, "public", n, public, False, "raw articles from scrapers"),
        spec(settings.topic_clean, "public", n, public, True, "cleaned articles; the extract agent reads it"),
        spec(settings.topic_events, "public", n, public, False, "coded events"),
        spec(settings.topic_alerts, "public", n, delete(settings.alerts_topic_retention_days * days), False, "alerts"),
        spec(
            settings.topic_deadletter,
            "public",
            n,
            delete(settings.deadletter_retention_days * days),
            False,
            "dead letters",
        ),
        # One partition: duplicate detection compares each article with every one seen.
        spec(internal_name(settings, CLEANED_SUFFIX), "internal", 1, internal, True, "cleaned, before dedup"),
        spec(internal_name(settings, EVENTS_BY_DYAD_SUFFIX), "internal", n, internal, True, "events by dyad"),
        spec(internal_name(settings, EVENTS_FOR_ALERTS_SUFFIX), "internal", n, internal, True, "events for alerts"),
        # Its records carry the event time (escalation windows count by it), which may be
        # hours old already: time-based retention also covers the window expiry.
        spec(
            internal_name(settings, HAPPENINGS_BY_SUBJECT_SUFFIX),
            "internal",
            n,
            delete(settings.internal_retention_hours * hours + window),
            True,
            "happenings by escalation subject",
        ),
    ]
    compact = {CLEANUP_POLICY: "compact"}
    tables = [
        (ALERT_BOOK, n, "alert book"),
        (REPORT_BOOK, n, "report book"),
        (STORY_BOOK, n, "story book"),
        (DUPLICATE_INDEX, 1, "duplicate index"),
        (ESCALATION_BOOK, n, "escalation book"),
    ]
    for table, partitions, purpose in tables:
        plan.append(spec(changelog_name(settings, table), "changelog", partitions, compact, True, purpose))
    if rules.escalation is not None:
        # What Faust sets for a windowed table's changelog: retention = the table's expires.
        windowed = {CLEANUP_POLICY: "compact,delete", RETENTION_MS: _ms(window)}
        plan.append(
            spec(
                changelog_name(settings, ESCALATION_BUCKETS),
                "changelog",
                n,
                windowed,
                True,
                "escalation window counts",
            )
        )
    return plan


def wanted_topics(settings: Settings) -> dict[str, int]:
    """Every planned topic with the partitions it must have."""
    return {t.name: t.partitions for t in topic_plan(settings)}


# -- the cluster ---------------------------------------------------------------------------------------------


@dataclass
class ExistingTopic:
    partitions: int
    replication_factor: int


async def _admin(settings: Settings, request_timeout_ms: int = 30_000) -> AIOKafkaAdminClient:
    admin = new_admin(settings, request_timeout_ms=request_timeout_ms)  # with the security settings
    await start_client(admin, settings)
    return admin


async def _describe(admin: AIOKafkaAdminClient, names: list[str]) -> dict[str, ExistingTopic]:
    """Partitions and replication factor of existing topics.

    Only ever called with listed topics: the embedded broker auto-creates a topic a metadata
    request names (with 4 partitions).
    """
    if not names:
        return {}
    found = {}
    for description in await admin.describe_topics(names):
        partitions = description["partitions"]
        rf = max((len(p["replicas"]) for p in partitions), default=0)
        found[description["topic"]] = ExistingTopic(len(partitions), rf)
    return found


@dataclass
class CreateResult:
    """What ``create_topics`` did with one planned topic."""

    spec: TopicSpec
    state: Literal["created", "exists", "would create"]
    existing: ExistingTopic | None = None

    @property
    def partitions_differ(self) -> bool:
        return self.existing is not None and self.existing.partitions != self.spec.partitions


async def create_topics(
    settings: Settings, *, dry_run: bool = False, plan: list[TopicSpec] | None = None
) -> list[CreateResult]:
    """Create the planned topics that do not exist (existing ones are left alone and described).

    ``dry_run`` creates nothing. (Not CreateTopics' ``validate_only``: the embedded broker
    creates the topic anyway.) Raises TopicCreateError when the broker refuses one.
    """
    plan = plan if plan is not None else topic_plan(settings)
    admin = await _admin(settings)
    try:
        listed = set(await admin.list_topics())
        results = {s.name: CreateResult(s, "exists") for s in plan if s.name in listed}
        missing = [s for s in plan if s.name not in listed]
        if missing and dry_run:
            results.update({s.name: CreateResult(s, "would create") for s in missing})
        elif missing:
            response = await admin.create_topics([s.new_topic() for s in missing])
            refused = []
            for name, code, message, *_ in response.topic_errors:
                if code == 0:
                    results[name] = CreateResult(next(s for s in missing if s.name == name), "created")
                elif code == 36:  # TOPIC_ALREADY_EXISTS: another worker won the race
                    results[name] = CreateResult(next(s for s in missing if s.name == name), "exists")
                else:
                    refused.append(f"{name}: error {code} {message or ''}".strip())
            if refused:
                raise TopicCreateError("T002: the broker refused to create " + "; ".join(refused))
        existing = await _describe(admin, [n for n, r in results.items() if r.state == "exists"])
        for name, found in existing.items():
            results[name].existing = found
        return [results[s.name] for s in plan]
    finally:
        await admin.close()


def mismatch_message(spec: TopicSpec, partitions: int, settings: Settings) -> str:
    if spec.partitions == settings.partitions:
        return (
            f"T001: topic {spec.name} has {partitions} partitions but needs {spec.partitions}; "
            f"set WIREWATCH_PARTITIONS={partitions} (or recreate the topic)"
        )
    return f"T001: topic {spec.name} has {partitions} partitions but needs {spec.partitions}; recreate it"


def strict_mismatches(results: list[CreateResult], settings: Settings) -> list[str]:
    """Messages for existing topics whose partition count would stop the worker."""
    return [
        mismatch_message(r.spec, r.existing.partitions, settings)
        for r in results
        if r.spec.strict and r.existing is not None and r.partitions_differ
    ]


async def ensure_topics(settings: Settings) -> list[str]:
    """Create the missing planned topics; raise TopicMismatch when a table's topic has the wrong partitions."""
    results = await create_topics(settings)
    problems = strict_mismatches(results, settings)
    if problems:
        raise TopicMismatch(problems[0])
    return [r.spec.name for r in results if r.state == "created"]


async def broker_count(settings: Settings) -> int:
    """Brokers the cluster's metadata lists (0 when nothing answers)."""
    admin = new_admin(settings, request_timeout_ms=5000)
    try:
        await admin.start()
        cluster = await admin.describe_cluster()
        return len(cluster.get("brokers", []))
    except Exception:  # noqa: BLE001 - not up yet: any connection or metadata error means "wait"
        return 0
    finally:
        await admin.close()


async def wait_for_brokers(settings: Settings, timeout: float, say: Any = print) -> bool:
    """Wait until the cluster lists ``replication_factor`` brokers (a topic with replication
    factor 3 cannot be created on fewer); False when they did not within ``timeout`` s."""
    deadline = time.monotonic() + timeout
    need = settings.replication_factor
    while True:
        found = await broker_count(settings)
        if found >= need:
            return True
        if time.monotonic() > deadline:
            say(f"{found} of {need} brokers at {settings.broker} after {timeout:.0f} s")
            return False
        say(f"waiting for brokers at {settings.broker} ({found} of {need})")
        await asyncio.sleep(2)


# -- drift ---------------------------------------------------------------------------------------------------


def _same_config(key: str, want: str, have: str | None) -> bool:
    if have is None:
        return False
    if key == CLEANUP_POLICY:
        return sorted(p.strip() for p in want.split(",")) == sorted(p.strip() for p in have.split(","))
    return want.strip() == have.strip()


@dataclass
class TopicDrift:
    """One planned topic compared with the cluster."""

    spec: TopicSpec
    existing: ExistingTopic | None
    configs: dict[str, str] | None  # None: the broker did not describe them
    problems: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.existing is None:
            return "missing"
        return "drift" if self.problems else "ok"

    def as_dict(self) -> dict[str, Any]:
        return {
            "topic": self.spec.name,
            "kind": self.spec.kind,
            "status": self.status,
            "partitions": {"want": self.spec.partitions, "have": self.existing and self.existing.partitions},
            "replication_factor": {
                "want": self.spec.replication_factor,
                "have": self.existing and self.existing.replication_factor,
            },
            "configs": {
                k: {"want": v, "have": None if self.configs is None else self.configs.get(k)}
                for k, v in self.spec.configs.items()
            },
            "problems": self.problems,
        }


@dataclass
class CheckReport:
    broker: str
    topics: list[TopicDrift]
    configs_checked: bool
    configs_note: str | None
    extra: list[str]

    @property
    def clean(self) -> bool:
        return all(t.status == "ok" for t in self.topics)

    def as_dict(self) -> dict[str, Any]:
        return {
            "broker": self.broker,
            "clean": self.clean,
            "drift": [t.spec.name for t in self.topics if t.status != "ok"],
            "configs_checked": self.configs_checked,
            "configs_note": self.configs_note,
            "topics": [t.as_dict() for t in self.topics],
            "extra": self.extra,
        }


async def _describe_configs(admin: AIOKafkaAdminClient, names: list[str]) -> tuple[dict[str, dict[str, str]], str]:
    """Topic configs by topic, and a note on what could not be described ("" when all were).

    Asks for every config of a topic: the embedded broker drops the connection when a
    DescribeConfigs request names config keys. It returns only the configs a topic was
    created with; Apache Kafka returns them all, defaults included.
    """
    if not names:
        return {}, ""
    try:
        responses = await admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, n) for n in names])
    except Exception as exc:  # noqa: BLE001 - unsupported or refused: report it, check the rest
        return {}, f"the broker did not answer DescribeConfigs ({type(exc).__name__}: {exc})"
    found: dict[str, dict[str, str]] = {}
    failed = []
    for response in responses:
        for resource in response.resources:
            error_code, error_message, _type, name, entries = resource[:5]
            if error_code:
                failed.append(f"{name}: error {error_code} {error_message or ''}".strip())
                continue
            found[name] = {entry[0]: entry[1] for entry in entries if entry[1] is not None}
    return found, ("DescribeConfigs failed for " + "; ".join(failed)) if failed else ""


async def check_topics(settings: Settings, plan: list[TopicSpec] | None = None) -> CheckReport:
    """Compare the cluster with the plan: missing topics, partitions, replication factor, configs."""
    plan = plan if plan is not None else topic_plan(settings)
    admin = await _admin(settings)
    try:
        listed = set(await admin.list_topics())
        present = [s.name for s in plan if s.name in listed]
        existing = await _describe(admin, present)
        configs, note = await _describe_configs(admin, present)
    finally:
        await admin.close()
    drifts = []
    for spec in plan:
        found = existing.get(spec.name)
        have_configs = configs.get(spec.name) if found is not None else None
        drift = TopicDrift(spec, found, have_configs)
        if found is None:
            drift.problems.append("missing")
        else:
            if found.partitions != spec.partitions:
                drift.problems.append(f"partitions {found.partitions}, plan {spec.partitions}")
            if found.replication_factor != spec.replication_factor:
                drift.problems.append(f"replication factor {found.replication_factor}, plan {spec.replication_factor}")
            if have_configs is not None:
                for key, want in spec.configs.items():
                    have = have_configs.get(key)
                    if not _same_config(key, want, have):
                        drift.problems.append(f"{key} {have if have is not None else '(not set)'}, plan {want}")
        drifts.append(drift)
    planned = {s.name for s in plan}
    prefixes = (f"{settings.app_id}.", f"{settings.app_id}-")
    extra = sorted(t for t in listed if t.startswith(prefixes) and t not in planned)
    return CheckReport(
        broker=settings.broker,
        topics=drifts,
        configs_checked=bool(present) and not note,
        configs_note=note or None,
        extra=extra,
    )


def human_ms(value: str | None) -> str:
    """``604800000`` → ``7d``, ``90300000`` → ``1d1h5m``; other values as they are."""
    if value is None:
        return "-"
    try:
        ms = int(value)
    except ValueError:
        return value
    if ms <= 0 or ms % 1000:
        return f"{ms}ms"
    parts, rest = [], ms // 1000
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)):
        if rest >= size:
            parts.append(f"{rest // size}{unit}")
            rest %= size
    return "".join(parts)
