"""Which security headers a deployment sends: HSTS only over HTTPS off localhost."""

from __future__ import annotations

from keycraft.api.security_headers import security_headers
from keycraft.config import Settings


def test_hsts_is_sent_for_an_https_deployment_only() -> None:
    public = security_headers(Settings(APP_URL="https://app.keycraft.org"))
    local = security_headers(Settings(APP_URL="http://localhost:3000"))
    assert public["Strict-Transport-Security"].startswith("max-age=")
    assert "Strict-Transport-Security" not in local
    assert public["Permissions-Policy"].startswith("microphone=(self)")
