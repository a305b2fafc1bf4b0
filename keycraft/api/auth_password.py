"""``POST /api/auth/sign-up`` and ``POST /api/auth/sign-in``: email + password forms."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from keycraft.api.auth_email import send_link
from keycraft.api.auth_http import (
    csrf_protected,
    form_fields,
    hit_limits,
    ip_address,
    limits,
    see_other,
    sign_in_destination,
    signed_in_redirect,
    submitted_next,
    too_many_attempts,
)
from keycraft.api.request_user import blocking
from keycraft.routes import SIGN_IN, SIGN_UP, with_query
from keycraft.services.auth import accounts
from keycraft.services.auth.types import (
    EmailTokenPurpose,
    InvalidCredentials,
    InvalidEmail,
    RateLimited,
    WeakPassword,
)
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import EmailTaken

log = logging.getLogger(__name__)


@csrf_protected
async def sign_up(request: Request) -> Response:
    """Create a password account, sign it in and send the verification link."""
    fields = await form_fields(request)
    destination = sign_in_destination(request, fields.get("next"))
    back = with_query(SIGN_UP.path, next=submitted_next(request, fields.get("next")))
    try:
        await hit_limits((limits().sign_up_ip, ip_address(request)))
    except RateLimited as limited:
        return too_many_attempts(limited.retry_after_s, SIGN_UP.path)
    repo = get_services().repository
    try:
        user = await blocking(
            accounts.sign_up,
            repo,
            fields.get("email", ""),
            fields.get("password", ""),
            fields.get("name", ""),
            utc_now(),
        )
    except InvalidEmail:
        return see_other(with_query(back, error="invalid_email"))
    except WeakPassword as weak:
        return see_other(with_query(back, error=f"password_{weak.args[0]}"))
    except EmailTaken:
        return see_other(with_query(back, error="email_taken"))
    try:
        await send_link(user.email, EmailTokenPurpose.VERIFY, "/account")
    except OSError:
        # The account exists either way; the address can be verified with a new link later.
        log.exception("could not send the verification email")
    return await signed_in_redirect(request, user.id, destination)


@csrf_protected
async def sign_in(request: Request) -> Response:
    """Check email + password; one answer for unknown emails and wrong passwords."""
    fields = await form_fields(request)
    email = fields.get("email", "").strip().lower()
    destination = sign_in_destination(request, fields.get("next"))
    back = with_query(SIGN_IN.path, next=submitted_next(request, fields.get("next")))
    try:
        await hit_limits(
            (limits().sign_in_ip, ip_address(request)), (limits().sign_in_account, email)
        )
    except RateLimited as limited:
        return too_many_attempts(limited.retry_after_s, SIGN_IN.path)
    repo = get_services().repository
    try:
        user = await blocking(
            accounts.sign_in_with_password, repo, email, fields.get("password", "")
        )
    except InvalidCredentials:
        return see_other(with_query(back, error="invalid_credentials"))
    return await signed_in_redirect(request, user.id, destination)
