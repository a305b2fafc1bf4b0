"""Only providers with a client id and secret are offered."""

import pytest
from pydantic import SecretStr

from keycraft.config import Settings
from keycraft.services.auth.providers import (
    GOOGLE_DISCOVERY_URL,
    claim_is_true,
    enabled_providers,
    provider_by_key,
)


def test_nothing_is_enabled_by_default() -> None:
    assert enabled_providers(Settings()) == ()


def test_configured_providers_are_enabled_in_display_order() -> None:
    settings = Settings(
        GOOGLE_CLIENT_ID="g",
        GOOGLE_CLIENT_SECRET=SecretStr("gs"),
        GITHUB_CLIENT_ID="h",
        GITHUB_CLIENT_SECRET=SecretStr(""),
        OIDC_NAME="Conservatory SSO",
        OIDC_CLIENT_ID="o",
        OIDC_CLIENT_SECRET=SecretStr("os"),
        OIDC_DISCOVERY_URL="https://id.example/.well-known/openid-configuration",
    )
    providers = enabled_providers(settings)
    assert [(p.key, p.name, p.kind) for p in providers] == [
        ("google", "Google", "oidc"),
        ("oidc", "Conservatory SSO", "oidc"),
    ]
    assert providers[0].discovery_url == GOOGLE_DISCOVERY_URL
    assert provider_by_key(settings, "github") is None


def test_a_generic_provider_needs_its_discovery_url() -> None:
    settings = Settings(OIDC_CLIENT_ID="o", OIDC_CLIENT_SECRET=SecretStr("os"))
    assert enabled_providers(settings) == ()


@pytest.mark.parametrize(
    ("claim", "verified"),
    [
        (True, True),
        ("true", True),
        ("TRUE", True),
        (False, False),
        ("false", False),
        ("False", False),
        ("0", False),
        ("", False),
        (None, False),
        (1, False),
        ("yes", False),
    ],
)
def test_boolean_claims_are_read_strictly(claim: object, verified: bool) -> None:
    assert claim_is_true(claim) is verified
