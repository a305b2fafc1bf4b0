"""Unit tests of the plain helpers next to the Reflex states."""
