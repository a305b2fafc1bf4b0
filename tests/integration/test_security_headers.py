"""Browser security headers on real responses: pages, API, refusals; a capped webhook body."""

from __future__ import annotations

import httpx
import pytest

from tests.support.app_server import RunningApp


@pytest.mark.parametrize("path", ["/", "/api/health", "/sign-in", "/no-such-page"])
def test_every_response_carries_the_security_headers(app: RunningApp, path: str) -> None:
    response = httpx.get(f"{app.url}{path}", timeout=20)
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "microphone=(self)" in headers["permissions-policy"]
    assert "strict-transport-security" not in headers  # plain-HTTP localhost


def test_an_oversized_webhook_body_is_refused_unread(app: RunningApp) -> None:
    body = b"{" + b" " * (2 * 1024 * 1024) + b"}"
    response = httpx.post(
        f"{app.url}/api/stripe/webhook",
        content=body,
        headers={"stripe-signature": "t=1,v1=00", "content-type": "application/json"},
        timeout=30,
    )
    assert response.status_code == 413
