"""KeyCraft transcription service: audio recordings in, piano MIDI out."""

from transcriber.app import create_app

__all__ = ["create_app"]
