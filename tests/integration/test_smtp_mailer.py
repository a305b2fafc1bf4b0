"""The mailer against a real aiosmtpd server with STARTTLS and AUTH (a test certificate)."""

from __future__ import annotations

import datetime as dt
import ipaddress
import ssl
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import SecretStr

from keycraft.config import Settings
from keycraft.services.auth.mailer import send_email
from tests.support.processes import free_port


def _certificate(folder: Path) -> tuple[Path, Path]:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=1))
        .not_valid_after(now + dt.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_path, key_path


class _Inbox:
    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"


def _authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and (data.login, data.password) == (b"app", b"s3cret")
    return AuthResult(success=ok)


@pytest.fixture
def tls_server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[int, _Inbox]]:
    cert, key = _certificate(tmp_path)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    # The client keeps full certificate verification; it just trusts our test CA.
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    inbox = _Inbox()
    port = free_port()
    controller = Controller(
        inbox,
        hostname="127.0.0.1",
        port=port,
        tls_context=context,
        require_starttls=True,
        authenticator=_authenticate,
        auth_require_tls=True,
    )
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def _settings(port: int, password: str) -> Settings:
    return Settings(
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=port,
        SMTP_SECURITY="starttls",
        SMTP_USERNAME="app",
        SMTP_PASSWORD=SecretStr(password),
        MAIL_FROM="KeyCraft <no-reply@keycraft.test>",
        # After a refused AUTH PLAIN, smtplib's AUTH LOGIN retry stalls against aiosmtpd
        # until the timeout; a short one keeps the refusal test quick.
        SMTP_TIMEOUT_S=3,
    )


def test_starttls_and_login_deliver_the_message(tls_server: tuple[int, _Inbox]) -> None:
    port, inbox = tls_server
    send_email(_settings(port, "s3cret"), "ada@example.com", "Hello", "Body text")
    [envelope] = inbox.envelopes
    assert envelope.rcpt_tos == ["ada@example.com"]
    assert b"Subject: Hello" in envelope.content


def test_wrong_credentials_raise_and_send_nothing(tls_server: tuple[int, _Inbox]) -> None:
    port, inbox = tls_server
    with pytest.raises(OSError):
        send_email(_settings(port, "wrong"), "ada@example.com", "Hello", "Body text")
    assert inbox.envelopes == []
