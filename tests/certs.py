"""Throw-away TLS material for tests: a CA, broker certificates and a client certificate, made with ``openssl``.

EC keys (P-256) keep it fast. The client key is encrypted with :data:`KEY_PASSWORD`.
"""

from __future__ import annotations

import shutil
import ssl
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

KEY_PASSWORD = "key-pw-5f1c0e"
"""Password of the encrypted client key (tests look for it in logs and messages)."""


@dataclass(frozen=True)
class Certs:
    ca: Path
    """CA certificate (PEM) that signed everything below."""
    server_cert: Path
    """Broker certificate for 127.0.0.1 and localhost."""
    server_key: Path
    other_host_cert: Path
    """Broker certificate for ``broker.invalid`` only (a hostname check must refuse it on 127.0.0.1)."""
    other_host_key: Path
    client_cert: Path
    client_key: Path
    """Client key, encrypted with KEY_PASSWORD."""
    other_ca: Path
    """A CA that signed nothing here."""

    def server_context(
        self, cert: Path | None = None, key: Path | None = None, *, mutual: bool = False
    ) -> ssl.SSLContext:
        """A broker-side TLS context; ``mutual`` requires a client certificate signed by the CA."""
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(cert or self.server_cert, key or self.server_key)
        if mutual:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(self.ca)
        return context


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=30)


def _key(name: str, cwd: Path) -> None:
    _openssl("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", name, cwd=cwd)


def _ca(name: str, cwd: Path) -> None:
    _key(f"{name}.key", cwd)
    _openssl(
        "req", "-x509", "-new", "-key", f"{name}.key", "-out", f"{name}.pem", "-days", "2", "-subj", f"/CN={name}",
        cwd=cwd,
    )  # fmt: skip


def _signed(name: str, subject: str, ext: str, cwd: Path) -> None:
    _key(f"{name}.key", cwd)
    _openssl("req", "-new", "-key", f"{name}.key", "-out", f"{name}.csr", "-subj", f"/CN={subject}", cwd=cwd)
    (cwd / f"{name}.ext").write_text(ext)
    _openssl(
        "x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-out", f"{name}.pem", "-days", "2", "-extfile", f"{name}.ext",
        cwd=cwd,
    )  # fmt: skip


def make_certs(directory: Path) -> Certs:
    """A CA, two broker certificates, a client certificate with an encrypted key, and an unrelated CA."""
    if shutil.which("openssl") is None:
        pytest.skip("no openssl to make test certificates")
    directory.mkdir(parents=True, exist_ok=True)
    _ca("ca", directory)
    _ca("other-ca", directory)
    _signed("server", "localhost", "subjectAltName=DNS:localhost,IP:127.0.0.1\n", directory)
    _signed("other-host", "broker.invalid", "subjectAltName=DNS:broker.invalid\n", directory)
    _signed("client", "wirewatch-client", "extendedKeyUsage=clientAuth\n", directory)
    _openssl(
        "pkey", "-in", "client.key", "-aes256", "-passout", f"pass:{KEY_PASSWORD}", "-out", "client-enc.key",
        cwd=directory,
    )  # fmt: skip
    return Certs(
        ca=directory / "ca.pem",
        server_cert=directory / "server.pem",
        server_key=directory / "server.key",
        other_host_cert=directory / "other-host.pem",
        other_host_key=directory / "other-host.key",
        client_cert=directory / "client.pem",
        client_key=directory / "client-enc.key",
        other_ca=directory / "other-ca.pem",
    )
