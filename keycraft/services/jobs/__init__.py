"""Transcription jobs: records in the repository, run by queue workers, not by browser tabs."""
