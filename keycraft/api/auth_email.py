"""Email links: ``POST /api/auth/email-link`` sends one, ``.../verify`` signs in with it."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from keycraft.api.auth_http import (
    csrf_protected,
    form_fields,
    hit_limits,
    ip_address,
    limits,
    see_other,
    settings,
    sign_in_destination,
    signed_in_redirect,
    submitted_next,
    too_many_attempts,
)
from keycraft.api.request_user import blocking, current_user
from keycraft.routes import ACCOUNT, EMAIL_LINK, SIGN_IN, email_link_url, with_query
from keycraft.services.auth import accounts
from keycraft.services.auth.email_links import issue_email_token
from keycraft.services.auth.emails import normalise_email
from keycraft.services.auth.mailer import send_email, sign_in_link_email, smtp_configured
from keycraft.services.auth.types import (
    EmailTokenPurpose,
    InvalidEmail,
    InvalidEmailLink,
    RateLimited,
)
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services

log = logging.getLogger(__name__)


async def send_link(email: str, purpose: EmailTokenPurpose, next_path: str) -> str:
    """Issue a link token for ``email``, mail the link and return it.

    Raises:
        OSError: The SMTP server could not take the message.
    """
    s = settings()
    token = await blocking(issue_email_token, get_services().repository, email, purpose, utc_now())
    link = email_link_url(s.app_url, token, next_path)
    subject, body = sign_in_link_email(link)
    await blocking(send_email, s, email, subject, body)
    return link


@csrf_protected
async def request_email_link(request: Request) -> Response:
    """Send a sign-in link; the answer is the same whether or not the account exists."""
    fields = await form_fields(request)
    next_value = sign_in_destination(request, fields.get("next"))
    back = with_query(SIGN_IN.path, next=submitted_next(request, fields.get("next")))
    try:
        email = normalise_email(fields.get("email", ""))
    except InvalidEmail:
        return see_other(with_query(back, error="invalid_email"))
    try:
        await hit_limits(
            (limits().email_link_ip, ip_address(request)), (limits().email_link_account, email)
        )
    except RateLimited as limited:
        return too_many_attempts(limited.retry_after_s, SIGN_IN.path)
    try:
        link = await send_link(email, EmailTokenPurpose.SIGN_IN, next_value)
    except OSError:
        log.exception("could not send a sign-in link")
        return see_other(with_query(back, error="email_not_sent"))
    s = settings()
    # Local runs without SMTP: the link is in the server log, and on screen in dev mode only.
    dev_link = link if s.env == "dev" and not smtp_configured(s) else ""
    return see_other(with_query(EMAIL_LINK.path, sent="1", dev_link=dev_link))


@csrf_protected
async def verify_email_link(request: Request) -> Response:
    """Use up the link's token and sign its address in (creating the account if new)."""
    fields = await form_fields(request)
    destination = sign_in_destination(request, fields.get("next"))
    repo = get_services().repository
    signed_in = await current_user(request)
    try:
        result = await blocking(
            accounts.sign_in_with_email_token,
            repo,
            fields.get("token", ""),
            utc_now(),
            signed_in.id if signed_in else "",
        )
    except InvalidEmailLink:
        return see_other(with_query(EMAIL_LINK.path, error="link_invalid"))
    if result.reclaimed:
        # Someone registered this address without proving it: their password and sessions
        # are gone; the owner is told, and can set a password of their own.
        log.warning("email link reclaimed an unverified account", extra={"user_id": result.user.id})
        destination = with_query(ACCOUNT.path, notice="account_reclaimed")
    return await signed_in_redirect(request, result.user.id, destination)
