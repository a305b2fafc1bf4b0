"""The key the open project is read in: estimated from its notes, or the learner's choice.

The roll spells note names for it (F♯ or G♭). A choice is stored at once with the project,
as one small write beside the notes, and comes back when the project is opened again.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

import reflex as rx

from keycraft.services import project_key
from keycraft.services.container import get_services
from keycraft.services.errors import DomainError
from keycraft.services.notes.key import ALL_KEYS, C_MAJOR, parse_key
from keycraft.state.editor import EditorState
from keycraft.state.editor_base import SAVE_FAILED_MESSAGE

ESTIMATED_OPTION = "Estimated"
"""The choice that follows the notes instead of naming a key."""
KEY_OPTIONS: tuple[str, ...] = (ESTIMATED_OPTION, *(key.name for key in ALL_KEYS))
"""What the key menu offers: the estimate, then the 24 keys (majors, then minors, from C)."""


class EditorKeyState(rx.State):
    """The key shown above the roll and passed to it; the choice is kept with the project."""

    choice: str = ESTIMATED_OPTION
    """The menu's value: ``ESTIMATED_OPTION`` or a key's name ("D♭ major")."""
    key_name: str = C_MAJOR.name
    """The key the notes are spelled in, as shown ("D♭ major")."""
    key_id: str = C_MAJOR.key_id
    """The same key as the roll takes it ("Db major")."""
    estimated_name: str = C_MAJOR.name
    """The key the notes suggest, shown beside a learner's own choice."""

    @rx.var
    def key_label(self) -> str:
        """What the editor shows, e.g. "Key: D major"."""
        return f"Key: {self.key_name}"

    @rx.var
    def key_note(self) -> str:
        """Where the key comes from: the notes, or the learner (with what the notes say)."""
        if self.choice == ESTIMATED_OPTION:
            return "estimated from the notes"
        return f"your choice (the notes suggest {self.estimated_name})"

    async def _editor_project(self) -> tuple[EditorState, project_key.ProjectKey | None]:
        """The editor and the key of its project as it is being edited now."""
        editor = await self.get_state(EditorState)
        project, weights = editor.open_project(), editor.pitch_class_weights()
        if project is None or weights is None:
            return editor, None
        return editor, project_key.project_key(project.key_name, weights)

    def _show(self, shown: project_key.ProjectKey) -> None:
        self.key_name = shown.key.name
        self.key_id = shown.key.key_id
        self.estimated_name = shown.estimated.name
        self.choice = shown.key.name if shown.chosen else ESTIMATED_OPTION

    @rx.event
    async def load(self) -> None:
        """Show the key of the project the editor has just opened."""
        await self.refresh()

    async def refresh(self) -> None:
        """Show the key again for the notes being edited (the editor calls it when they move it)."""
        _, shown = await self._editor_project()
        if shown is not None:
            self._show(shown)

    @rx.event
    async def set_key(self, value: str) -> None:
        """Read the notes in the key named ``value``, or in the estimate; store the choice."""
        if value != ESTIMATED_OPTION and parse_key(value) is None:
            return
        editor, shown = await self._editor_project()
        project = editor.open_project()
        if project is None or shown is None:
            return
        try:
            stored = await asyncio.to_thread(
                project_key.save_key,
                get_services().repository,
                project.user_id,
                project.id,
                None if value == ESTIMATED_OPTION else value,
            )
        except DomainError:
            editor.show_message(SAVE_FAILED_MESSAGE)
            self._show(shown)
            return
        key_id = stored.key_id if stored else None
        editor.keep_stored(lambda p: replace(p, key_name=key_id))
        self._show(replace(shown, key=stored or shown.estimated, chosen=stored is not None))
