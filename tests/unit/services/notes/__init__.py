"""Unit tests of the pure note maths."""
