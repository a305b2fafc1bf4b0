"""One small ``rx.State`` per feature."""
