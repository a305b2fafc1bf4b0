"""Integration tests: the real app and models on rendered audio."""
