"""Transkun piano transcription model adapter."""
