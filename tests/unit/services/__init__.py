"""Unit tests for keycraft.services."""
