"""Staff-only screens."""
