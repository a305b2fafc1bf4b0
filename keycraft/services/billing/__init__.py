"""Billing: Stripe events become plan state; Stripe owns money, we own entitlements."""
