"""Secure connections: settings → aiokafka kwargs and Faust credentials, validation, and no secret in any repr."""

from __future__ import annotations

import asyncio
import ssl
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from faust.auth import SASLCredentials, SSLCredentials
from faust.transport.drivers.aiokafka import credentials_to_aiokafka_auth
from pydantic import ValidationError

from streams import security
from streams.cli import main
from streams.kafka import client_config, new_admin, new_consumer, new_producer
from streams.settings import Settings, describe_invalid
from tests.certs import KEY_PASSWORD, Certs, make_certs

PASSWORD = "sasl-pw-9d2b7a"


@pytest.fixture(scope="module")
def certs(tmp_path_factory: pytest.TempPathFactory) -> Certs:
    return make_certs(tmp_path_factory.mktemp("certs"))


def _settings(**values: Any) -> Settings:
    return Settings(**{**security.PLAINTEXT, **values})  # whatever WIREWATCH_* the test runner has


def _sasl(protocol: str = "SASL_PLAINTEXT", mechanism: str = "SCRAM-SHA-256", **values: Any) -> Settings:
    return _settings(
        security_protocol=protocol,
        sasl_mechanism=mechanism,
        sasl_username="wirewatch",
        sasl_password=PASSWORD,
        **values,
    )


def test_plaintext_is_the_default_and_adds_nothing() -> None:
    settings = _settings()
    assert settings.security_protocol == "PLAINTEXT"
    assert security.client_kwargs(settings) == {"security_protocol": "PLAINTEXT"}
    assert security.faust_credentials(settings) is None
    assert security.ssl_context(settings) is None


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_plaintext_maps_to_the_same_kwargs_for_faust_and_the_cli(mechanism: str) -> None:
    settings = _sasl(mechanism=mechanism)
    kwargs = security.client_kwargs(settings)
    assert kwargs == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": mechanism,
        "sasl_plain_username": "wirewatch",
        "sasl_plain_password": PASSWORD,
    }
    credentials = security.faust_credentials(settings)
    assert isinstance(credentials, SASLCredentials)
    # what faust-streaming hands its consumer, producer (and so topic creation)
    assert credentials_to_aiokafka_auth(credentials) == {**kwargs, "ssl_context": None}


