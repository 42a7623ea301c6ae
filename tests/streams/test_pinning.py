"""CPU pinning for ``bench pipeline --pin``: a worker, or every thread of a running process, on given cores."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from streams.workers import pin_threads, start_worker, worker_env

FIRST_CORE = frozenset({min(os.sched_getaffinity(0))})


def test_a_pinned_worker_starts_on_its_cores_only(tmp_path: Path) -> None:
    worker = start_worker(worker_env("127.0.0.1:9", tmp_path), tmp_path, cpus=FIRST_CORE)
    try:
        assert os.sched_getaffinity(worker.process.pid) == FIRST_CORE
    finally:
        worker.stop(timeout=10)


def test_pinning_a_running_process_moves_every_thread() -> None:
    code = (
        "import threading, time\n"
        "for _ in range(3): threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
        "time.sleep(60)"
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    try:
        tasks = Path(f"/proc/{process.pid}/task")
        deadline = time.monotonic() + 30
        while len(list(tasks.iterdir())) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        pin_threads(process.pid, FIRST_CORE)
        assert {int(t.name): os.sched_getaffinity(int(t.name)) for t in tasks.iterdir()} == {
            int(t.name): FIRST_CORE for t in tasks.iterdir()
        }
        assert len(list(tasks.iterdir())) == 4
    finally:
        process.kill()
        process.wait()
