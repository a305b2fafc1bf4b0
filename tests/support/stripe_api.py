"""A local HTTP stand-in for the two Stripe API calls we make, plus signed test events."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import stripe

WEBHOOK_SECRET = "whsec_test_local"
SECRET_KEY = "sk_test_local"
PRICE_PRO_MONTHLY = "price_pro_monthly"
PRICE_PRO_YEARLY = "price_pro_yearly"


@dataclass
class RecordedCall:
    """One request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, list[str]]


@dataclass
class StripeApiServer:
    """Serves subscriptions and portal sessions on 127.0.0.1; records every call."""

    subscriptions: dict[str, dict[str, Any]] = field(default_factory=dict)
    calls: list[RecordedCall] = field(default_factory=list)
    url: str = ""
    _server: ThreadingHTTPServer | None = None

    def start(self) -> StripeApiServer:
        """Listen on a free port in a background thread."""
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                return

            def _record(self) -> RecordedCall:
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                call = RecordedCall(
                    self.command, self.path, dict(self.headers.items()), parse_qs(body)
                )
                api.calls.append(call)
                return call

            def _send(self, status: int, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                call = self._record()
                sub_id = call.path.rsplit("/", 1)[-1].split("?")[0]
                if call.path.startswith("/v1/subscriptions/") and sub_id in api.subscriptions:
                    self._send(200, api.subscriptions[sub_id])
                else:
                    self._send(
                        404,
                        {
                            "error": {
                                "type": "invalid_request_error",
                                "message": "No such subscription",
                            }
                        },
                    )

            def do_DELETE(self) -> None:
                call = self._record()
                sub_id = call.path.rsplit("/", 1)[-1].split("?")[0]
                if call.path.startswith("/v1/subscriptions/") and sub_id in api.subscriptions:
                    api.subscriptions[sub_id] = {**api.subscriptions[sub_id], "status": "canceled"}
                    self._send(200, api.subscriptions[sub_id])
                else:
                    self._send(404, {"error": {"type": "invalid_request_error"}})

            def do_POST(self) -> None:
                call = self._record()
                if call.path == "/v1/billing_portal/sessions":
                    customer = call.form.get("customer", [""])[0]
                    self._send(
                        200,
                        {
                            "id": "bps_1",
                            "object": "billing_portal.session",
                            "customer": customer,
                            "url": f"https://billing.example/session/{customer}",
                        },
                    )
                else:
                    self._send(404, {"error": {"type": "invalid_request_error"}})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()


def subscription(
    sub_id: str,
    customer: str,
    status: str = "active",
    price: str = PRICE_PRO_MONTHLY,
    period_end: int = 1_790_000_000,
    cancel_at_period_end: bool = False,
) -> dict[str, Any]:
    """A Subscription object shaped like Stripe's current API version."""
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "cancel_at_period_end": cancel_at_period_end,
        "items": {
            "object": "list",
            "data": [
                {
                    "id": f"si_{sub_id}",
                    "object": "subscription_item",
                    "price": {"id": price, "object": "price"},
                    "current_period_end": period_end,
                }
            ],
        },
    }


def event(event_id: str, event_type: str, obj: dict[str, Any], created: int) -> dict[str, Any]:
    """A Stripe Event envelope."""
    return {
        "id": event_id,
        "object": "event",
        "type": event_type,
        "created": created,
        "data": {"object": obj},
        "livemode": False,
        "api_version": "2026-10-28.endive",
    }


def checkout_completed(
    event_id: str, user_id: str, customer: str, sub_id: str, created: int, email: str = ""
) -> dict[str, Any]:
    """``checkout.session.completed`` for a Payment Link subscription (``email``: the buyer's)."""
    details = {"customer_details": {"email": email}} if email else {}
    return event(
        event_id,
        "checkout.session.completed",
        {
            "id": f"cs_{event_id}",
            "object": "checkout.session",
            "mode": "subscription",
            "client_reference_id": user_id,
            "customer": customer,
            "subscription": sub_id,
            "payment_status": "paid",
            "status": "complete",
            **details,
        },
        created,
    )


def invoice(
    event_id: str, event_type: str, customer: str, sub_id: str, created: int
) -> dict[str, Any]:
    """``invoice.paid`` / ``invoice.payment_failed`` in the current API's shape."""
    return event(
        event_id,
        event_type,
        {
            "id": f"in_{event_id}",
            "object": "invoice",
            "customer": customer,
            "parent": {
                "type": "subscription_details",
                "subscription_details": {"subscription": sub_id},
            },
        },
        created,
    )


def signed(
    payload: dict[str, Any], secret: str = WEBHOOK_SECRET, timestamp: int | None = None
) -> tuple[bytes, str]:
    """Serialise an event and sign it with Stripe's own helper."""
    body = json.dumps(payload)
    ts = int(time.time()) if timestamp is None else timestamp
    return body.encode(), stripe.WebhookSignature.generate_signature_header(body, secret, ts)


def billing_env(server: StripeApiServer) -> dict[str, str]:
    """App settings that turn billing on against ``server``, with two paid plans."""
    plans = [
        {
            "key": "free",
            "name": "Free",
            "monthly_downloads": 3,
            "monthly_transcription_minutes": 30,
        },
        {
            "key": "pro-monthly",
            "name": "Pro",
            "monthly_downloads": 100,
            "monthly_transcription_minutes": 600,
            "price_cents": 900,
            "stripe_price_id": PRICE_PRO_MONTHLY,
            "payment_link_url": "https://buy.stripe.com/test_monthly",
        },
        {
            "key": "pro-yearly",
            "name": "Pro yearly",
            "monthly_downloads": 100,
            "monthly_transcription_minutes": 600,
            "price_cents": 9000,
            "interval": "year",
            "stripe_price_id": PRICE_PRO_YEARLY,
            "payment_link_url": "https://buy.stripe.com/test_yearly",
        },
    ]
    return {
        "STRIPE_SECRET_KEY": SECRET_KEY,
        "STRIPE_WEBHOOK_SECRET": WEBHOOK_SECRET,
        "STRIPE_API_BASE": server.url,
        "PLANS": json.dumps(plans),
    }
