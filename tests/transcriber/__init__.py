"""Tests of the transcription service."""
