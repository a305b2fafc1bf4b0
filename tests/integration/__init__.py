"""Integration tests: real servers and stores started by fixtures."""
