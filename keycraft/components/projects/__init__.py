"""Sections of the project list page."""
