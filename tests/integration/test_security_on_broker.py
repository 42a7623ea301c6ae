"""Secure connections against the embedded broker, as far as it goes.

Tansu 0.6.0 (the embedded broker) has ``--authentication`` (SASL, SCRAM users from its own
store) and ``--cert``/``--key`` options, but: its TLS options have no effect (clap refuses the
two together, and either alone leaves a plaintext listener); its SASL offers no PLAIN
(``NoSharedMechanism``); and SCRAM users can only be made with ``tansu user create`` over an
unauthenticated connection, which ``--authentication`` refuses, in a memory store that a
restart loses. So:

* TLS is tested for real through a TLS-terminating proxy (Python ``ssl``, mutual TLS) in
  front of a plaintext Tansu that advertises the proxy's port: the CLI's clients and a
  whole Faust worker connect with ``WIREWATCH_SECURITY_PROTOCOL=SSL``, a CA file, a client
  certificate and an encrypted key.
* SASL: a SASL client against a plaintext listener, and SCRAM against Tansu's
  ``--authentication`` (no such user there), fail within seconds with a secret-free message.
  A successful SASL/SCRAM login is only documented (README, Secure connections).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from schemas import CleanArticle
from streams import security
from streams.broker import EmbeddedBroker, free_port
from streams.cli import main
from streams.inputs import InputMessage
from streams.kafka import BrokerConnectError, consume, produce
from streams.settings import Settings
from streams.topics import ensure_topics
from streams.workers import ROOT, start_worker, worker_env
from tests.certs import KEY_PASSWORD, Certs, make_certs

pytestmark = pytest.mark.integration

PASSWORD = "sasl-pw-31e0c4"


class TlsProxy:
    """Accepts TLS on a free port and pipes each connection to a plaintext upstream (the broker)."""

    def __init__(self, upstream: tuple[str, int], context: ssl.SSLContext) -> None:
        self.upstream = upstream
        self.context = context
        self.port = free_port()
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.server: asyncio.Server | None = None

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(Exception):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        with contextlib.suppress(Exception):
            writer.close()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    def __enter__(self) -> TlsProxy:
        self.thread.start()
        start = asyncio.start_server(self._handle, "127.0.0.1", self.port, ssl=self.context)
        self.server = asyncio.run_coroutine_threadsafe(start, self.loop).result(10)
        return self

    def __exit__(self, *exc: object) -> None:
        async def close() -> None:
            assert self.server is not None
            self.server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()

        asyncio.run_coroutine_threadsafe(close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        if not self.thread.is_alive():
            self.loop.close()


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


@pytest.fixture(scope="module")
def tls_broker(certs: Certs, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TlsProxy]:
    """A plaintext Tansu behind a mutual-TLS proxy; the broker advertises the proxy's port."""
    proxy = TlsProxy(("127.0.0.1", free_port()), certs.server_context(mutual=True))
    log = tmp_path_factory.mktemp("tls-broker") / "broker.log"
    with EmbeddedBroker(port=proxy.upstream[1], advertised_port=proxy.port, log_path=log), proxy:
        yield proxy


def _tls(certs: Certs, port: int, **values: Any) -> Settings:
    return Settings(
        **{
            **security.PLAINTEXT,
            "broker": f"kafka://127.0.0.1:{port}",
            "security_protocol": "SSL",
            "ssl_cafile": certs.ca,
            "ssl_certfile": certs.client_cert,
            "ssl_keyfile": certs.client_key,
            "ssl_key_password": KEY_PASSWORD,
            **values,
        }
    )


async def _round_trip(settings: Settings, topic: str) -> list[bytes]:
    await ensure_topics(settings)  # the admin client
    summary = await produce(settings, [InputMessage(key=b"k", value=b"over tls", origin="test")], topic)
    assert (summary.sent, summary.failed) == (1, 0)
    return [r.value or b"" async for r in consume(settings, [topic], idle_timeout=2)]


def test_cli_clients_over_mutual_tls(tls_broker: TlsProxy, certs: Certs) -> None:
    settings = _tls(certs, tls_broker.port, app_id=f"tls-{uuid.uuid4().hex[:6]}")
    assert asyncio.run(_round_trip(settings, settings.topic_raw)) == [b"over tls"]


@pytest.mark.parametrize(
    "values",
    [
        {"ssl_cafile": "other_ca"},  # the broker's certificate is not from a trusted CA
        {"ssl_certfile": None, "ssl_keyfile": None, "ssl_key_password": None},  # no client certificate
        {"security_protocol": "PLAINTEXT", "ssl_cafile": None, "ssl_certfile": None, "ssl_keyfile": None,
         "ssl_key_password": None},  # plaintext to a TLS listener
    ],
)  # fmt: skip
def test_tls_refusals_are_quick_and_clear(tls_broker: TlsProxy, certs: Certs, values: dict[str, Any]) -> None:
    values = {k: getattr(certs, v) if v == "other_ca" else v for k, v in values.items()}
    settings = _tls(certs, tls_broker.port, **values)
    started = time.monotonic()
    with pytest.raises(BrokerConnectError, match=r"K001: cannot connect to 127\.0\.0\.1") as caught:
        asyncio.run(ensure_topics(settings))
    assert time.monotonic() - started < 30
    assert "Unable to bootstrap" in str(caught.value)  # aiokafka logs the TLS reason on its own logger
    assert KEY_PASSWORD not in str(caught.value)


