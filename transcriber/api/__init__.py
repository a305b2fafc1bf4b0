"""HTTP layer: blueprint and request parsing."""
