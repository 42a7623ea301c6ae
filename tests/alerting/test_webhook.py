"""Webhook delivery against a real local HTTP server: retries, give-up, dead letter, no leaked secrets."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import aiohttp
import orjson
import pytest
from aiohttp import web
from pydantic import SecretStr

from schemas import Alert
from streams.alerting.rules import load_rules
from streams.alerting.stage import AlertBook, evaluate
from streams.alerting.webhook import (
    TEXT_LIMIT,
    Delivery,
    WebhookConfig,
    backoff_delay,
    deliver,
    endpoint_of,
    failure_dead_letter,
    payload,
    retry_after_s,
    slack_text,
)
from streams.deadletters import Record
from streams.settings import Settings
from tests.alerting.factories import make_event

NOW = datetime(2025, 6, 13, 18, 1, tzinfo=UTC)
PATH_SECRET = "T0SECRETPATH/B0SECRETPATH"
QUERY_SECRET = "QUERYSECRET42"
TOKEN_SECRET = "BEARERSECRET99"
SECRETS = (PATH_SECRET, "SECRETPATH", QUERY_SECRET, TOKEN_SECRET)


def make_alert(**fields: Any) -> Alert:
    change = evaluate(make_event(), load_rules(), AlertBook({}), now=NOW)
    assert change is not None and change.alert.severity == "critical"
    return change.alert.model_copy(update=fields)


@dataclass
class Reply:
    """What the receiver answers to one request."""

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0


@dataclass
class Seen:
    """One request as the receiver got it."""

    path: str
    query: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    """A real aiohttp server on a free port that answers with scripted replies (the last one repeats)."""

    def __init__(self) -> None:
        self.replies: list[Reply] = [Reply()]
        self.seen: list[Seen] = []
        self.loop = asyncio.new_event_loop()
        self.port = 0
        self._runner: web.AppRunner | None = None

    def script(self, *replies: Reply) -> None:
        self.replies = list(replies)

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        self.seen.append(Seen(request.path, request.query_string, dict(request.headers), body))
        reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        if reply.delay_s:
            await asyncio.sleep(reply.delay_s)
        return web.Response(status=reply.status, headers=reply.headers, text="ok")

    def start(self) -> None:
        app = web.Application()
        app.router.add_post("/{tail:.*}", self._handle)
        # handler_cancellation: a handler still sleeping when the client timed out is stopped.
        # No access log: it is the receiver's log (it prints the path), not the sender's.
        self._runner = web.AppRunner(app, shutdown_timeout=0.5, handler_cancellation=True, access_log=None)
        self.run(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self.run(site.start())
        self.port = self._runner.addresses[0][1]

    def stop(self) -> None:
        if self._runner is not None:
            self.run(self._runner.cleanup())
        self.loop.close()

    def run(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return self.loop.run_until_complete(coro)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/services/{PATH_SECRET}?key={QUERY_SECRET}"

    def config(self, **fields: Any) -> WebhookConfig:
        values: dict[str, Any] = {"url": SecretStr(self.url), "attempts": 3, "backoff_s": 0.01, "timeout_s": 2.0}
        values.update(fields)
        return WebhookConfig(**values)

    def deliver(self, alert: Alert, config: WebhookConfig, sleeps: list[float] | None = None) -> Delivery:
        """Run ``deliver`` on the server's loop; with ``sleeps``, waits are recorded instead of slept."""

        async def record_sleep(seconds: float) -> None:
            assert sleeps is not None
            sleeps.append(seconds)

        async def go() -> Delivery:
            async with aiohttp.ClientSession() as session:
                if sleeps is None:
                    return await deliver(alert, config, session)
                return await deliver(alert, config, session, sleep=record_sleep)

        result: Delivery = self.run(go())
        return result


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    try:
        server.start()
        yield server
    finally:
        server.stop()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_delivered_on_200_with_the_alert_json_plus_text(receiver: Receiver) -> None:
    alert = make_alert()
    delivery = receiver.deliver(alert, receiver.config())
    assert delivery == Delivery("delivered", 1, f"http://127.0.0.1:{receiver.port}", status=200)
    [seen] = receiver.seen
    body = orjson.loads(seen.body)
    text = body.pop("text")
    assert body == alert.model_dump(mode="json")
    assert Alert.from_obj(body) == alert
    assert alert.title in text and "CRITICAL" in text and "https://example.test/a1" in text
    assert seen.path == f"/services/{PATH_SECRET}" and seen.query == f"key={QUERY_SECRET}"
    assert seen.headers["Content-Type"] == "application/json"
    assert seen.headers["Idempotency-Key"] == seen.headers["X-Wirewatch-Alert"] == f"{alert.alert_id}:1"
    assert "Authorization" not in seen.headers


