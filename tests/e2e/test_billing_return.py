"""Journey: after paying, the return page waits for Stripe's webhook, then shows Pro."""

import time
import uuid

import httpx
from playwright.sync_api import Browser, expect

from tests.support.app_server import RunningApp
from tests.support.signed_in import create_user, signed_in_context
from tests.support.stripe_api import StripeApiServer, checkout_completed, signed, subscription


def test_return_page_shows_the_plan_once_the_webhook_lands(
    app: RunningApp, browser: Browser, stripe_api: StripeApiServer
) -> None:
    user = create_user(app)
    context = signed_in_context(browser, app, user)
    page = context.new_page()
    page.goto(f"{app.url}/billing/return")
    status = page.get_by_test_id("billing-return")
    expect(status).to_contain_text("Confirming your payment")

    customer, sub_id = f"cus_{uuid.uuid4().hex[:10]}", f"sub_{uuid.uuid4().hex[:10]}"
    stripe_api.subscriptions[sub_id] = subscription(sub_id, customer)
    body, header = signed(
        checkout_completed(f"evt_{sub_id}", user.id, customer, sub_id, int(time.time()))
    )
    response = httpx.post(
        f"{app.url}/api/stripe/webhook", content=body, headers={"stripe-signature": header}
    )
    assert response.json()["outcome"] == "applied"
    expect(status).to_contain_text("Welcome to Pro", timeout=15_000)

    page.goto(f"{app.url}/account")
    expect(page.get_by_test_id("account-plan")).to_contain_text("Pro")
    expect(page.get_by_role("button", name="Manage subscription")).to_be_visible()
    context.close()


def test_return_page_requires_a_session(app: RunningApp, browser: Browser) -> None:
    page = browser.new_page()
    page.goto(f"{app.url}/billing/return")
    page.wait_for_url("**/sign-in?next=*")
    page.close()
