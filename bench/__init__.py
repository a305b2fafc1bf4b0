"""Benchmarks run against the production build in Chromium."""
