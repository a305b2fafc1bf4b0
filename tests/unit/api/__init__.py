"""Unit tests of the HTTP endpoints, in-process."""
