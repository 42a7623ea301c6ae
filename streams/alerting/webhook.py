"""Optional delivery of alerts to a webhook: JSON POST with a Slack-compatible ``text`` field.

Retries connection errors, timeouts, 429 and 5xx with capped exponential backoff; a
receiver's 4xx fails at once (it will not get better). The URL and token are secrets
(a Slack webhook URL is its own credential): logs and errors name only scheme and host.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urlsplit

import aiohttp
import orjson
from pydantic import SecretStr

import streams
from schemas import Alert, DeadLetter, Severity
from streams.alerting.rules import SEVERITY_RANK
from streams.deadletters import Record, StageFailure, dead_letter
from streams.settings import Settings

log = logging.getLogger(__name__)

TEXT_LIMIT = 3_000
"""Characters of the ``text`` field: a pager line, not the alert (Slack itself cuts at ~40k)."""
SENTENCE_LIMIT = 500
"""Characters of the evidence sentence quoted in ``text``."""

Sleep = Callable[[float], Awaitable[None]]
Outcome = Literal["delivered", "failed", "skipped"]


class WebhookError(Exception):
    """Why a delivery failed, in words safe to log (scheme and host only)."""


def endpoint_of(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: what logs may say about a secret URL."""
    parts = urlsplit(url)
    host = parts.hostname or "?"
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = f":{parts.port}" if parts.port is not None else ""
    return f"{parts.scheme}://{host}{port}"


@dataclass(frozen=True, slots=True)
class WebhookConfig:
    """Where and how alerts are delivered; ``repr`` never shows the URL or token."""

    url: SecretStr
    token: SecretStr | None = None
    min_severity: Severity = "warning"
    timeout_s: float = 5.0
    attempts: int = 5
    """Tries in total, the first included."""
    backoff_s: float = 1.0
    """Wait before the first retry; doubled for each further one."""
    max_backoff_s: float = 30.0
    """Cap of the doubled backoff."""
    max_retry_after_s: float = 60.0
    """Cap of a receiver's ``Retry-After`` (a receiver asking for an hour must not stall the agent)."""

    def __post_init__(self) -> None:
        parts = urlsplit(self.url.get_secret_value())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            # Says what is wrong without echoing the URL.
            raise ValueError(f"webhook URL must be http(s) with a host (scheme {parts.scheme!r})")
        if self.attempts < 1:
            raise ValueError("webhook attempts must be at least 1")

    @classmethod
    def from_settings(cls, settings: Settings) -> WebhookConfig | None:
        """The configured webhook, or None when ``WIREWATCH_WEBHOOK_URL`` is unset (no delivery)."""
        if settings.webhook_url is None or not settings.webhook_url.get_secret_value().strip():
            return None
        return cls(
            url=SecretStr(settings.webhook_url.get_secret_value().strip()),
            token=settings.webhook_token,
            min_severity=settings.webhook_min_severity,
            timeout_s=settings.webhook_timeout_s,
            attempts=settings.webhook_attempts,
            backoff_s=settings.webhook_backoff_s,
        )

    @property
    def endpoint(self) -> str:
        """Scheme and host of the URL, safe to log."""
        return endpoint_of(self.url.get_secret_value())

    def wants(self, alert: Alert) -> bool:
        """Whether ``alert`` is severe enough to be sent."""
        return SEVERITY_RANK[alert.severity] >= SEVERITY_RANK[self.min_severity]


@dataclass(frozen=True, slots=True)
class Delivery:
    """What became of one alert version: outcome, tries used, the last status or error."""

    outcome: Outcome
    attempts: int
    endpoint: str
    status: int | None = None
    """HTTP status of the last response, None when there was none (skipped, timeout, connection error)."""
    error: str | None = None
    """Why the last attempt failed, safe to log; None when delivered or skipped."""

    @property
    def delivered(self) -> bool:
        return self.outcome == "delivered"


def _slack_escape(text: str) -> str:
    """Slack's three control characters in mrkdwn text (its documented escaping)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def slack_text(alert: Alert) -> str:
    """A few readable lines for a chat channel or pager: severity, title, update, sources, first evidence."""
    head = f"*[{alert.severity.upper()}]* {_slack_escape(alert.title)}"
    if alert.version > 1:
        head += f" (update {alert.version})"
    lines = [head]
    if alert.sources:
        lines.append("Sources: " + _slack_escape(", ".join(alert.sources)))
    first = alert.evidence[0]
    lines.append("> " + _slack_escape(_cut(" ".join(first.sentence.split()), SENTENCE_LIMIT)))
    if first.article_url:
        lines.append(f"<{_slack_escape(first.article_url)}>")
    return _cut("\n".join(lines), TEXT_LIMIT)


def payload(alert: Alert) -> bytes:
    """The request body: the full alert as on the alerts topic, plus Slack's ``text``."""
    body = alert.model_dump(mode="json")
    body["text"] = slack_text(alert)
    return orjson.dumps(body)


