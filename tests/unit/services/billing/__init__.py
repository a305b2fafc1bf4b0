"""Unit tests of the billing services."""
