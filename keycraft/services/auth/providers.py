"""Which OAuth / OpenID Connect providers are configured; unconfigured ones are disabled."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from keycraft.config import Settings

GOOGLE_DISCOVERY_URL = "https://accounts.google.com/.well-known/openid-configuration"
GITHUB_AUTHORIZE_URL = "https://github.com/login/oauth/authorize"
GITHUB_TOKEN_URL = "https://github.com/login/oauth/access_token"
GITHUB_API_URL = "https://api.github.com/"


@dataclass(frozen=True, slots=True)
class OAuthProvider:
    """One sign-in provider.

    ``kind="oidc"`` providers are discovered from ``discovery_url`` and must return a signed
    id_token; GitHub speaks plain OAuth 2, so its identity comes from its REST API.
    """

    key: str
    name: str
    kind: Literal["oidc", "github"]
    client_id: str
    client_secret: str
    discovery_url: str = ""


def enabled_providers(settings: Settings) -> tuple[OAuthProvider, ...]:
    """Providers whose client id and secret are both set, in display order."""
    candidates = (
        (
            "google",
            "Google",
            "oidc",
            settings.google_client_id,
            settings.google_client_secret,
            GOOGLE_DISCOVERY_URL,
        ),
        (
            "github",
            "GitHub",
            "github",
            settings.github_client_id,
            settings.github_client_secret,
            "",
        ),
        (
            "oidc",
            settings.oidc_name,
            "oidc",
            settings.oidc_client_id,
            settings.oidc_client_secret,
            settings.oidc_discovery_url,
        ),
    )
    providers = []
    for key, name, kind, client_id, secret, discovery in candidates:
        if not client_id or secret is None or not secret.get_secret_value():
            continue
        if kind == "oidc" and not discovery:
            continue
        providers.append(
            OAuthProvider(
                key=key,
                name=name,
                kind=kind,  # type: ignore[arg-type]
                client_id=client_id,
                client_secret=secret.get_secret_value(),
                discovery_url=discovery,
            )
        )
    return tuple(providers)


def provider_by_key(settings: Settings, key: str) -> OAuthProvider | None:
    """The enabled provider called ``key``, if any."""
    return next((p for p in enabled_providers(settings) if p.key == key), None)


def claim_is_true(value: object) -> bool:
    """Whether a provider's boolean claim is ``true``, read strictly.

    Only the JSON boolean ``true`` counts (and the string ``"true"``, which some providers
    send): ``bool("false")`` is True, so a naive check would trust an unverified address.
    """
    if isinstance(value, bool):
        return value
    return isinstance(value, str) and value.strip().lower() == "true"
