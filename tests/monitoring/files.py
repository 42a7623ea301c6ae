"""Paths and the promtool/amtool runner shared by the monitoring tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MONITORING = ROOT / "monitoring"
PROMETHEUS_CONFIG = MONITORING / "prometheus" / "prometheus.yml"
RULE_FILES = sorted((MONITORING / "prometheus" / "rules").glob("*.yml"))
RULE_TESTS = sorted((MONITORING / "prometheus" / "tests").glob("*.yml"))
ALERTMANAGER_CONFIG = MONITORING / "alertmanager" / "alertmanager.yml"


def require_tool(name: str) -> str:
    """The tool's path; without it skip, or fail under CI (`.ci/run` must have installed it)."""
    path = shutil.which(name)
    if path is None:
        reason = f"{name} not on PATH (Debian: apt-get install prometheus prometheus-alertmanager)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {reason}", pytrace=False)
        pytest.skip(reason)
    return path


def run_tool(name: str, *args: str | Path) -> subprocess.CompletedProcess[str]:
    """Run the tool from the repository root; fail with its output unless it exits 0."""
    command = [require_tool(name), *(str(arg) for arg in args)]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(command)} exited {result.returncode}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}",
            pytrace=False,
        )
    return result
