"""A/B experiments: declarations, assignment, exposures, conversions and their statistics."""