def test_hostname_check(certs: Certs, tmp_path: Path) -> None:
    """A certificate for another host is refused on 127.0.0.1 unless WIREWATCH_SSL_CHECK_HOSTNAME=false."""
    proxy = TlsProxy(("127.0.0.1", free_port()), certs.server_context(certs.other_host_cert, certs.other_host_key))
    with EmbeddedBroker(port=proxy.upstream[1], advertised_port=proxy.port, log_path=tmp_path / "b.log"), proxy:
        strict = _tls(certs, proxy.port)
        with pytest.raises(BrokerConnectError):
            asyncio.run(ensure_topics(strict))
        relaxed = _tls(certs, proxy.port, ssl_check_hostname=False, app_id="tls-relaxed")
        assert asyncio.run(_round_trip(relaxed, "tls-relaxed.raw")) == [b"over tls"]


def test_faust_worker_over_mutual_tls(tls_broker: TlsProxy, certs: Certs, tmp_path: Path) -> None:
    """The worker's consumer, producer and topic creation all connect through TLS, and its log has no key password."""
    env = worker_env(
        f"127.0.0.1:{tls_broker.port}",
        tmp_path,
        app_prefix="wirewatch-tls",
        WIREWATCH_SECURITY_PROTOCOL="SSL",
        WIREWATCH_SSL_CAFILE=str(certs.ca),
        WIREWATCH_SSL_CERTFILE=str(certs.client_cert),
        WIREWATCH_SSL_KEYFILE=str(certs.client_key),
        WIREWATCH_SSL_KEY_PASSWORD=KEY_PASSWORD,
        WIREWATCH_LOG_LEVEL="debug",
    )
    app_id = env["WIREWATCH_APP_ID"]
    topics = {f"topic_{name}": f"{app_id}.{name}" for name in ("raw", "clean", "events", "alerts", "deadletter")}
    env.update({f"WIREWATCH_{key.upper()}": value for key, value in topics.items()})  # this test's own topics
    settings = _tls(certs, tls_broker.port, app_id=app_id, partitions=2, **topics)
    worker = start_worker(env, tmp_path)
    try:
        worker.wait_ready()
        article = b'{"id": "tls-1", "url": "https://example.org/tls", "text": "' + b"Words of an article. " * 20 + b'"}'

        async def run() -> list[CleanArticle]:
            summary = await produce(
                settings, [InputMessage(key=b"tls-1", value=article, origin="t")], settings.topic_raw
            )
            assert summary.sent == 1
            found: list[CleanArticle] = []
            async for record in consume(settings, [settings.topic_clean], idle_timeout=30):
                found.append(CleanArticle.from_json(record.value or b""))
                break
            return found

        cleaned = asyncio.run(run())
        assert [a.id for a in cleaned] == ["tls-1"]
    finally:
        worker.stop()
    assert KEY_PASSWORD not in worker.log()


# --- SASL ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plain_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedBroker]:
    with EmbeddedBroker(port=free_port(), log_path=tmp_path_factory.mktemp("plain") / "broker.log") as broker:
        yield broker


def _sasl_env(broker: EmbeddedBroker, mechanism: str) -> dict[str, str]:
    return {
        "WIREWATCH_BROKER": broker.url,
        "WIREWATCH_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
        "WIREWATCH_SASL_MECHANISM": mechanism,
        "WIREWATCH_SASL_USERNAME": "wirewatch",
        "WIREWATCH_SASL_PASSWORD": PASSWORD,
    }


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-512"])
def test_sasl_against_a_plaintext_listener_fails_fast_without_the_password(
    plain_broker: EmbeddedBroker, mechanism: str
) -> None:
    started = time.monotonic()
    result = CliRunner().invoke(
        main, ["tail", "articles.raw", "--idle-exit", "1"], env=_sasl_env(plain_broker, mechanism)
    )
    assert time.monotonic() - started < 30
    assert result.exit_code == 1
    assert f"K001: cannot connect to {plain_broker.bootstrap} with SASL_PLAINTEXT {mechanism} as 'wirewatch'" in (
        result.output
    )
    assert PASSWORD not in result.output
    assert "Traceback" not in result.output


def test_worker_with_sasl_against_a_plaintext_listener_stops_with_a_clear_error(
    plain_broker: EmbeddedBroker, tmp_path: Path
) -> None:
    env = worker_env(plain_broker.bootstrap, tmp_path, **_sasl_env(plain_broker, "SCRAM-SHA-256"))
    done = subprocess.run(
        [sys.executable, "-m", "streams.cli", "worker"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=90
    )
    output = done.stdout + done.stderr
    assert done.returncode == 1, output[-3000:]
    assert "K001: cannot connect" in output
    assert PASSWORD not in output


@pytest.mark.parametrize("mechanism", ["SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN"])
def test_sasl_login_reaches_an_authenticating_broker_and_is_refused_cleanly(tmp_path: Path, mechanism: str) -> None:
    """Tansu --authentication has no users (they cannot be made there), so every login fails: quickly, secret-free."""
    with EmbeddedBroker(port=free_port(), log_path=tmp_path / "b.log", extra_args=("--authentication",)) as broker:
        settings = Settings(
            **{
                **security.PLAINTEXT,
                "broker": broker.url,
                "security_protocol": "SASL_PLAINTEXT",
                "sasl_mechanism": mechanism,
                "sasl_username": "nobody",
                "sasl_password": PASSWORD,
            }
        )
        started = time.monotonic()
        with pytest.raises(BrokerConnectError, match=f"SASL_PLAINTEXT {mechanism} as 'nobody'") as caught:
            asyncio.run(ensure_topics(settings))
        assert time.monotonic() - started < 30
        assert PASSWORD not in str(caught.value)
        plaintext = Settings(**{**security.PLAINTEXT, "broker": broker.url})
        with pytest.raises(BrokerConnectError):  # the broker does insist on a login
            asyncio.run(ensure_topics(plaintext))
