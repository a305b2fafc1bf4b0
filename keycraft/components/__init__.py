"""Reusable UI pieces composed by pages."""
