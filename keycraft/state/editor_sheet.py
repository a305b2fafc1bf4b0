"""Whether the editor's controls sheet is open (phones and tablets show the controls there)."""

from __future__ import annotations

import reflex as rx


class EditorSheetState(rx.State):
    """The bottom sheet that holds the toolbar and transport below desktop widths."""

    controls_open: bool = False

    @rx.event
    def set_controls_open(self, value: bool) -> None:
        """Open or close the controls sheet."""
        self.controls_open = bool(value)

    @rx.event
    def toggle_controls(self) -> None:
        """Open the sheet if closed, close it if open."""
        self.controls_open = not self.controls_open
