"""Account changes from the account page: password, per-session sign-out, deletion."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from keycraft.api.auth_http import (
    blocking,
    clear_session_cookie,
    csrf_protected,
    current_user,
    form_fields,
    see_other,
)
from keycraft.routes import ACCOUNT, HOME, sign_in_url, with_query
from keycraft.services.auth import accounts
from keycraft.services.auth.overview import revoke_session
from keycraft.services.auth.types import InvalidCredentials, WeakPassword
from keycraft.services.container import get_services


def _to_sign_in() -> Response:
    return see_other(sign_in_url(next_path=ACCOUNT.path))


@csrf_protected
async def set_password(request: Request) -> Response:
    """Add a password to the account, or change it (the current one must be given)."""
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
    return see_other(with_query(ACCOUNT.path, notice="password_saved"))


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
    await blocking(accounts.delete_account, services.repository, services.storage, user.id)
    response = see_other(with_query(HOME.path, notice="account_deleted"))
    clear_session_cookie(response, request)
    return response
