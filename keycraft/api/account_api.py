"""Account changes from the account page: password, per-session sign-out, deletion."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from keycraft.api.auth_http import (
    clear_session_cookie,
    csrf_protected,
    form_fields,
    see_other,
    set_session_cookie,
)
from keycraft.api.request_user import blocking, current_user
from keycraft.routes import ACCOUNT, HOME, sign_in_url, with_query
from keycraft.services.auth import accounts
from keycraft.services.auth.overview import revoke_session
from keycraft.services.auth.sessions import start_session
from keycraft.services.auth.types import InvalidCredentials, WeakPassword
from keycraft.services.billing.stripe_gateway import StripeUnavailable
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services

log = logging.getLogger(__name__)


def _to_sign_in() -> Response:
    return see_other(sign_in_url(next_path=ACCOUNT.path))


@csrf_protected
async def set_password(request: Request) -> Response:
    """Add a password or change it (the current one must be given); other sessions end."""
    user = await current_user(request)
    if user is None:
        return _to_sign_in()
    fields = await form_fields(request)
    try:
        await blocking(
            accounts.set_password,
            get_services().repository,
            user.id,
            fields.get("new_password", ""),
            fields.get("current_password", ""),
        )
    except InvalidCredentials:
        return see_other(with_query(ACCOUNT.path, error="current_password_wrong"))
    except WeakPassword as weak:
        return see_other(with_query(ACCOUNT.path, error=f"password_{weak.args[0]}"))
    # A new password is how people lock out whoever learned the old one: every session
    # ends, and this browser gets a fresh one.
    repo = get_services().repository
    await blocking(repo.delete_user_sessions, user.id)
    issued = await blocking(
        start_session, repo, user.id, request.headers.get("user-agent", ""), utc_now()
    )
    response = see_other(with_query(ACCOUNT.path, notice="password_saved"))
    set_session_cookie(response, issued.token)
    return response


@csrf_protected
async def revoke_one_session(request: Request) -> Response:
    """Sign out one of the user's sessions (named by its public id)."""
    user = await current_user(request)
    if user is None:
        return _to_sign_in()
    fields = await form_fields(request)
    await blocking(revoke_session, get_services().repository, user.id, fields.get("session", ""))
    if await current_user(request) is None:
        response = see_other(sign_in_url())
        clear_session_cookie(response, request)
        return response
    return see_other(with_query(ACCOUNT.path, notice="session_revoked"))


@csrf_protected
async def delete_account(request: Request) -> Response:
    """Delete the account and its data once the user has typed their email to confirm."""
    user = await current_user(request)
    if user is None:
        return _to_sign_in()
    fields = await form_fields(request)
    if fields.get("confirm_email", "").strip().lower() != user.email:
        return see_other(with_query(ACCOUNT.path, error="confirm_mismatch"))
    services = get_services()
    if user.subscription_id and user.subscription_status not in ("canceled", "incomplete_expired"):
        # A deleted account must not go on being charged: cancel first, delete after.
        if services.stripe is None:
            return see_other(with_query(ACCOUNT.path, error="billing_unreachable"))
        try:
            await services.stripe.cancel_subscription(user.subscription_id)
        except StripeUnavailable:
            log.exception("could not cancel the subscription of an account being deleted")
            return see_other(with_query(ACCOUNT.path, error="billing_unreachable"))
    await blocking(accounts.delete_account, services.repository, services.storage, user.id)
    response = see_other(with_query(HOME.path, notice="account_deleted"))
    clear_session_cookie(response, request)
    return response