@pytest.mark.parametrize("mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"])
def test_sasl_ssl_adds_a_verifying_context(certs: Certs, mechanism: str) -> None:
    settings = _sasl("SASL_SSL", mechanism, ssl_cafile=certs.ca)
    kwargs = security.client_kwargs(settings)
    assert kwargs["security_protocol"] == "SASL_SSL"
    assert kwargs["sasl_mechanism"] == mechanism
    context = kwargs["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    faust_auth = credentials_to_aiokafka_auth(security.faust_credentials(settings))
    assert faust_auth["security_protocol"] == "SASL_SSL"
    assert faust_auth["sasl_mechanism"] == mechanism
    assert faust_auth["sasl_plain_password"] == PASSWORD
    assert isinstance(faust_auth["ssl_context"], ssl.SSLContext)


def test_ssl_with_client_certificate_and_encrypted_key(certs: Certs) -> None:
    settings = _settings(
        security_protocol="SSL",
        ssl_cafile=certs.ca,
        ssl_certfile=certs.client_cert,
        ssl_keyfile=certs.client_key,
        ssl_key_password=KEY_PASSWORD,
    )
    kwargs = security.client_kwargs(settings)
    assert set(kwargs) == {"security_protocol", "ssl_context"} and kwargs["security_protocol"] == "SSL"
    credentials = security.faust_credentials(settings)
    assert isinstance(credentials, SSLCredentials)
    assert credentials_to_aiokafka_auth(credentials)["security_protocol"] == "SSL"
    # the context trusts our CA only: its one CA certificate is ours
    assert [c["subject"] for c in kwargs["ssl_context"].get_ca_certs()] == [((("commonName", "ca"),),)]


def test_hostname_check_can_be_turned_off_but_not_the_chain_check(certs: Certs) -> None:
    context = security.ssl_context(_settings(security_protocol="SSL", ssl_cafile=certs.ca, ssl_check_hostname=False))
    assert context is not None
    assert not context.check_hostname
    assert context.verify_mode == ssl.CERT_REQUIRED


def test_ssl_without_cafile_trusts_the_system_cas() -> None:
    context = security.ssl_context(_settings(security_protocol="SSL"))
    assert context is not None and context.verify_mode == ssl.CERT_REQUIRED


def test_a_wrong_key_password_is_a_clear_error_without_the_password(certs: Certs) -> None:
    settings = _settings(
        security_protocol="SSL",
        ssl_certfile=certs.client_cert,
        ssl_keyfile=certs.client_key,
        ssl_key_password="not-the-" + KEY_PASSWORD,
    )
    with pytest.raises(security.SecurityConfigError, match="S002: cannot load the TLS files") as caught:
        security.client_kwargs(settings)
    assert KEY_PASSWORD not in str(caught.value)


def test_every_cli_client_gets_the_security_settings(certs: Certs) -> None:
    settings = _sasl("SASL_SSL", "SCRAM-SHA-512", ssl_cafile=certs.ca, broker="kafka://k1:9093;k2:9093")
    config = client_config(settings, request_timeout_ms=1234)
    assert config["bootstrap_servers"] == "k1:9093,k2:9093"
    assert config["security_protocol"] == "SASL_SSL" and config["request_timeout_ms"] == 1234

    async def clients() -> list[Any]:  # aiokafka clients are made inside a running loop
        return [new_producer(settings).client, new_consumer(settings)._client, new_admin(settings)._client]

    for conn in asyncio.run(clients()):
        assert conn._security_protocol == "SASL_SSL"
        assert conn._sasl_mechanism == "SCRAM-SHA-512"
        assert conn._sasl_plain_username == "wirewatch"
        assert conn._sasl_plain_password == PASSWORD
        assert isinstance(conn._ssl_context, ssl.SSLContext)


def test_the_faust_app_carries_the_credentials() -> None:
    from streams.app import create_app

    app = create_app(_sasl(mechanism="SCRAM-SHA-512", app_id="security-test"))
    credentials = app.conf.broker_credentials
    assert isinstance(credentials, SASLCredentials)
    assert credentials_to_aiokafka_auth(credentials)["sasl_mechanism"] == "SCRAM-SHA-512"
    assert PASSWORD not in repr(credentials)
    assert PASSWORD not in repr(app.conf)


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (
            {"security_protocol": "SASL_PLAINTEXT", "sasl_password": PASSWORD},
            "SASL_PLAINTEXT needs WIREWATCH_SASL_MECHANISM, WIREWATCH_SASL_USERNAME",
        ),
        (
            {"security_protocol": "SASL_SSL", "sasl_mechanism": "PLAIN", "sasl_username": "u"},
            "SASL_SSL needs WIREWATCH_SASL_PASSWORD",
        ),
        (
            {"security_protocol": "SASL_SSL", "sasl_mechanism": "PLAIN", "sasl_username": "u", "sasl_password": ""},
            "SASL_SSL needs WIREWATCH_SASL_PASSWORD",
        ),
        (
            {"sasl_username": "u", "sasl_password": PASSWORD},
            "WIREWATCH_SASL_USERNAME, WIREWATCH_SASL_PASSWORD set but WIREWATCH_SECURITY_PROTOCOL=PLAINTEXT",
        ),
        ({"security_protocol": "SSL", "ssl_cafile": "/nonexistent/ca.pem"}, "WIREWATCH_SSL_CAFILE=/nonexistent"),
        ({"ssl_cafile": "/etc/hostname"}, "WIREWATCH_SSL_CAFILE set but WIREWATCH_SECURITY_PROTOCOL=PLAINTEXT"),
        (
            {"security_protocol": "SSL", "ssl_key_password": KEY_PASSWORD},
            "WIREWATCH_SSL_KEY_PASSWORD needs WIREWATCH_SSL_CERTFILE",
        ),
    ],
)
def test_incomplete_security_settings_are_refused_naming_the_setting(values: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        _settings(**values)
    text = describe_invalid(caught.value)
    assert message in text
    for secret in (PASSWORD, KEY_PASSWORD):
        assert secret not in text
        assert secret not in str(caught.value)  # pydantic's own message hides the input too
        assert secret not in repr(caught.value)


def test_an_unknown_mechanism_is_refused() -> None:
    with pytest.raises(ValidationError, match="sasl_mechanism"):
        _sasl(mechanism="GSSAPI")


# --- secrets never shown ------------------------------------------------------------------------


def test_settings_never_show_the_secrets(certs: Certs) -> None:
    settings = _sasl(
        "SASL_SSL",
        ssl_cafile=certs.ca,
        ssl_certfile=certs.client_cert,
        ssl_keyfile=certs.client_key,
        ssl_key_password=KEY_PASSWORD,
    )
    shown = [repr(settings), str(settings), str(settings.model_dump()), settings.model_dump_json()]
    shown.append(security.describe(settings))
    shown.append(repr(security.faust_credentials(settings)))
    for text in shown:
        assert PASSWORD not in text and KEY_PASSWORD not in text
    assert "**********" in repr(settings)
    assert security.describe(settings).startswith("SASL_SSL SCRAM-SHA-256 as 'wirewatch'")


def test_cli_error_for_bad_settings_names_them_without_the_password(tmp_path: Path) -> None:
    env = {
        "WIREWATCH_SECURITY_PROTOCOL": "SASL_SSL",
        "WIREWATCH_SASL_PASSWORD": PASSWORD,
        "WIREWATCH_SSL_CAFILE": str(tmp_path / "missing.pem"),
    }
    result = CliRunner().invoke(main, ["tail", "articles.raw", "--idle-exit", "1"], env=env)
    assert result.exit_code == 1
    assert (
        "invalid settings: S001: WIREWATCH_SECURITY_PROTOCOL=SASL_SSL needs WIREWATCH_SASL_MECHANISM" in result.output
    )
    assert "WIREWATCH_SSL_CAFILE" in result.output
    assert PASSWORD not in result.output
    assert "Traceback" not in result.output
