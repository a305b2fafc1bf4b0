"""Unit tests of the experiments services."""
