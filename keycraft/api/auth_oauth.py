"""OAuth 2 / OpenID Connect sign-in (authlib): start → provider → callback.

Authorization code with PKCE (S256), ``state`` and (OIDC) ``nonce``; authlib keeps them in
``request.session``, which lives here in a short-lived signed cookie scoped to these paths.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from typing import Any

from authlib.integrations.starlette_client import OAuth, OAuthError
from httpx import HTTPError
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from keycraft.api.auth_http import (
    see_other,
    settings,
    sign_in_destination,
    signed_in_redirect,
)
from keycraft.api.request_user import blocking, current_user
from keycraft.config import Settings
from keycraft.routes import ACCOUNT, PROJECTS, SIGN_IN, oauth_callback_url, with_query
from keycraft.services.auth import accounts
from keycraft.services.auth.accounts import ProviderIdentity
from keycraft.services.auth.providers import (
    GITHUB_API_URL,
    GITHUB_AUTHORIZE_URL,
    GITHUB_TOKEN_URL,
    OAuthProvider,
    claim_is_true,
    enabled_providers,
    provider_by_key,
)
from keycraft.services.auth.types import (
    InvalidEmail,
    OAuthIdentityTaken,
    UnverifiedProviderEmail,
)
from keycraft.services.auth.web import cookie_policy
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import NotFound

log = logging.getLogger(__name__)

STATE_COOKIE = "kc_oauth"
STATE_COOKIE_PATH = "/api/auth/oauth/"
STATE_MAX_AGE_S = 600
OIDC_SCOPE = "openid email profile"
GITHUB_SCOPE = "read:user user:email"


def _registry(config: Settings) -> OAuth:
    return _build_registry(enabled_providers(config), config.oauth_timeout_s)


@lru_cache(maxsize=4)
def _build_registry(providers: tuple[OAuthProvider, ...], timeout_s: float) -> OAuth:
    # Built once per configuration: authlib caches discovery documents and JWKS in it.
    oauth = OAuth()
    for provider in providers:
        common: dict[str, Any] = {
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        }
        if provider.kind == "oidc":
            oauth.register(
                provider.key,
                server_metadata_url=provider.discovery_url,
                client_kwargs={
                    "scope": OIDC_SCOPE,
                    "code_challenge_method": "S256",
                    "timeout": timeout_s,
                },
                **common,
            )
        else:
            oauth.register(
                provider.key,
                authorize_url=GITHUB_AUTHORIZE_URL,
                access_token_url=GITHUB_TOKEN_URL,
                api_base_url=GITHUB_API_URL,
                client_kwargs={
                    "scope": GITHUB_SCOPE,
                    "code_challenge_method": "S256",
                    "timeout": timeout_s,
                },
                **common,
            )
    return oauth


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings().secret_key.get_secret_value(), salt="kc-oauth-state")


def _failed(code: str = "oauth_failed") -> Response:
    response = see_other(with_query(SIGN_IN.path, error=code))
    response.delete_cookie(STATE_COOKIE, path=STATE_COOKIE_PATH)
    return response


async def oauth_start(request: Request) -> Response:
    """Redirect to the provider's authorization endpoint (a 404 for disabled providers)."""
    provider = provider_by_key(settings(), request.path_params["provider"])
    if provider is None:
        return PlainTextResponse("Unknown sign-in provider.", 404)
    client = _registry(settings()).create_client(provider.key)
    request.scope["session"] = {
        "next": sign_in_destination(request, request.query_params.get("next")),
        "intent": "link" if request.query_params.get("intent") == "link" else "sign_in",
    }
    extra: dict[str, str] = {}
    hint = request.query_params.get("login_hint", "")
    if hint and len(hint) <= 320 and "@" in hint:
        extra["login_hint"] = hint  # pre-selects the account at providers that support it
    try:
        response = await client.authorize_redirect(
            request, oauth_callback_url(settings().app_url, provider.key), **extra
        )
    except (OAuthError, HTTPError):
        log.exception("could not start sign-in with %s", provider.key)
        return _failed()
    response.set_cookie(
        STATE_COOKIE,
        _serializer().dumps(request.scope["session"]),
        max_age=STATE_MAX_AGE_S,
        path=STATE_COOKIE_PATH,
        secure=cookie_policy(settings()).secure,
        httponly=True,
        samesite="lax",
    )
    return response


async def _identity(
    provider: OAuthProvider, client: Any, token: dict[str, Any]
) -> ProviderIdentity:
    if provider.kind == "oidc":
        claims = token.get("userinfo")  # set only when the id_token verified (sig, aud, nonce)
        if not claims:
            raise OAuthError(description="no verified id_token")
        info = await client.userinfo(token=token)
        if info.get("sub") != claims.get("sub"):
            raise OAuthError(description="userinfo subject differs from the id_token")
        return ProviderIdentity(
            provider=provider.key,
            subject=str(claims["sub"]),
            email=str(info.get("email") or ""),
            email_verified=claim_is_true(info.get("email_verified")),
            name=str(info.get("name") or ""),
        )
    profile = (await client.get("user", token=token)).json()
    emails = (await client.get("user/emails", token=token)).json()
    primary = next(
        (e for e in emails if claim_is_true(e.get("primary")) and claim_is_true(e.get("verified"))),
        None,
    )
    return ProviderIdentity(
        provider=provider.key,
        subject=str(profile["id"]),
        email=str(primary["email"]) if primary else "",
        email_verified=primary is not None,
        name=str(profile.get("name") or profile.get("login") or ""),
    )


async def oauth_callback(request: Request) -> Response:
    """Finish the code flow, verify who signed in, then sign them in or link the identity."""
    provider = provider_by_key(settings(), request.path_params["provider"])
    if provider is None:
        return PlainTextResponse("Unknown sign-in provider.", 404)
    try:
        saved = _serializer().loads(request.cookies.get(STATE_COOKIE, ""), max_age=STATE_MAX_AGE_S)
    except BadSignature:
        return _failed()
    request.scope["session"] = saved
    client = _registry(settings()).create_client(provider.key)
    try:
        token = await client.authorize_access_token(request)
        identity = await _identity(provider, client, token)
    except (OAuthError, HTTPError, KeyError, ValueError):
        log.warning("sign-in with %s failed", provider.key, exc_info=True)
        return _failed()
    linking = saved.get("intent") == "link"
    user_id = ""
    if linking:
        signed_in = await current_user(request)
        user_id = signed_in.id if signed_in else ""
    repo = get_services().repository
    try:
        user = await blocking(accounts.sign_in_with_oauth, repo, identity, utc_now(), user_id)
    except UnverifiedProviderEmail:
        return _failed("oauth_unverified")
    except OAuthIdentityTaken:
        return _failed("oauth_taken")
    except (InvalidEmail, NotFound):
        return _failed()
    response: Response
    if user_id:
        # Linked to the signed-in account: their current session carries on.
        response = see_other(with_query(ACCOUNT.path, notice="provider_linked"))
    else:
        response = await signed_in_redirect(request, user.id, str(saved.get("next", PROJECTS.path)))
    response.delete_cookie(STATE_COOKIE, path=STATE_COOKIE_PATH)
    return response