def test_text_is_a_short_readable_pager_line() -> None:
    alert = make_alert(version=2)
    text = slack_text(alert)
    first = alert.evidence[0]
    assert text.startswith(f"*[CRITICAL]* {alert.title} (update 2)")
    assert "Example Wire" in text and first.sentence in text and f"<{first.article_url}>" in text
    assert "update" not in slack_text(make_alert(version=1))
    many = make_alert(sources=[f"Outlet number {i:04d}" for i in range(1_000)], title="A <b> & c")
    long_text = slack_text(many)
    assert len(long_text) == TEXT_LIMIT and long_text.endswith("…")
    assert "A &lt;b&gt; &amp; c" in long_text  # Slack's control characters are escaped
    assert orjson.loads(payload(many))["text"] == long_text


def test_retried_after_500_then_delivered(receiver: Receiver) -> None:
    receiver.script(Reply(500), Reply(200))
    delivery = receiver.deliver(make_alert(), receiver.config())
    assert (delivery.outcome, delivery.attempts, delivery.status) == ("delivered", 2, 200)
    assert len(receiver.seen) == 2
    assert receiver.seen[0].body == receiver.seen[1].body
    assert receiver.seen[0].headers["Idempotency-Key"] == receiver.seen[1].headers["Idempotency-Key"]


def test_gives_up_after_the_configured_attempts_and_makes_a_dead_letter(receiver: Receiver) -> None:
    receiver.script(Reply(500))
    alert = make_alert()
    sleeps: list[float] = []
    delivery = receiver.deliver(alert, receiver.config(attempts=4, backoff_s=0.5), sleeps)
    assert (delivery.outcome, delivery.attempts, delivery.status) == ("failed", 4, 500)
    assert len(receiver.seen) == 4
    # Doubling from backoff_s with up to 10 % jitter; no wait after the last attempt.
    assert len(sleeps) == 3
    for got, base in zip(sleeps, (0.5, 1.0, 2.0), strict=True):
        assert base <= got <= base * 1.1
    record = Record(value=alert.to_json(), key=alert.alert_id.encode(), topic="alerts", partition=1, offset=7)
    letter = failure_dead_letter(alert, delivery, record, payload_limit=65_536)
    assert (letter.stage, letter.reason, letter.error_class) == ("deliver", "delivery_failed", "WebhookError")
    assert (letter.topic, letter.partition, letter.offset, letter.key) == ("alerts", 1, 7, alert.alert_id)
    assert Alert.from_json(letter.payload) == alert
    assert "HTTP 500" in letter.error and f"127.0.0.1:{receiver.port}" in letter.error
    assert f"{alert.alert_id}:1" in letter.error and "4 attempt" in letter.error


def test_a_404_is_not_retried(receiver: Receiver) -> None:
    receiver.script(Reply(404), Reply(200))
    delivery = receiver.deliver(make_alert(), receiver.config())
    assert (delivery.outcome, delivery.attempts, delivery.status) == ("failed", 1, 404)
    assert delivery.error == "HTTP 404 Not Found"
    assert len(receiver.seen) == 1


def test_a_redirect_is_not_followed(receiver: Receiver) -> None:
    receiver.script(Reply(302, {"Location": "http://127.0.0.1:1/elsewhere"}))
    delivery = receiver.deliver(make_alert(), receiver.config(token=SecretStr(TOKEN_SECRET)))
    assert (delivery.outcome, delivery.attempts, delivery.status) == ("failed", 1, 302)
    assert len(receiver.seen) == 1


def test_retry_after_on_429_is_honoured_and_capped(receiver: Receiver) -> None:
    receiver.script(Reply(429, {"Retry-After": "2"}), Reply(503, {"Retry-After": "3600"}), Reply(200))
    sleeps: list[float] = []
    delivery = receiver.deliver(make_alert(), receiver.config(max_retry_after_s=30.0), sleeps)
    assert (delivery.outcome, delivery.attempts) == ("delivered", 3)
    assert sleeps == [2.0, 30.0]


def test_retry_after_reads_seconds_and_http_dates() -> None:
    assert retry_after_s("7") == 7.0
    assert retry_after_s(None) is None and retry_after_s("soon") is None
    later = format_datetime(NOW + timedelta(seconds=90), usegmt=True)
    assert retry_after_s(later, now=NOW) == 90.0
    assert retry_after_s(format_datetime(NOW - timedelta(seconds=5), usegmt=True), now=NOW) == 0.0


def test_a_timeout_counts_as_a_failed_attempt(receiver: Receiver) -> None:
    receiver.script(Reply(200, delay_s=1.0), Reply(200))
    delivery = receiver.deliver(make_alert(), receiver.config(timeout_s=0.2))
    assert (delivery.outcome, delivery.attempts) == ("delivered", 2)
    receiver.script(Reply(200, delay_s=1.0))
    delivery = receiver.deliver(make_alert(), receiver.config(timeout_s=0.2, attempts=2))
    assert (delivery.outcome, delivery.attempts, delivery.status, delivery.error) == ("failed", 2, None, "timed out")


