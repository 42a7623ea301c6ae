"""Secure broker connections (TLS, SASL PLAIN/SCRAM) from Settings, for Faust and every aiokafka client.

One mapping, two forms of it:

* :func:`faust_credentials` for ``faust.App(broker_credentials=...)``. faust-streaming hands it
  to every client it makes through ``credentials_to_aiokafka_auth``: the worker's consumer, the
  producer, and so the topic creation that runs on the producer's client.
* :func:`client_kwargs` for the aiokafka producers, consumers and admin clients the CLI, the
  benchmark and the topic provisioning make themselves (``streams.kafka.new_*``).

Both are built from the same :func:`ssl_context`. The password reaches aiokafka only; Faust's
``SASLCredentials`` repr shows the user name alone, and Settings show ``**********``.
"""

from __future__ import annotations

import ssl
from typing import Any

from aiokafka.helpers import create_ssl_context
from faust.auth import SASLCredentials, SSLCredentials
from faust.types.auth import CredentialsT

from streams.settings import Settings

#: Prefixes of the environment variables of the security settings (to pass them on to a worker).
SECURITY_VARIABLES = ("WIREWATCH_SECURITY_PROTOCOL", "WIREWATCH_SASL_", "WIREWATCH_SSL_")

#: Settings overrides for a plaintext broker (the embedded one), whatever the environment says.
PLAINTEXT: dict[str, Any] = {
    "security_protocol": "PLAINTEXT",
    "sasl_mechanism": None,
    "sasl_username": None,
    "sasl_password": None,
    "ssl_cafile": None,
    "ssl_certfile": None,
    "ssl_keyfile": None,
    "ssl_key_password": None,
}


class SecurityConfigError(Exception):
    """The TLS files of the settings cannot be loaded (the message names settings, never secrets)."""

    user_error = True  # the CLI shows the message alone


def uses_tls(settings: Settings) -> bool:
    return settings.security_protocol in ("SSL", "SASL_SSL")


def uses_sasl(settings: Settings) -> bool:
    return settings.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")


def ssl_context(settings: Settings) -> ssl.SSLContext | None:
    """The client TLS context for ``SSL``/``SASL_SSL`` (None otherwise): the CA file (or the
    system's CAs), an optional client certificate and key, hostname checking as configured."""
    if not uses_tls(settings):
        return None
    password = settings.ssl_key_password.get_secret_value() if settings.ssl_key_password is not None else None
    try:
        context: ssl.SSLContext = create_ssl_context(
            cafile=str(settings.ssl_cafile) if settings.ssl_cafile is not None else None,
            certfile=str(settings.ssl_certfile) if settings.ssl_certfile is not None else None,
            keyfile=str(settings.ssl_keyfile) if settings.ssl_keyfile is not None else None,
            password=password,
        )
    except (ssl.SSLError, OSError, ValueError) as exc:
        # ssl's messages name the failing step ("PEM lib", "no certificate or crl found"), never the password.
        raise SecurityConfigError(
            "S002: cannot load the TLS files of WIREWATCH_SSL_CAFILE / WIREWATCH_SSL_CERTFILE / "
            f"WIREWATCH_SSL_KEYFILE (or WIREWATCH_SSL_KEY_PASSWORD is wrong): {type(exc).__name__}: {exc}"
        ) from None
    context.check_hostname = settings.ssl_check_hostname  # the certificate chain is verified either way
    return context


def client_kwargs(settings: Settings) -> dict[str, Any]:
    """Keyword arguments of any aiokafka client (producer, consumer, admin) for the security settings."""
    kwargs: dict[str, Any] = {"security_protocol": settings.security_protocol}
    if uses_tls(settings):
        kwargs["ssl_context"] = ssl_context(settings)
    if uses_sasl(settings):
        assert settings.sasl_password is not None  # Settings validation guarantees it
        kwargs["sasl_mechanism"] = settings.sasl_mechanism
        kwargs["sasl_plain_username"] = settings.sasl_username
        kwargs["sasl_plain_password"] = settings.sasl_password.get_secret_value()
    return kwargs


def faust_credentials(settings: Settings) -> CredentialsT | None:
    """Faust's ``broker_credentials`` for the security settings (None for PLAINTEXT).

    ``SASLCredentials`` with an SSL context is SASL_SSL, without one SASL_PLAINTEXT;
    ``SSLCredentials`` is SSL.
    """
    if uses_sasl(settings):
        assert settings.sasl_password is not None  # Settings validation guarantees it
        return SASLCredentials(
            username=settings.sasl_username,
            password=settings.sasl_password.get_secret_value(),
            mechanism=settings.sasl_mechanism,
            ssl_context=ssl_context(settings),
        )
    if uses_tls(settings):
        return SSLCredentials(ssl_context(settings))
    return None


def describe(settings: Settings) -> str:
    """The security settings in words, for log lines and error messages (never the password)."""
    text: str = settings.security_protocol
    if uses_sasl(settings):
        text += f" {settings.sasl_mechanism} as {settings.sasl_username!r}"
    if uses_tls(settings):
        text += f", CA {settings.ssl_cafile or 'system'}"
        if settings.ssl_certfile is not None:
            text += f", client certificate {settings.ssl_certfile}"
        if not settings.ssl_check_hostname:
            text += ", hostname not checked"
    return text
