"""docker/.env.example, generated from ``Settings.model_fields`` so no setting is missing.

    python -m tests.docker.env_example > docker/.env.example

``tests/docker/test_compose.py`` fails when the committed file differs from what this prints
(a setting added, a default or a docstring changed, a compose variable added).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from streams.settings import Settings

#: Values compose runs with where they differ from the Settings default, and why.
COMPOSE_VALUES: dict[str, tuple[str, str]] = {
    "broker": ("kafka://kafka:19092", "the compose service; docker/kafka-3.env lists three brokers"),
    "web_host": ("0.0.0.0", "fixed in compose.yaml: Prometheus scrapes from another container"),
    "web_port": ("6066", "fixed in compose.yaml: Prometheus scrapes `worker` on 6066"),
    "data_dir": ("/var/lib/wirewatch", "fixed in compose.yaml: the image's state directory, owned by its user"),
}

HEADER = """\
# Settings of the Wirewatch containers in docker/compose.yaml.
#
# The workers (and the one-shot `topics` service) read this file as their env_file, then
# docker/.env when it exists: `cp docker/.env.example docker/.env` and edit the copy. Docker
# Compose also reads docker/.env for the ${VARIABLES} of compose.yaml (last section).
# Generated from streams/settings.py: python -m tests.docker.env_example > docker/.env.example
# (tests/docker fails when it drifts). Each setting: what it is, its Settings default; a line
# left commented out keeps the default (unset, for the optional files and the webhook).
# A file setting (rules, actors, patterns) names a path inside the container: mount the file
# with a compose override (docker compose -f docker/compose.yaml -f my-override.yaml up).
"""

COMPOSE_SECTION = """\

# --- docker compose: variables of docker/compose.yaml (read from docker/.env) -------------
# Profiles: ui (Kafka UI on KAFKA_UI_PORT); kafka-3 (use docker/kafka-3.env, which sets it).
# COMPOSE_PROFILES=ui

# Images, each pinned to a version (tests/docker refuses `latest` and untagged images).
WIREWATCH_IMAGE=wirewatch:0.1.0
KAFKA_IMAGE=apache/kafka:3.9.1
PROMETHEUS_IMAGE=prom/prometheus:v3.5.0
ALERTMANAGER_IMAGE=prom/alertmanager:v0.28.1
GRAFANA_IMAGE=grafana/grafana:11.6.0
KAFKA_UI_IMAGE=kafbat/kafka-ui:v1.1.0
# the alert-receiver's image (the Dockerfile's base)
PYTHON_IMAGE=python:3.11.13-slim-bookworm

# Host ports, published on 127.0.0.1 only.
KAFKA_PORT=9092
KAFKA_2_PORT=29092
KAFKA_3_PORT=39092
PROMETHEUS_PORT=9090
ALERTMANAGER_PORT=9093
GRAFANA_PORT=3000
KAFKA_UI_PORT=8080

# Kafka (KRaft). The cluster id is 16 bytes, base64url without padding; every node shares it.
KAFKA_CLUSTER_ID=d2lyZXdhdGNoLWthZmthMQ
# replication of Kafka's own topics (consumer offsets, transactions) and of auto-created ones
KAFKA_REPLICATION_FACTOR=1
KAFKA_MIN_INSYNC_REPLICAS=1
# node 1's controller quorum; docker/kafka-3.env names all three nodes
KAFKA_CONTROLLER_QUORUM_VOTERS=1@kafka:9093
# node 1's data volume; docker/kafka-3.env gives it another, formatted for the three-node quorum
KAFKA_DATA_VOLUME=kafka-data
KAFKA_UI_BOOTSTRAP_SERVERS=kafka:19092

# Prometheus and Grafana.
PROMETHEUS_RETENTION=15d
GRAFANA_ADMIN_USER=admin
GRAFANA_ADMIN_PASSWORD=admin
# anonymous visitors see the dashboards as Viewer; false: log in
GRAFANA_ANONYMOUS_ENABLED=true
"""


def default_text(value: Any) -> str | None:
    """A default as it is written in an environment file; None when the setting is unset."""
    if value is None:
        return None
    if isinstance(value, SecretStr):
        return value.get_secret_value()
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, Path):
        return str(value)
    return str(value)


def first_sentence(description: str) -> str:
    text = " ".join(description.split()).replace("``", "`")
    match = re.match(r"(.+?\.)(\s|$)", text)
    return match.group(1) if match else text


def render() -> str:
    lines = [HEADER]
    for name, field in Settings.model_fields.items():
        variable = f"WIREWATCH_{name.upper()}"
        default = default_text(field.default)
        comment = (
            f"# {first_sentence(field.description or name)} Default: {default if default is not None else 'unset'}."
        )
        lines.append(comment)
        if name in COMPOSE_VALUES:
            value, why = COMPOSE_VALUES[name]
            lines.append(f"# In compose: {value} ({why}).")
            lines.append(f"{variable}={value}")
        elif default is None:
            lines.append(f"# {variable}=")
        else:
            lines.append(f"{variable}={default}")
    return "\n".join(lines) + "\n" + COMPOSE_SECTION


if __name__ == "__main__":
    print(render(), end="")
