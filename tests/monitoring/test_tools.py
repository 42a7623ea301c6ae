"""The acceptance checks of monitoring/: promtool and amtool on every file, each must exit 0."""

from __future__ import annotations

import pytest
import yaml

from tests.monitoring.files import (
    ALERTMANAGER_CONFIG,
    PROMETHEUS_CONFIG,
    RULE_FILES,
    RULE_TESTS,
    run_tool,
)

# The Alertmanager receiver each alert severity must reach (monitoring/alertmanager/alertmanager.yml).
RECEIVER_OF_SEVERITY = {"critical": "pager", "warning": "tickets"}


def test_files_exist() -> None:
    assert PROMETHEUS_CONFIG.is_file()
    assert ALERTMANAGER_CONFIG.is_file()
    assert {path.name for path in RULE_FILES} >= {"alerts.yml", "recording.yml"}
    assert RULE_TESTS, "no promtool unit tests under monitoring/prometheus/tests"


def test_promtool_check_config() -> None:
    result = run_tool("promtool", "check", "config", "--lint=all", "--lint-fatal", PROMETHEUS_CONFIG)
    print(result.stdout)


def test_promtool_check_rules() -> None:
    result = run_tool("promtool", "check", "rules", "--lint=all", "--lint-fatal", *RULE_FILES)
    print(result.stdout)


def test_promtool_test_rules() -> None:
    result = run_tool("promtool", "test", "rules", *RULE_TESTS)
    print(result.stdout)


def test_amtool_check_config() -> None:
    result = run_tool("amtool", "check-config", ALERTMANAGER_CONFIG)
    print(result.stdout)


@pytest.mark.parametrize(("severity", "receiver"), sorted(RECEIVER_OF_SEVERITY.items()))
def test_amtool_routes_severity_to_its_receiver(severity: str, receiver: str) -> None:
    run_tool(
        "amtool",
        "config",
        "routes",
        "test",
        f"--config.file={ALERTMANAGER_CONFIG}",
        f"--verify.receivers={receiver}",
        f"severity={severity}",
        "alertname=WirewatchTest",
    )


def test_every_alert_has_a_routed_severity() -> None:
    rules = yaml.safe_load((PROMETHEUS_CONFIG.parent / "rules" / "alerts.yml").read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            if "alert" in rule:
                assert rule.get("labels", {}).get("severity") in RECEIVER_OF_SEVERITY, rule["alert"]
