"""Unit tests of the API helpers."""
