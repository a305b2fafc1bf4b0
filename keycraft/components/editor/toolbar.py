"""Editing tools: draw/select, snap, quantize, transpose, undo/redo, zoom, MIDI in/out."""

# mypy types @rx.event handlers as the EventNamespace decorator; binding arguments by
# calling them is how Reflex works, hence the "operator" ignores below.
import reflex as rx

from keycraft.components.editor.key_picker import key_select
from keycraft.components.file_picker import file_picker
from keycraft.components.minutes_meter import minutes_meter
from keycraft.components.piano_roll import zoom_action
from keycraft.components.select_menu import select_menu
from keycraft.services.notes.midi_io import MAX_MIDI_BYTES
from keycraft.state.editor import EditorState
from keycraft.state.editor_io import MidiImportState
from keycraft.state.editor_settings import SNAP_OPTIONS
from keycraft.state.editor_view import EditorViewState

MIDI_UPLOAD_ID = "import-midi"
IMPORT_BUTTON_ID = "import-midi-button"
"""The Import MIDI button, where focus returns after the import dialogs."""


def _icon_button(icon: str, label: str, test_id: str, **props: object) -> rx.Component:
    return rx.tooltip(
        rx.icon_button(
            rx.icon(icon, size=16),
            variant="soft",
            size="2",
            aria_label=label,
            data_testid=test_id,
            **props,
        ),
        content=label,
    )


def _tools() -> rx.Component:
    return rx.segmented_control.root(
        rx.segmented_control.item(
            rx.icon("pencil", size=14), value="draw", title="Draw (D)", aria_label="Draw (D)"
        ),
        rx.segmented_control.item(
            rx.icon("mouse-pointer-2", size=14),
            value="select",
            title="Select (S)",
            aria_label="Select (S)",
        ),
        value=EditorState.tool,
        on_change=EditorState.set_tool,
        data_testid="tool",
    )


def _snap() -> rx.Component:
    return rx.hstack(
        rx.text("Snap", size="2", color_scheme="gray"),
        select_menu(SNAP_OPTIONS, EditorState.snap, EditorViewState.set_snap, "snap", "Snap grid"),
        align="center",
        spacing="1",
    )


def editor_toolbar() -> rx.Component:
    """The row of editing controls above the roll."""
    return rx.hstack(
        _tools(),
        _snap(),
        key_select(),
        rx.separator(orientation="vertical", size="2"),
        _icon_button(
            "undo-2",
            "Undo (Ctrl+Z)",
            "undo",
            on_click=EditorState.undo,
            disabled=~EditorState.can_undo,
        ),
        _icon_button(
            "redo-2",
            "Redo (Shift+Ctrl+Z)",
            "redo",
            on_click=EditorState.redo,
            disabled=~EditorState.can_redo,
        ),
        rx.separator(orientation="vertical", size="2"),
        _icon_button("magnet", "Quantize selection (Q)", "quantize", on_click=EditorState.quantize),
        _icon_button(
            "chevron-down",
            "Transpose down a semitone",
            "transpose-down",
            on_click=EditorState.transpose(-1),  # type: ignore[operator]
        ),
        _icon_button(
            "chevron-up",
            "Transpose up a semitone",
            "transpose-up",
            on_click=EditorState.transpose(1),  # type: ignore[operator]
        ),
        _icon_button(
            "chevrons-up",
            "Transpose up an octave",
            "transpose-octave-up",
            on_click=EditorState.transpose(12),  # type: ignore[operator]
        ),
        _icon_button(
            "list-checks", "Select all (Ctrl+A)", "select-all", on_click=EditorState.select_all
        ),
        _icon_button(
            "trash-2",
            "Delete selection (Del)",
            "delete-selection",
            on_click=EditorState.delete_selection,
        ),
        rx.separator(orientation="vertical", size="2"),
        _icon_button("zoom-out", "Zoom out (Ctrl+wheel)", "zoom-out", on_click=zoom_action(0.8)),
        _icon_button("zoom-in", "Zoom in (Ctrl+wheel)", "zoom-in", on_click=zoom_action(1.25)),
        rx.hstack(
            rx.switch(
                checked=EditorState.show_note_names,
                on_change=EditorViewState.set_show_note_names,
                aria_label="Show note names",
            ),
            rx.text("Names", size="2", color_scheme="gray"),
            align="center",
            spacing="1",
        ),
        rx.spacer(),
        file_picker(
            "Import MIDI",
            "file-up",
            MIDI_UPLOAD_ID,
            "import-midi",
            MidiImportState.import_midi(rx.upload_files(upload_id=MIDI_UPLOAD_ID)),  # type: ignore[operator]
            {"audio/midi": [".mid", ".midi"], "audio/x-midi": [".mid", ".midi"]},
            MAX_MIDI_BYTES,
            button_id=IMPORT_BUTTON_ID,
        ),
        rx.button(
            rx.icon("download", size=16),
            "Export MIDI",
            on_click=EditorState.export_midi,
            data_testid="export-midi",
        ),
        rx.tooltip(
            rx.badge(
                EditorState.downloads_left,
                " of ",
                EditorState.downloads_limit,
                " left",
                variant="soft",
                color_scheme=rx.cond(EditorState.downloads_left > 0, "gray", "amber"),
                data_testid="quota-meter",
            ),
            content="MIDI downloads left this month",
        ),
        minutes_meter(),
        _icon_button(
            "keyboard",
            "Keyboard shortcuts (?)",
            "shortcuts",
            on_click=EditorState.set_help_open(True),  # type: ignore[operator]
        ),
        align="center",
        spacing="2",
        wrap="wrap",
        width="100%",
    )
