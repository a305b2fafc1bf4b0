"""Sections of the editor page around the piano-roll canvas."""
