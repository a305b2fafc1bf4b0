"""Tests of the transcription job services."""
