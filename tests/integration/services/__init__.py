"""Integration tests of services against real stores."""
