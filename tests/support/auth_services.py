"""Real servers for sign-in tests: an SMTP sink (aiosmtpd) and a local OpenID provider (npm)."""

from __future__ import annotations

import email
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from email.message import Message
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

from tests.support.processes import REPO_ROOT, ServerProcess, free_port, http_ok

OIDC_SCRIPT = REPO_ROOT / "tests" / "services" / "oidc_provider.mjs"
OIDC_CLIENT_ID = "keycraft-test"
OIDC_DEFAULT_LOGIN = "oidc-pianist@example.com"
LINK_PATTERN = re.compile(r"https?://\S+/sign-in/link\?\S+")
PER_IP_LIMIT = 12
PER_ACCOUNT_LIMIT = 5
SIBLING_ORIGIN = "http://sibling.keycraft.test"
AUTH_TEST_SETTINGS = {
    # Tests name their client address in X-Forwarded-For, so rate limits stay per test.
    "TRUSTED_PROXY_COUNT": "1",
    "AUTH_RATE_LIMIT_PER_IP": str(PER_IP_LIMIT),
    "AUTH_RATE_LIMIT_PER_ACCOUNT": str(PER_ACCOUNT_LIMIT),
    "CORS_ALLOWED_ORIGINS": SIBLING_ORIGIN,
}
"""Settings the shared app gets for sign-in tests (low limits keep the 429 tests quick)."""


@dataclass
class _Collector:
    messages: list[Message] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted"


class SmtpSink:
    """An SMTP server on 127.0.0.1 that keeps every message it receives."""

    def __init__(self) -> None:
        self.port = free_port()
        self._collector = _Collector()
        self._controller = Controller(self._collector, hostname="127.0.0.1", port=self.port)

    def start(self) -> None:
        """Start accepting mail."""
        self._controller.start()

    def stop(self) -> None:
        """Stop the server."""
        self._controller.stop()

    def settings(self) -> dict[str, str]:
        """App settings that send mail here (plain SMTP on loopback)."""
        return {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(self.port),
            "SMTP_SECURITY": "none",
            "MAIL_FROM": "KeyCraft <no-reply@keycraft.test>",
        }

    def messages_to(self, address: str) -> list[Message]:
        """Messages received so far for ``address``."""
        with self._collector.lock:
            return [m for m in self._collector.messages if m["To"] == address]

    def wait_for_link(self, address: str, count: int = 1, timeout_s: float = 10) -> str:
        """The sign-in link in the ``count``-th message to ``address`` (waits for it)."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            found = self.messages_to(address)
            if len(found) >= count:
                body = found[count - 1].get_payload(decode=True)
                assert isinstance(body, bytes)
                match = LINK_PATTERN.search(body.decode())
                assert match, "no sign-in link in the message"
                return match.group(0)
            time.sleep(0.05)
        raise AssertionError(f"no email to {address} within {timeout_s}s")


@dataclass(frozen=True)
class OidcConfig:
    """Where the local provider will listen and the client the app uses with it."""

    port: int
    client_secret: str

    @property
    def issuer(self) -> str:
        """The provider's issuer URL."""
        return f"http://127.0.0.1:{self.port}"

    def settings(self) -> dict[str, str]:
        """App settings that enable the generic OIDC provider."""
        return {
            "OIDC_NAME": "Local OIDC",
            "OIDC_DISCOVERY_URL": f"{self.issuer}/.well-known/openid-configuration",
            "OIDC_CLIENT_ID": OIDC_CLIENT_ID,
            "OIDC_CLIENT_SECRET": self.client_secret,
        }


def new_oidc_config() -> OidcConfig:
    """A provider port and a client secret generated for this run."""
    return OidcConfig(port=free_port(), client_secret=secrets.token_urlsafe(24))


def start_oidc_provider(config: OidcConfig, redirect_uri: str, log: Path) -> ServerProcess:
    """Run ``oidc_provider.mjs`` with node; return once discovery answers."""
    server = ServerProcess(
        ["node", str(OIDC_SCRIPT)],
        log=log,
        env={
            "PORT": str(config.port),
            "CLIENT_ID": OIDC_CLIENT_ID,
            "CLIENT_SECRET": config.client_secret,
            "REDIRECT_URI": redirect_uri,
            "DEFAULT_LOGIN": OIDC_DEFAULT_LOGIN,
        },
        cwd=OIDC_SCRIPT.parent,
    )
    discovery = f"{config.issuer}/.well-known/openid-configuration"
    server.wait_ready(lambda: http_ok(discovery), 30, "OIDC provider")
    return server
