"""The Grafana dashboards (monitoring/grafana) without servers: well-formed, on the provisioned
datasource, on the metrics contract, and valid PromQL (promtool).

tests/integration/test_dashboards_on_prometheus.py runs every query against a real Prometheus.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.monitoring.dashboards import (
    BUILTINS,
    DASHBOARD_FILES,
    DASHBOARD_PROVISIONING,
    DATASOURCE_PROVISIONING,
    Target,
    dashboards,
    panels,
    provisioned_datasource,
    query_panels,
    substitute,
    targets,
    variables_in,
)
from tests.monitoring.files import MONITORING, ROOT, run_tool
from tests.monitoring.test_contract import contract, exposed_names, recorded_names

EXPECTED = {"pipeline-health", "world-events", "alerts"}
# The values the static checks give the dashboard variables.
STATIC_VALUES = {**BUILTINS, "worker": ".*", "source": ".*"}
# Series of Prometheus itself a panel may read.
PROMETHEUS_SERIES = {"up"}

_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')
_BRACES = re.compile(r"\{[^{}]*\}")
_BRACKETS = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)")
_NAME = re.compile(r"(?<![\w:.])([A-Za-z_:][A-Za-z0-9_:]*)(?![\w:])(?!\s*\()")
_KEYWORDS = {"and", "or", "unless", "offset", "bool", "by", "without", "on", "ignoring", "group_left", "group_right"}
_KEYWORDS |= {"inf", "nan", "atan2"}
_FAUST_NAME = re.compile(r"`(faust_[a-z0-9_]+)`")


def series_names(expr: str) -> set[str]:
    """The series an expression selects (label matchers, label lists, ranges and functions removed)."""
    bare = _QUOTED.sub('""', expr)
    bare = _BRACES.sub(" ", bare)
    bare = _BRACKETS.sub(" ", bare)
    bare = _GROUPING.sub(" ", bare)
    return {name for name in _NAME.findall(bare) if name.lower() not in _KEYWORDS}


def faust_names() -> set[str]:
    """Faust sensor metric names README documents (in backticks), as exposed."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set(_FAUST_NAME.findall(text))
    return names | {f"{name}{suffix}" for name in names for suffix in ("_bucket", "_sum", "_count")}


ALL_TARGETS = targets()


def test_series_names_ignores_labels_functions_and_grouping() -> None:
    expr = (
        'histogram_quantile(0.99, sum by (stage, le) (rate(wirewatch_stage_duration_seconds_bucket{instance=~"$w",'
        ' x="up"}[5m]))) or on (stage) (stage:wirewatch_stage_messages_in:rate5m * 0) and up offset 5m'
    )
    assert series_names(expr) == {
        "wirewatch_stage_duration_seconds_bucket",
        "stage:wirewatch_stage_messages_in:rate5m",
        "up",
    }


def test_the_three_dashboards_exist_and_parse() -> None:
    assert {path.stem for path in DASHBOARD_FILES} == EXPECTED
    for stem, dashboard in dashboards().items():
        assert dashboard["uid"] == f"wirewatch-{stem}", stem
        assert dashboard["title"].startswith("Wirewatch / "), stem
        assert dashboard["schemaVersion"] >= 36, stem
        assert dashboard.get("id") is None, f"{stem}: a provisioned dashboard has no database id"


def test_dashboard_uids_are_unique() -> None:
    uids = [dashboard["uid"] for dashboard in dashboards().values()]
    assert len(uids) == len(set(uids)), uids


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_panel_ids_and_titles_are_unique(stem: str) -> None:
    dashboard = dashboards()[stem]
    ids = [panel["id"] for panel in panels(dashboard)]
    assert all(isinstance(panel_id, int) for panel_id in ids), ids
    assert len(ids) == len(set(ids)), f"{stem}: duplicate panel ids {sorted(ids)}"
    titles = [panel["title"] for panel in query_panels(dashboard)]
    assert len(titles) == len(set(titles)), f"{stem}: duplicate panel titles (the live test is named by them)"


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_panels_fit_the_grid(stem: str) -> None:
    for panel in panels(dashboards()[stem]):
        pos = panel["gridPos"]
        assert pos["x"] >= 0 and pos["w"] > 0 and pos["x"] + pos["w"] <= 24, (stem, panel["title"], pos)


def test_datasource_is_provisioned_with_a_fixed_uid() -> None:
    source = provisioned_datasource()
    assert source["uid"] == "wirewatch-prometheus"
    assert source["url"] == "http://prometheus:9090"
    assert source["type"] == "prometheus"


def test_dashboard_provider_loads_the_dashboards_folder() -> None:
    providers = yaml.safe_load(DASHBOARD_PROVISIONING.read_text(encoding="utf-8"))["providers"]
    (provider,) = providers
    assert provider["type"] == "file"
    path = provider["options"]["path"]
    readme = (MONITORING / "README.md").read_text(encoding="utf-8")
    assert f"monitoring/grafana/dashboards:{path}" in readme, "monitoring/README.md must show the mount of the folder"
    assert "monitoring/grafana/provisioning:/etc/grafana/provisioning" in readme
    assert DATASOURCE_PROVISIONING.is_file()


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_every_panel_and_query_uses_the_provisioned_datasource(stem: str) -> None:
    uid = provisioned_datasource()["uid"]
    dashboard = dashboards()[stem]
    for panel in query_panels(dashboard):
        assert panel.get("datasource", {}).get("uid") == uid, (stem, panel["title"])
        assert panel.get("targets"), f"{stem}: panel {panel['title']!r} has no query"
        for target in panel["targets"]:
            assert target.get("datasource", {}).get("uid") == uid, (stem, panel["title"], target.get("refId"))
            assert target.get("expr", "").strip(), (stem, panel["title"], target.get("refId"))
    for variable in dashboard["templating"]["list"]:
        if variable["type"] == "query":
            assert variable["datasource"]["uid"] == uid, (stem, variable["name"])


