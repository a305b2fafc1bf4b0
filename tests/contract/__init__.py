"""One contract suite that every repository adapter must pass."""
