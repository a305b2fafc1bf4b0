"""Unit tests of the accounts and sign-in services."""
