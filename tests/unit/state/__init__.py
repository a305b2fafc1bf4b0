"""Unit tests of the Reflex states '  plain helpers."""
