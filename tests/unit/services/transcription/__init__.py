"""Unit tests of the transcription services."""
