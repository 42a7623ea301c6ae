"""A ``wirewatch worker`` subprocess with its own app id and web port, for benchmarks and integration tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from streams.broker import free_port

ROOT = Path(__file__).resolve().parents[1]
"""Source tree the worker runs from, so it imports this checkout's ``streams``."""


@dataclass
class WorkerProcess:
    """A ``wirewatch worker`` subprocess and the settings it runs with."""

    process: subprocess.Popen[bytes]
    env: dict[str, str]
    log_path: Path
    web_port: int

    @property
    def metrics_url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}/metrics"

    def log(self) -> str:
        return self.log_path.read_text("utf-8", "replace")

    def alive(self) -> bool:
        return self.process.poll() is None

    def wait_ready(self, timeout: float = 90.0) -> None:
        """Wait for Faust's "Ready" line (group joined, partitions assigned)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                raise RuntimeError(f"worker exited with {self.process.returncode}:\n{self.log()[-5000:]}")
            if "[^Worker]: Ready" in self.log():
                return
            time.sleep(0.2)
        raise TimeoutError(f"worker not ready after {timeout} s:\n{self.log()[-5000:]}")

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM, then SIGKILL after ``timeout`` s."""
        if self.alive():
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def worker_env(
    broker_bootstrap: str, tmp: Path, app_prefix: str = "wirewatch-test", **overrides: str
) -> dict[str, str]:
    """Environment of a worker with its own app id (consumer group) and web port; no inherited WIREWATCH_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("WIREWATCH_")}
    env.update(
        {
            "WIREWATCH_BROKER": f"kafka://{broker_bootstrap}",
            "WIREWATCH_APP_ID": f"{app_prefix}-{uuid.uuid4().hex[:8]}",
            "WIREWATCH_WEB_PORT": str(free_port()),
            "WIREWATCH_DATA_DIR": str(tmp / "data"),
            "WIREWATCH_PARTITIONS": "2",
        }
    )
    env.update(overrides)
    return env


def start_worker(env: dict[str, str], tmp: Path, *, cpus: frozenset[int] | None = None) -> WorkerProcess:
    """Start ``python -m streams.cli worker`` with ``env``, its output in ``tmp/worker-<app id>.log``;
    with ``cpus``, the worker and every process it starts (the stage children) run only there."""
    log_path = tmp / f"worker-{env['WIREWATCH_APP_ID']}.log"

    def pin() -> None:  # in the child before exec: every thread and process it starts inherits it
        if cpus is not None:
            os.sched_setaffinity(0, cpus)

    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "streams.cli", "worker"],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            preexec_fn=pin if cpus is not None else None,
        )
    return WorkerProcess(process=process, env=env, log_path=log_path, web_port=int(env["WIREWATCH_WEB_PORT"]))


def pin_threads(pid: int, cpus: frozenset[int]) -> None:
    """Run every thread of the running process ``pid`` on ``cpus`` only (affinity is per thread,
    so a process that already started its threads needs each of them set)."""
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            os.sched_setaffinity(int(task.name), cpus)
        except (ProcessLookupError, FileNotFoundError):
            continue  # a thread that ended meanwhile
