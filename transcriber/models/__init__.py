"""Model adapters and the process-wide model registry."""
