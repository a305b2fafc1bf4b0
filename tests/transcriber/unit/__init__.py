"""Unit tests: pure modules, no model inference."""
