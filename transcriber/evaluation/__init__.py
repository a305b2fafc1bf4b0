"""Evaluation material: written pieces, rendering and scoring."""
