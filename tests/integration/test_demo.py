"""`wirewatch demo --once` (the README's demo command) starts its own broker and prints the seed's story."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from streams.broker import free_port
from streams.corpus import sample_payloads

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    env |= {
        "WIREWATCH_BROKER": f"kafka://127.0.0.1:{free_port()}",  # nothing answers: the demo starts a broker
        "WIREWATCH_WEB_PORT": str(free_port()),
        "WIREWATCH_DATA_DIR": str(tmp_path_factory.mktemp("demo")),
    }
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "demo", "--once", "--timeout", "240"],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_demo_starts_an_embedded_broker_and_says_where_metrics_are(demo_output: str) -> None:
    assert "started the embedded broker" in demo_output
    assert "/metrics" in demo_output


def test_demo_prints_the_seed_events(demo_output: str) -> None:
    lines = demo_output.splitlines()
    assert any("Discuss by telephone" in line and "Vladimir Putin" in line for line in lines)
    assert any("Criticize or denounce" in line and "[RUSGOV]" in line and "Israel" in line for line in lines)
    # One story, whichever outlet's report reached the story step first (partition order): its first
    # report gives the printed code and source ("Israel [ISR]" 195, or an Israeli military 19x).
    rows = [line.split() for line in lines if line.startswith("event")]
    assert any(row[2].startswith("19") and "[ISR" in " ".join(row) and "Iran" in " ".join(row) for row in rows), [
        " ".join(row) for row in rows if row[2].startswith("19")
    ]


def test_demo_prints_the_nuclear_strike_alert_with_its_evidence(demo_output: str) -> None:
    alert_block = demo_output.split("Alerts: latest version", 1)[1]
    critical = [line for line in alert_block.splitlines() if line.startswith("CRITICAL Strike on nuclear facilities")]
    assert any("Israel" in line and "Iran" in line for line in critical), critical
    assert "https://example.test/world/putin-calls-iran-israel" in alert_block


def test_demo_accounts_for_every_article(demo_output: str) -> None:
    n = len(sample_payloads())
    assert f"{n} articles → {n} clean, 0 dead letters" in demo_output
