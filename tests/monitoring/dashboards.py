"""The Grafana dashboards and provisioning under monitoring/grafana, read for the tests.

Shared by the static checks (tests/monitoring/test_dashboards.py) and the run against a real
Prometheus (tests/integration/test_dashboards_on_prometheus.py).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tests.monitoring.files import MONITORING

GRAFANA = MONITORING / "grafana"
DASHBOARD_FILES = sorted((GRAFANA / "dashboards").glob("*.json"))
DATASOURCE_PROVISIONING = GRAFANA / "provisioning" / "datasources" / "prometheus.yml"
DASHBOARD_PROVISIONING = GRAFANA / "provisioning" / "dashboards" / "dashboards.yml"

# What Grafana puts in for its built-in variables when the static checks validate the PromQL.
BUILTINS = {"__rate_interval": "5m", "__interval": "1m", "__range": "1h"}
# `$name`, `${name}`, `${name:format}`, `[[name]]`.
_VARIABLE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]")


@dataclass(frozen=True)
class Target:
    """One query of one panel."""

    dashboard: str  # file stem
    panel_id: int
    panel_title: str
    panel_type: str
    ref_id: str
    expr: str
    instant: bool

    @property
    def name(self) -> str:
        return f"{self.dashboard}/{self.panel_title}/{self.ref_id}"


def load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def dashboards() -> dict[str, dict[str, Any]]:
    """File stem → dashboard JSON model."""
    return {path.stem: load(path) for path in DASHBOARD_FILES}


def panels(dashboard: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Every panel, rows and the panels inside collapsed rows included."""
    for panel in dashboard.get("panels", []):
        yield panel
        yield from panel.get("panels", [])


def query_panels(dashboard: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
    """Panels that query a datasource (every panel but rows)."""
    return (panel for panel in panels(dashboard) if panel.get("type") != "row")


def targets() -> list[Target]:
    found = []
    for stem, dashboard in dashboards().items():
        for panel in query_panels(dashboard):
            for target in panel.get("targets", []):
                found.append(
                    Target(
                        dashboard=stem,
                        panel_id=panel["id"],
                        panel_title=panel["title"],
                        panel_type=panel["type"],
                        ref_id=target.get("refId", ""),
                        expr=target.get("expr", ""),
                        instant=bool(target.get("instant")) and not target.get("range"),
                    )
                )
    return found


def variables_in(expr: str) -> set[str]:
    return {next(group for group in match.groups() if group) for match in _VARIABLE.finditer(expr)}


def substitute(expr: str, values: Mapping[str, str]) -> str:
    """``expr`` with every variable replaced by ``values`` (KeyError for one it does not name)."""

    def replace(match: re.Match[str]) -> str:
        name = next(group for group in match.groups() if group)
        return values[name]

    return _VARIABLE.sub(replace, expr)


def provisioned_datasource() -> dict[str, Any]:
    """The Prometheus datasource Grafana is provisioned with."""
    sources = yaml.safe_load(DATASOURCE_PROVISIONING.read_text(encoding="utf-8"))["datasources"]
    (prometheus,) = (source for source in sources if source["type"] == "prometheus")
    return prometheus
