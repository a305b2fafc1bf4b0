"""Sections of the home page."""
