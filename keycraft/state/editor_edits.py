"""Note and pedal edits in the editor: the roll's commits and shortcuts, and the toolbar's."""

from __future__ import annotations

import reflex as rx
from reflex.event import EventSpec

from keycraft.services.errors import DomainError
from keycraft.services.notes import edits, roll_events
from keycraft.services.notes.roll_events import (
    CommandEvent,
    CommitEvent,
    PedalEvent,
    SelectionEvent,
    ToolEvent,
)
from keycraft.services.notes.session import EditingSession, ServerEdit
from keycraft.state.editor_base import PEDAL_EDIT_MESSAGE, error_message
from keycraft.state.editor_settings import EditorSettingsMixin

QUANTIZE_FALLBACK_TICKS = 120
"""The grid quantize uses while snapping is off: a sixteenth note."""


class EditorEditsMixin(EditorSettingsMixin, mixin=True):
    """Each edit is one undo step in the session, sent back to the roll as a small patch."""

    tool: str = "draw"
    velocity: int = 90

    # --- events from the piano roll ------------------------------------------------------
    @rx.event
    async def commit(self, changeset: CommitEvent) -> EventSpec | None:
        """A finished edit from the roll (draw, move, resize, delete): apply and save it."""
        if self._session is None:
            return None
        try:
            self._session.commit(edits.changeset_from_payload(changeset))
        except DomainError as exc:
            self.message = error_message(exc)
            # The browser shows an edit the server refused: resend the truth.
            self._reload_notes()
            self._received(changeset)
            return None
        self._refresh_counts()
        return await self._after_edit(roll_events.is_burst(changeset), changeset)

    @rx.event
    async def change_pedals(self, event: PedalEvent) -> EventSpec | None:
        """The pedal lane's spans after a draw, move, resize or delete: one undoable step."""
        if self._session is None:
            return None
        try:
            edit = self._session.set_pedals(edits.pedals_from_payload(event))
        except DomainError:
            self.message = PEDAL_EDIT_MESSAGE
            # The browser shows spans the server refused: resend the truth.
            self._reload_notes()
            self._received(event)
            return None
        if edit is None:
            self._received(event)
            return None
        self._refresh_counts()
        return await self._after_edit(roll_events.is_burst(event), event)

    @rx.event
    def select(self, selection: SelectionEvent) -> None:
        """The roll's selection changed."""
        self._selected = roll_events.selected_ids(selection)
        self.selection_count = len(self._selected)

    @rx.event
    async def command(self, event: CommandEvent) -> EventSpec | None:
        """A shortcut pressed in the roll."""
        shortcut = roll_events.command(event)
        saver = None
        if shortcut.name == "help":
            self.help_open = True
        elif shortcut.name == "copy":
            if self._session is not None:
                self._session.copy(self._selected)
        else:
            saver = await self._server_edit(
                shortcut.name, shortcut.tick, burst=roll_events.is_burst(event), event=event
            )
        # Again after any save: a command that changed nothing is acknowledged here.
        self._received(event)
        return saver

    @rx.event
    def change_tool(self, event: ToolEvent) -> None:
        """The roll switched tools from the keyboard (D/B draw, S/V select)."""
        tool = roll_events.tool(event)
        if tool is not None:
            self.tool = tool

    def _operation(
        self, session: EditingSession, name: str, tick: int, amount: int
    ) -> ServerEdit | None:
        """Carry out the edit ``name`` on the selection (or at ``tick``); None if unknown."""
        selected = self._selected
        operations = {
            "undo": lambda: session.undo(),
            "redo": lambda: session.redo(),
            "cut": lambda: session.cut(selected),
            "paste": lambda: session.paste(max(0, tick)),
            "duplicate": lambda: session.duplicate(selected),
            "quantize": lambda: session.quantize(
                selected, self.snap_ticks or QUANTIZE_FALLBACK_TICKS
            ),
            "transpose": lambda: session.transpose(selected, amount),
            "velocity": lambda: session.set_velocity(selected, amount),
            "delete": lambda: session.delete(selected),
        }
        operation = operations.get(name)
        return operation() if operation is not None else None

    async def _server_edit(
        self,
        name: str,
        tick: int = 0,
        amount: int = 0,
        burst: bool = False,
        event: roll_events.Numbered | None = None,
    ) -> EventSpec | None:
        if self._session is None:
            return None
        try:
            edit = self._operation(self._session, name, tick, amount)
        except DomainError as exc:
            self.message = error_message(exc)
            return None
        if edit is None:
            return None
        if edit.changeset.timing is not None:
            self._take_timing(edit.changeset.timing)
        self._push(edit, done=name)
        self._refresh_counts()
        return await self._after_edit(burst, event)

    # --- toolbar -----------------------------------------------------------------------
    @rx.event
    async def undo(self) -> EventSpec | None:
        """Undo the latest edit."""
        return await self._server_edit("undo")

    @rx.event
    async def redo(self) -> EventSpec | None:
        """Redo the latest undone edit."""
        return await self._server_edit("redo")

    @rx.event
    async def quantize(self) -> EventSpec | None:
        """Snap the selection onto the grid."""
        return await self._server_edit("quantize")

    @rx.event
    async def transpose(self, semitones: int) -> EventSpec | None:
        """Move the selection up or down by ``semitones``."""
        return await self._server_edit("transpose", amount=int(semitones))

    @rx.event
    def set_velocity(self, value: list[int | float]) -> None:
        """Track the velocity slider while it moves (applied on commit)."""
        self.velocity = int(value[0]) if value else self.velocity

    @rx.event
    async def apply_velocity(self, value: list[int | float]) -> EventSpec | None:
        """Give the selection the slider's velocity."""
        self.velocity = max(1, min(127, int(value[0]))) if value else self.velocity
        return await self._server_edit("velocity", amount=self.velocity)

    @rx.event
    async def delete_selection(self) -> EventSpec | None:
        """Delete the selected notes."""
        return await self._server_edit("delete")

    @rx.event
    def select_all(self) -> None:
        """Select every note."""
        if self._session is None:
            return
        self._push(ServerEdit(edits.NoteChangeset(), tuple(self._session.notes)))
        self.selection_count = len(self._selected)

    @rx.event
    def set_tool(self, value: str | list[str]) -> None:
        """Choose draw or select."""
        choice = value if isinstance(value, str) else (value[0] if value else "draw")
        self.tool = "select" if choice == "select" else "draw"
