"""HTTP tests against the served app and real local servers."""