def alert_key(alert: Alert) -> str:
    """``alert_id:version``, the same on every re-delivery, so a receiver can drop repeats."""
    return f"{alert.alert_id}:{alert.version}"


def retryable(status: int) -> bool:
    """Statuses worth another try (timeout, rate limit, server trouble); any other 4xx will not get better."""
    return status in (408, 429) or status >= 500


def _headers(alert: Alert, config: WebhookConfig) -> dict[str, str]:
    headers = {
        "Content-Type": "application/json",
        "User-Agent": f"wirewatch/{streams.__version__}",
        "Idempotency-Key": alert_key(alert),
        "X-Wirewatch-Alert": alert_key(alert),
    }
    if config.token is not None:
        headers["Authorization"] = f"Bearer {config.token.get_secret_value()}"
    return headers


def retry_after_s(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or HTTP-date); None if absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_delay(config: WebhookConfig, retry: int) -> float:
    """Wait before retry number ``retry`` (1-based): doubling from ``backoff_s``, capped, plus up to 10 % jitter.

    The jitter spreads the retries of workers that failed together, so they do not hit a
    recovering receiver at the same instant.
    """
    base: float = min(config.max_backoff_s, config.backoff_s * 2.0 ** (retry - 1))
    return base * (1 + random.uniform(0, 0.1))  # jitter, not cryptography


def _describe(exc: BaseException) -> str:
    """An exception in words without the URL: aiohttp puts the full request URL in some messages."""
    if isinstance(exc, TimeoutError):
        return "timed out"
    strerror = getattr(exc, "strerror", None)
    return f"{type(exc).__name__}: {strerror}" if strerror else type(exc).__name__


async def deliver(
    alert: Alert,
    config: WebhookConfig,
    session: aiohttp.ClientSession,
    *,
    sleep: Sleep = asyncio.sleep,
) -> Delivery:
    """POST ``alert`` to the webhook, retrying what may get better; never raises for HTTP or network failures."""
    endpoint = config.endpoint
    if not config.wants(alert):
        return Delivery("skipped", 0, endpoint)
    body = payload(alert)
    headers = _headers(alert, config)
    timeout = aiohttp.ClientTimeout(total=config.timeout_s)
    key = alert_key(alert)
    status: int | None = None
    error = ""
    for attempt in range(1, config.attempts + 1):
        wait: float | None = None
        status = None
        try:
            # No redirects: a webhook that moved is a configuration error, and following
            # one would send the token to wherever it points.
            async with session.post(
                config.url.get_secret_value(), data=body, headers=headers, timeout=timeout, allow_redirects=False
            ) as response:
                status = response.status
                if 200 <= status < 300:
                    log.debug("webhook %s: delivered %s (attempt %d)", endpoint, key, attempt)
                    return Delivery("delivered", attempt, endpoint, status=status)
                error = f"HTTP {status} {response.reason or ''}".rstrip()
                if not retryable(status):
                    log.warning("webhook %s: %s refused with %s; not retried", endpoint, key, error)
                    return Delivery("failed", attempt, endpoint, status=status, error=error)
                if status in (429, 503):
                    asked = retry_after_s(response.headers.get("Retry-After"))
                    if asked is not None:
                        wait = min(asked, config.max_retry_after_s)
        except (TimeoutError, aiohttp.ClientError) as exc:
            if isinstance(exc, aiohttp.InvalidURL):  # not a passing condition: fail at once
                return Delivery("failed", attempt, endpoint, error=_describe(exc))
            error = _describe(exc)
        if attempt == config.attempts:
            break
        wait = backoff_delay(config, attempt) if wait is None else wait
        log.warning(
            "webhook %s: %s attempt %d/%d failed (%s); retrying in %.2fs",
            endpoint,
            key,
            attempt,
            config.attempts,
            error,
            wait,
        )
        await sleep(wait)
    log.warning("webhook %s: %s failed after %d attempts (%s)", endpoint, key, config.attempts, error)
    return Delivery("failed", config.attempts, endpoint, status=status, error=error)


def failure_dead_letter(alert: Alert, delivery: Delivery, record: Record, *, payload_limit: int) -> DeadLetter:
    """The dead letter (stage ``deliver``, reason ``delivery_failed``) of an alert the webhook did not take.

    ``record`` is the alert as read from the alerts topic, so the letter can be replayed from there.
    """
    message = (
        f"webhook {delivery.endpoint}: alert {alert_key(alert)} not delivered after "
        f"{delivery.attempts} attempt(s): {delivery.error or 'unknown error'}"
    )
    failure = StageFailure("deliver", "delivery_failed", WebhookError(message))
    return dead_letter(record, failure, payload_limit=payload_limit)
