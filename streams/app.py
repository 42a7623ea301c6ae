"""The Faust application: settings → app, topics and agents. ``faust -A streams.app`` works too."""

from __future__ import annotations

import logging

import faust

from streams.agents import register_agents
from streams.lifecycle import worker_class
from streams.metrics import PipelineMetrics
from streams.probes import install_pages
from streams.security import faust_credentials
from streams.settings import Settings, get_settings
from streams.transport import use_fetch_limits


def create_app(settings: Settings) -> faust.App:
    """A Faust app configured from ``settings``, with the agents and ``/metrics``."""
    app = faust.App(
        settings.app_id,
        broker=settings.broker,
        broker_credentials=faust_credentials(settings),  # TLS/SASL for every client Faust makes
        value_serializer="raw",
        key_serializer="raw",
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        processing_guarantee=settings.processing_guarantee,
        store=settings.table_store,
        datadir=str(settings.data_dir),
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_bind=settings.web_host,
        producer_max_batch_size=settings.producer_max_batch_bytes,
        producer_max_request_size=max(settings.max_message_bytes * 2, 1_048_576),
        consumer_max_fetch_size=max(settings.max_message_bytes * 4, 4_194_304),
        # Read-ahead per agent, in records: Faust's 4096 would hold a whole backlog in memory when
        # the agents are held back (a broker slow to take the outputs), ~4 GB of 1 MB articles.
        stream_buffer_maxsize=settings.stream_buffer_messages,
        broker_max_poll_records=settings.max_poll_records,
        # NLP on a long article can take seconds; keep the group from evicting a busy worker.
        broker_max_poll_interval=max(300.0, settings.stage_timeout_s * 10),
        stream_processing_timeout=max(300.0, settings.stage_timeout_s * 10),
        broker_session_timeout=settings.session_timeout_s,
        broker_rebalance_timeout=settings.rebalance_timeout_s,
        broker_heartbeat_interval=min(3.0, settings.session_timeout_s / 3),
        topic_disable_leader=True,
        web_enabled=True,
        Worker=worker_class(settings.shutdown_grace_s),  # SIGTERM: bounded graceful shutdown
    )
    use_fetch_limits(app, settings.fetch_max_wait_s, settings.fetch_max_bytes)  # before anything reaches app.transport
    metrics = PipelineMetrics(max_sources=settings.metrics_max_sources, max_dyads=settings.metrics_max_dyads)
    register_agents(app, settings, metrics)
    install_pages(app, metrics)  # /metrics (ours and Faust's sensor), /healthz, /readyz

    logging.getLogger("streams").setLevel(settings.log_level.upper())
    return app


app = create_app(get_settings())