@pytest.mark.parametrize("stem", sorted(EXPECTED))
def test_variables_worker_and_source(stem: str) -> None:
    dashboard = dashboards()[stem]
    variables = {variable["name"]: variable for variable in dashboard["templating"]["list"]}
    worker = variables["worker"]
    assert worker["definition"] == "label_values(wirewatch_build_info, instance)"
    assert worker["multi"] and worker["includeAll"] and worker["allValue"] == ".*"
    used = set().union(
        *(variables_in(target["expr"]) for panel in query_panels(dashboard) for target in panel["targets"])
    )
    assert "worker" in used, f"{stem}: no query filters by $worker"
    assert used <= set(variables) | set(BUILTINS), (
        f"{stem}: undefined variables {used - set(variables) - set(BUILTINS)}"
    )
    if "source" in variables:
        assert variables["source"]["definition"].startswith("label_values(wirewatch_articles_total")
        assert variables["source"]["definition"].endswith(", source)")
        assert variables["source"]["multi"] and variables["source"]["includeAll"]
        assert "source" in used, f"{stem}: $source defined but never used"


@pytest.mark.parametrize("target", ALL_TARGETS, ids=lambda target: target.name)
def test_raw_metrics_are_filtered_by_worker(target: Target) -> None:
    """A raw metric carries the instance label and must follow $worker; recording rules sum over workers."""
    bare = _QUOTED.sub('""', target.expr)
    for match in re.finditer(r"(?<![\w:])([a-z_][a-z0-9_]*)(?![\w:])(\{[^}]*\})?(?!\s*\()", bare):
        name, matchers = match.groups()
        if name in exposed_names(contract()) or name.startswith("faust_") or name in PROMETHEUS_SERIES:
            assert matchers and "instance" in matchers, f"{target.name}: {name} not filtered by instance"
    for match in re.finditer(r'instance=~"([^"]*)"', target.expr):
        assert match.group(1) == "$worker", target.name


@pytest.mark.parametrize("target", ALL_TARGETS, ids=lambda target: target.name)
def test_queries_use_contract_metrics_recording_rules_or_documented_faust_metrics(target: Target) -> None:
    exposed = exposed_names(contract())
    recorded = recorded_names()
    faust = faust_names()
    names = series_names(substitute(target.expr, STATIC_VALUES))
    assert names, f"{target.name}: no series in {target.expr!r}"
    for name in names:
        if ":" in name:
            assert name in recorded, f"{target.name}: {name} is not a recording rule in monitoring/prometheus/rules"
        elif name.startswith("faust_"):
            assert name in faust, f"{target.name}: {name} is not a Faust sensor metric documented in README"
        else:
            assert name in exposed or name in PROMETHEUS_SERIES, (
                f"{target.name}: {name} is not a metric of README's Metrics table (as exposed)"
            )


def test_variable_queries_use_contract_metrics() -> None:
    exposed = exposed_names(contract())
    for stem, dashboard in dashboards().items():
        for variable in dashboard["templating"]["list"]:
            match = re.fullmatch(r"label_values\((\w+)(\{[^}]*\})?,\s*(\w+)\)", variable["definition"])
            assert match, (stem, variable["definition"])
            assert variable["query"] == variable["definition"], (stem, variable["name"])
            assert match.group(1) in exposed, (stem, variable["name"])


def test_geomap_looks_up_the_country_label_of_its_query() -> None:
    dashboard = dashboards()["world-events"]
    (geomap,) = (panel for panel in query_panels(dashboard) if panel["type"] == "geomap")
    (layer,) = geomap["options"]["layers"]
    assert layer["location"]["mode"] == "lookup"
    assert layer["location"]["gazetteer"] == "public/gazetteer/countries.json"
    field = layer["location"]["lookup"]
    (target,) = geomap["targets"]
    assert target["format"] == "table" and target["instant"]
    assert f"by ({field})" in target["expr"] and "wirewatch_events_by_country_total" in target["expr"]


def _rules_file(tmp_path: Path) -> tuple[Path, list[Target]]:
    rules: list[dict[str, Any]] = []
    for index, target in enumerate(ALL_TARGETS):
        rules.append({"record": f"dashboard_check_{index}", "expr": substitute(target.expr, STATIC_VALUES)})
    path = tmp_path / "dashboard_queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}, sort_keys=False))
    return path, ALL_TARGETS


def test_every_query_is_valid_promql(tmp_path: Path) -> None:
    """Each query (variables substituted) as a recording rule, parsed by `promtool check rules`."""
    path, checked = _rules_file(tmp_path)
    result = run_tool("promtool", "check", "rules", path)
    assert f"SUCCESS: {len(checked)} rules found" in result.stdout, result.stdout
