"""The rules cannot drift from the metrics contract (README "## Metrics") or from their tests.

No promtool needed: these read the YAML files and the README.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.monitoring.files import MONITORING, ROOT, RULE_FILES, RULE_TESTS

# `| `wirewatch_x_total` | counter | labels | meaning |`
_TABLE_ROW = re.compile(r"^\|\s*`(wirewatch_[a-z0-9_]+)`\s*\|\s*(counter|gauge|histogram|summary)\s*\|", re.MULTILINE)
_IDENTIFIER = re.compile(r"[A-Za-z_:][A-Za-z0-9_:]*")
_QUOTED = re.compile(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`')


def contract() -> dict[str, str]:
    """README's Metrics table: metric name → type."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Metrics\n", 1)[1].split("\n## ", 1)[0]
    metrics = dict(_TABLE_ROW.findall(section))
    assert metrics, "no metrics table under '## Metrics' in README.md"
    return metrics


def exposed_names(metrics: dict[str, str]) -> set[str]:
    """The series names the workers expose: histograms as _bucket/_sum/_count, the rest as named."""
    names: set[str] = set()
    for name, kind in metrics.items():
        if kind == "histogram":
            names |= {f"{name}_bucket", f"{name}_sum", f"{name}_count"}
        else:
            names.add(name)
    return names


def rules() -> list[dict[str, Any]]:
    found = []
    for path in RULE_FILES:
        for group in yaml.safe_load(path.read_text(encoding="utf-8"))["groups"]:
            found.extend(group["rules"])
    return found


def recorded_names() -> set[str]:
    return {rule["record"] for rule in rules() if "record" in rule}


def names_in(expr: str) -> set[str]:
    """Series names an expression selects that belong to Wirewatch (label values ignored)."""
    bare = _QUOTED.sub('""', expr)
    return {name for name in _IDENTIFIER.findall(bare) if "wirewatch_" in name}


def test_names_in_parses_selectors_not_label_values() -> None:
    expr = 'sum by (rule) (increase(wirewatch_alerts_total{severity="critical", x="wirewatch_fake"}[5m])) > 0'
    assert names_in(expr) == {"wirewatch_alerts_total"}
    assert names_in("topic:wirewatch_consumer_lag:sum > 1000") == {"topic:wirewatch_consumer_lag:sum"}


def test_contract_table_is_read() -> None:
    metrics = contract()
    assert metrics["wirewatch_stage_duration_seconds"] == "histogram"
    assert metrics["wirewatch_consumer_lag"] == "gauge"
    assert all(name.endswith("_total") for name, kind in metrics.items() if kind == "counter")


@pytest.mark.parametrize("rule", rules(), ids=lambda rule: rule.get("alert") or rule.get("record"))
def test_rule_uses_only_contract_metrics_and_recorded_series(rule: dict[str, Any]) -> None:
    exposed = exposed_names(contract())
    recorded = recorded_names()
    for name in names_in(rule["expr"]):
        if ":" in name:
            assert name in recorded, f"{name} is not a recording rule in monitoring/prometheus/rules"
        else:
            assert name in exposed, f"{name} is not a metric of README's Metrics table (as exposed)"


@pytest.mark.parametrize("name", sorted(recorded_names()))
def test_recorded_name_is_level_metric_operations_of_a_contract_metric(name: str) -> None:
    metrics = contract()
    exposed = exposed_names(metrics)
    level, metric, operations = name.split(":")  # exactly two colons
    assert level and operations, name
    assert metric in exposed or f"{metric}_total" in exposed or metric in metrics, (
        f"{name}: {metric} is not a metric of README's Metrics table"
    )


def test_every_recorded_name_is_listed_in_monitoring_readme() -> None:
    readme = (MONITORING / "README.md").read_text(encoding="utf-8")
    missing = sorted(name for name in recorded_names() if f"`{name}`" not in readme)
    assert not missing, f"monitoring/README.md does not list {missing}"


def test_every_alert_has_severity_summary_and_description() -> None:
    for rule in rules():
        if "alert" in rule:
            assert rule.get("labels", {}).get("severity"), rule["alert"]
            annotations = rule.get("annotations", {})
            assert annotations.get("summary") and annotations.get("description"), rule["alert"]


def unit_tests() -> list[dict[str, Any]]:
    cases = []
    for path in RULE_TESTS:
        for test in yaml.safe_load(Path(path).read_text(encoding="utf-8"))["tests"]:
            cases.extend(test.get("alert_rule_test", []))
    return cases


@pytest.mark.parametrize("alert", sorted({rule["alert"] for rule in rules() if "alert" in rule}))
def test_every_alert_is_unit_tested_firing_and_quiet(alert: str) -> None:
    cases = [case for case in unit_tests() if case["alertname"] == alert]
    assert any(case.get("exp_alerts") for case in cases), f"no promtool test where {alert} fires"
    assert any(not case.get("exp_alerts") for case in cases), f"no promtool test where {alert} stays quiet"


def test_every_alert_severity_is_tested() -> None:
    fired = {
        (case["alertname"], expected["exp_labels"].get("severity"))
        for case in unit_tests()
        for expected in case.get("exp_alerts") or []
    }
    for rule in rules():
        if "alert" in rule:
            assert (rule["alert"], rule["labels"]["severity"]) in fired, (
                f"no promtool test where {rule['alert']} fires at severity {rule['labels']['severity']}"
            )
