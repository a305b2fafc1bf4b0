"""Billing endpoints: the Stripe webhook, checkout redirect and Customer Portal."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from keycraft.api.auth_http import came_from_our_pages
from keycraft.api.request_user import blocking, current_user
from keycraft.routes import ACCOUNT, checkout_url, sign_in_url
from keycraft.services.billing.checkout import PlanNotPurchasable, payment_link_for
from keycraft.services.billing.stripe_gateway import StripeUnavailable
from keycraft.services.billing.webhook import InvalidSignature, handle_event, verify_event
from keycraft.services.clock import utc_now
from keycraft.services.container import get_services
from keycraft.services.errors import NotFound
from keycraft.services.experiments.model import Metric
from keycraft.services.experiments.service import record_conversion
from keycraft.services.metrics import record_webhook_outcome

log = logging.getLogger(__name__)

WEBHOOK_API = "/api/stripe/webhook"
MAX_WEBHOOK_BYTES = 512 * 1024
"""Stripe's event payloads are a few KB; anything far larger is not Stripe's."""


async def _capped_body(request: Request, max_bytes: int) -> bytes | None:
    """The request body, or None as soon as it is (or says it will be) over ``max_bytes``."""
    announced = request.headers.get("content-length", "")
    if announced and (not announced.isdigit() or int(announced) > max_bytes):
        return None
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > max_bytes:
            return None
    return bytes(body)


_METRIC_OUTCOME = {
    "applied": "processed",
    "stale": "processed",
    "duplicate": "duplicate",
    "ignored": "ignored",
    "unmatched": "ignored",
    # Acknowledged to Stripe (a retry would be refused again) but counted as a failure, so
    # the failed-webhook alarm calls a human to look at the checkout.
    "refused": "failed",
}
"""Webhook outcomes as the metrics and the CloudWatch alarm count them."""


def _error(status: int, code: str, message: str) -> JSONResponse:
    return JSONResponse({"error": code, "message": message}, status_code=status)


async def stripe_webhook(request: Request) -> Response:
    """Verify and apply one Stripe event; 400 (nothing changed) on a bad signature."""
    services = get_services()
    secret = services.settings.stripe_webhook_secret
    if secret is None or services.stripe is None:
        return _error(503, "billing_disabled", "Billing is not configured.")
    payload = await _capped_body(request, MAX_WEBHOOK_BYTES)
    if payload is None:
        record_webhook_outcome("invalid")
        return _error(413, "too_large", "The payload is too large.")
    try:
        event = verify_event(
            payload, request.headers.get("stripe-signature", ""), secret.get_secret_value()
        )
        result = await handle_event(
            event, services.repository, services.plans, services.stripe, utc_now()
        )
    except InvalidSignature:
        record_webhook_outcome("invalid")
        return _error(400, "bad_signature", "Signature verification failed.")
    except StripeUnavailable:
        record_webhook_outcome("failed")
        # Non-2xx makes Stripe retry later, which is what we want while its API is down.
        return _error(503, "stripe_unavailable", "Stripe could not be reached; retry later.")
    except NotFound:
        record_webhook_outcome("ignored")
        # The account was deleted meanwhile: acknowledge, or Stripe would retry for days.
        return JSONResponse({"received": True, "outcome": "unknown_user"})
    record_webhook_outcome(_METRIC_OUTCOME[result.outcome], result.event_type)
    log.info("stripe event %s %s: %s", result.event_id, result.event_type, result.outcome)
    return JSONResponse({"received": True, "outcome": result.outcome})


async def checkout(request: Request) -> Response:
    """Send a signed-in user to the plan's Payment Link (signed-out: sign in first)."""
    plan_key = request.query_params.get("plan", "")
    user = await current_user(request)
    if user is None:
        return RedirectResponse(sign_in_url(next_path=checkout_url(plan_key)), status_code=303)
    try:
        url = payment_link_for(get_services().plans.get(plan_key), user)
    except PlanNotPurchasable:
        return _error(404, "unknown_plan", "That plan cannot be bought.")
    await blocking(
        record_conversion,
        get_services().repository,
        Metric.CHECKOUT_STARTED,
        utc_now(),
        user_id=user.id,
    )
    return RedirectResponse(url, status_code=303)


async def portal(request: Request) -> Response:
    """Open the Stripe Customer Portal for the signed-in, paying user."""
    services = get_services()
    if not came_from_our_pages(request):
        return _error(403, "csrf", "This request did not come from KeyCraft.")
    user = await current_user(request)
    if user is None:
        return _error(401, "signed_out", "Please sign in first.")
    if services.stripe is None:
        return _error(503, "billing_disabled", "Billing is not configured.")
    if not user.stripe_customer_id:
        return _error(409, "no_subscription", "You have no subscription to manage yet.")
    return_url = services.settings.app_url.rstrip("/") + ACCOUNT.path
    try:
        url = await services.stripe.create_portal_session(user.stripe_customer_id, return_url)
    except StripeUnavailable:
        return _error(503, "stripe_unavailable", "Stripe could not be reached; try again.")
    return RedirectResponse(url, status_code=303)
