"""Accounts and sign-in: passwords, email links, OAuth identities, rate limits, web safety."""
