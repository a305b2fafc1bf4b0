"""Upgrade sends users to the Payment Link; Manage opens the Customer Portal."""

from __future__ import annotations

import time
import uuid
from urllib.parse import parse_qs, urlsplit

import httpx

from keycraft.services.auth.sessions import SESSION_COOKIE, start_session
from keycraft.services.clock import utc_now
from keycraft.services.domain import User
from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user
from tests.support.stripe_api import StripeApiServer, checkout_completed, signed, subscription


def client_for(app: RunningApp, user: User | None) -> httpx.Client:
    cookies = {}
    if user is not None:
        cookies[SESSION_COOKIE] = start_session(app.repository(), user.id, "t", utc_now()).token
    return httpx.Client(base_url=app.url, cookies=cookies, follow_redirects=False, timeout=30)


def test_upgrade_redirects_to_the_payment_link_with_the_user(app: RunningApp) -> None:
    user = create_user(app)
    response = client_for(app, user).get("/api/billing/checkout", params={"plan": "pro-yearly"})
    assert response.status_code == 303
    target = urlsplit(response.headers["location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == "https://buy.stripe.com/test_yearly"
    assert parse_qs(target.query) == {
        "client_reference_id": [user.id],
        "prefilled_email": [user.email],
    }


def test_upgrade_when_signed_out_goes_through_sign_in(app: RunningApp) -> None:
    response = client_for(app, None).get("/api/billing/checkout", params={"plan": "pro-monthly"})
    assert response.status_code == 303
    location = urlsplit(response.headers["location"])
    assert location.path == "/sign-in"
    assert parse_qs(location.query)["next"] == ["/api/billing/checkout?plan=pro-monthly"]


def test_free_or_unknown_plans_cannot_be_bought(app: RunningApp) -> None:
    client = client_for(app, create_user(app))
    for plan in ("free", "platinum"):
        assert client.get("/api/billing/checkout", params={"plan": plan}).status_code == 404


def test_portal_session_is_created_for_a_paying_user(
    app: RunningApp, stripe_api: StripeApiServer
) -> None:
    user = create_user(app)
    customer, sub_id = f"cus_{uuid.uuid4().hex[:10]}", f"sub_{uuid.uuid4().hex[:10]}"
    stripe_api.subscriptions[sub_id] = subscription(sub_id, customer)
    body, header = signed(
        checkout_completed(f"evt_{sub_id}", user.id, customer, sub_id, int(time.time()))
    )
    httpx.post(
        f"{app.url}/api/stripe/webhook",
        content=body,
        headers={"stripe-signature": header},
        timeout=30,
    )
    client = client_for(app, user)

    refused = client.post("/api/billing/portal", headers={"origin": "https://evil.example"})
    assert refused.status_code == 403
    assert client.post("/api/billing/portal").status_code == 403

    response = client.post("/api/billing/portal", headers={"origin": app.env["APP_URL"]})
    assert response.status_code == 303
    assert response.headers["location"] == f"https://billing.example/session/{customer}"
    call = [c for c in stripe_api.calls if c.path == "/v1/billing_portal/sessions"][-1]
    assert call.form["customer"] == [customer]
    assert call.form["return_url"] == [f"{app.env['APP_URL']}/account"]
    assert call.headers["Authorization"] == "Bearer sk_test_local"


def test_portal_without_a_subscription_is_a_clear_conflict(app: RunningApp) -> None:
    client = client_for(app, create_user(app))
    response = client.post("/api/billing/portal", headers={"origin": app.env["APP_URL"]})
    assert response.status_code == 409
    assert response.json()["error"] == "no_subscription"
