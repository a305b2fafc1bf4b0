"""The few Stripe API calls we make, through ``stripe.StripeClient`` with timeouts."""

from __future__ import annotations

from typing import Any

import stripe


class StripeUnavailable(Exception):
    """Stripe's API could not be reached or refused the call."""


class StripeGateway:
    """Reads and cancels subscriptions and opens Customer Portal sessions."""

    def __init__(self, secret_key: str, api_base: str | None, timeout_s: float) -> None:
        # base_addresses lets tests point the client at a local HTTP server.
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else None,
            http_client=stripe.HTTPXClient(timeout=timeout_s),
            max_network_retries=1,
        )

    async def retrieve_subscription(self, subscription_id: str) -> dict[str, Any]:
        """Return the current Subscription object as plain data."""
        try:
            subscription = await self._client.v1.subscriptions.retrieve_async(subscription_id)
        except stripe.StripeError as exc:
            raise StripeUnavailable(type(exc).__name__) from exc
        return subscription.to_dict()

    async def cancel_subscription(self, subscription_id: str) -> None:
        """Cancel a subscription now (no further charges, no proration)."""
        try:
            await self._client.v1.subscriptions.cancel_async(subscription_id)
        except stripe.InvalidRequestError as exc:
            if exc.http_status == 404:
                return  # already gone at Stripe: nothing left to charge
            raise StripeUnavailable(type(exc).__name__) from exc
        except stripe.StripeError as exc:
            raise StripeUnavailable(type(exc).__name__) from exc

    async def create_portal_session(self, customer_id: str, return_url: str) -> str:
        """Create a Customer Portal session and return its URL."""
        try:
            session = await self._client.v1.billing_portal.sessions.create_async(
                params={"customer": customer_id, "return_url": return_url}
            )
        except stripe.StripeError as exc:
            raise StripeUnavailable(type(exc).__name__) from exc
        return str(session.url)
