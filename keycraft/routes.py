"""Route constants, URL builders and the one list of every page."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

PRODUCT_NAME = "KeyCraft"


@dataclass(frozen=True)
class PageRoute:
    """A page's path and its search/social metadata."""

    path: str
    title: str
    description: str


HOME = PageRoute(
    path="/",
    title=f"{PRODUCT_NAME} — turn piano recordings into editable MIDI",
    description=(
        "Record or upload a piano piece, get it transcribed to MIDI, fix the notes in a "
        "piano-roll editor, play it back and download the MIDI."
    ),
)

PROJECTS = PageRoute(
    path="/projects",
    title=f"Your projects — {PRODUCT_NAME}",
    description="Your pieces: open, rename, duplicate or delete them, or start a new one.",
)

EDITOR = PageRoute(
    path="/editor/[project_id]",
    title=f"Editor — {PRODUCT_NAME}",
    description="Edit, play and export the notes of a piece in the piano roll.",
)

ALL_PAGES: tuple[PageRoute, ...] = (HOME, PROJECTS, EDITOR)
"""Every page of the app; ``keycraft.pages.PAGES`` supplies a component for each."""

HEALTH_API = "/api/health"

SIGN_IN_PATH = "/sign-in"

PROJECT_MIDI_API = "/api/projects/{project_id}/midi"
PROJECT_AUDIO_API = "/api/projects/{project_id}/audio"


def editor_url(project_id: str) -> str:
    """The editor page of one project."""
    return f"/editor/{project_id}"


def project_midi_url(project_id: str) -> str:
    """Where the browser downloads a project's MIDI file."""
    return PROJECT_MIDI_API.format(project_id=project_id)


def project_audio_url(project_id: str) -> str:
    """Where the editor streams a project's original recording."""
    return PROJECT_AUDIO_API.format(project_id=project_id)


def sign_in_url(next_path: str = "") -> str:
    """The sign-in page, returning to ``next_path`` (a same-site path) afterwards."""
    return f"{SIGN_IN_PATH}?{urlencode({'next': next_path})}" if next_path else SIGN_IN_PATH