def test_connection_errors_are_retried() -> None:
    config = WebhookConfig(url=SecretStr(f"http://127.0.0.1:{closed_port()}/hook"), attempts=3, backoff_s=0.01)

    async def go() -> Delivery:
        async with aiohttp.ClientSession() as session:
            return await deliver(make_alert(), config, session)

    delivery = asyncio.run(go())
    assert (delivery.outcome, delivery.attempts, delivery.status) == ("failed", 3, None)
    assert delivery.error is not None and delivery.error.startswith("ClientConnectorError")


def test_bearer_token_is_sent(receiver: Receiver) -> None:
    delivery = receiver.deliver(make_alert(), receiver.config(token=SecretStr(TOKEN_SECRET)))
    assert delivery.delivered
    assert receiver.seen[0].headers["Authorization"] == f"Bearer {TOKEN_SECRET}"


def test_alerts_below_min_severity_are_not_sent(receiver: Receiver) -> None:
    config = receiver.config(min_severity="critical")
    delivery = receiver.deliver(make_alert(severity="warning"), config)
    assert (delivery.outcome, delivery.attempts) == ("skipped", 0)
    assert receiver.seen == []
    assert receiver.deliver(make_alert(severity="critical"), config).delivered
    assert not receiver.config().wants(make_alert(severity="info"))  # default minimum: warning


def test_secrets_never_reach_logs_or_dead_letters(receiver: Receiver, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    alert = make_alert()
    record = Record(value=alert.to_json(), topic="alerts", partition=0, offset=1)
    config = receiver.config(token=SecretStr(TOKEN_SECRET))
    letters = []
    for replies in ([Reply(500)], [Reply(401)], [Reply(429, {"Retry-After": "0"}), Reply(200)]):
        receiver.script(*replies)
        delivery = receiver.deliver(alert, config)
        if not delivery.delivered:
            letters.append(failure_dead_letter(alert, delivery, record, payload_limit=65_536))
    refused = WebhookConfig(
        url=SecretStr(f"https://127.0.0.1:{closed_port()}/services/{PATH_SECRET}?key={QUERY_SECRET}"),
        token=SecretStr(TOKEN_SECRET),
        attempts=2,
        backoff_s=0.01,
    )

    async def go() -> Delivery:
        async with aiohttp.ClientSession() as session:
            return await deliver(alert, refused, session)

    letters.append(failure_dead_letter(alert, asyncio.run(go()), record, payload_limit=65_536))
    assert len(letters) == 3 and caplog.records
    assert any("webhook http://127.0.0.1" in r.getMessage() for r in caplog.records)
    texts = [caplog.text, *(r.getMessage() for r in caplog.records), repr(config), repr(refused)]
    texts += [f"{letter.error} {letter.error_class}" for letter in letters]
    for text in texts:
        for secret in SECRETS:
            assert secret not in text


def test_endpoint_names_only_scheme_and_host() -> None:
    assert endpoint_of("https://user:pw@hooks.slack.com/services/T/B/X?x=1") == "https://hooks.slack.com"
    assert endpoint_of("http://[::1]:8080/p") == "http://[::1]:8080"


def test_config_from_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert WebhookConfig.from_settings(Settings()) is None
    monkeypatch.setenv("WIREWATCH_WEBHOOK_URL", f"https://hooks.example.test/services/{PATH_SECRET}")
    monkeypatch.setenv("WIREWATCH_WEBHOOK_TOKEN", TOKEN_SECRET)
    monkeypatch.setenv("WIREWATCH_WEBHOOK_MIN_SEVERITY", "critical")
    monkeypatch.setenv("WIREWATCH_WEBHOOK_ATTEMPTS", "2")
    settings = Settings()
    assert PATH_SECRET not in repr(settings) and TOKEN_SECRET not in repr(settings)
    config = WebhookConfig.from_settings(settings)
    assert config is not None
    assert (config.endpoint, config.min_severity, config.attempts, config.timeout_s, config.backoff_s) == (
        "https://hooks.example.test",
        "critical",
        2,
        5.0,
        1.0,
    )
    assert config.token is not None and config.token.get_secret_value() == TOKEN_SECRET
    monkeypatch.setenv("WIREWATCH_WEBHOOK_URL", f"ftp://{PATH_SECRET}")
    with pytest.raises(ValueError, match="http") as raised:
        WebhookConfig.from_settings(Settings())
    assert PATH_SECRET not in str(raised.value)


def test_backoff_is_capped() -> None:
    config = WebhookConfig(url=SecretStr("https://hooks.example.test/x"), backoff_s=1.0, max_backoff_s=5.0)
    assert 4.0 <= backoff_delay(config, 3) <= 4.4
    assert 5.0 <= backoff_delay(config, 10) <= 5.5
