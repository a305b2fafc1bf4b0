"""Below and beside the roll: the velocity lane, messages, shortcuts and the dialogs."""

import reflex as rx

from keycraft.components.editor.toolbar import IMPORT_BUTTON_ID
from keycraft.components.page_a11y import return_focus, slider_name
from keycraft.components.replace_dialog import replace_dialog
from keycraft.components.select_menu import select_menu
from keycraft.components.upgrade_dialog import upgrade_dialog as shared_upgrade_dialog
from keycraft.state.editor import EditorState
from keycraft.state.editor_io import MidiImportState

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("Space", "Play / pause"),
    ("D or B", "Draw tool"),
    ("S or V", "Select tool"),
    ("← → ↑ ↓", "Move the keyboard cursor a grid step, a semitone"),
    ("Page Up, Page Down", "Move the keyboard cursor an octave"),
    ("Enter", "Add a note at the cursor (the cursor then steps past it)"),
    ("Tab, Shift + Tab", "Select the next, previous note in time (past the last: leave the roll)"),
    ("Shift + ← → ↑ ↓", "Extend the selection with the cursor"),
    ("Alt + ↑ ↓", "Transpose selection a semitone"),
    ("Alt + Shift + ↑ ↓", "Transpose selection an octave"),
    ("Alt + ← →", "Move selection one grid step"),
    ("Alt + Shift + ← →", "Move selection four grid steps"),
    ("[ ]", "Shorten, lengthen selection a grid step (nothing selected: new notes)"),
    ("+ −", "Velocity of selection up, down 8"),
    ("Click / drag on empty grid", "Draw a note (draw tool) or rubber-band select"),
    ("Click, Shift+click", "Select, add to selection"),
    ("Drag a note / its right edge", "Move / resize"),
    ("Del, Backspace", "Delete selection"),
    ("Q", "Quantize selection to the grid"),
    ("Ctrl/Cmd + A", "Select all"),
    ("Ctrl/Cmd + C, X, V", "Copy, cut, paste at the playhead"),
    ("Ctrl/Cmd + D", "Duplicate selection after itself"),
    ("Ctrl/Cmd + Z", "Undo"),
    ("Shift + Ctrl/Cmd + Z, Ctrl/Cmd + Y", "Redo"),
    ("Ctrl/Cmd + wheel, Ctrl/Cmd + = −", "Zoom in time (around the pointer)"),
    ("Alt + wheel", "Zoom the keys (taller or shorter rows)"),
    ("Wheel, Shift + wheel", "Scroll vertically, horizontally (or drag the scrollbars)"),
    ("Home, End", "Jump to the start, to the end"),
    ("Click / drag the ruler", "Move the playhead"),
    ("Shift + drag the ruler", "Set the loop (drag its green edges to adjust)"),
    ("Drag in the velocity lane", "Set velocity: a selected bar sets the whole selection"),
    ("Drag in the pedal lane", "Draw a pedal span (draw tool); drag a span or its ends"),
    ("Click a pedal span, then Del", "Delete the span (or focus the lane: ← → pick one)"),
    ("Esc", "Clear selection"),
    ("?", "This list"),
)
"""Every key of the roll, in the order the shortcut list shows them."""


def velocity_lane() -> rx.Component:
    """An exact velocity for the selected notes (the lane under the roll is for dragging)."""
    return rx.hstack(
        rx.text("Velocity of selection", size="2", color_scheme="gray"),
        rx.slider(
            value=[EditorState.velocity],
            min=1,
            max=127,
            step=1,
            on_change=EditorState.set_velocity,
            on_value_commit=EditorState.apply_velocity,
            disabled=EditorState.selection_count == 0,
            width="16rem",
            data_testid="velocity",
            **slider_name("Velocity of selection"),
        ),
        rx.text(EditorState.velocity, size="2", width="2rem"),
        align="center",
        spacing="3",
        wrap="wrap",
    )


def message_banner() -> rx.Component:
    """The latest problem, dismissable."""
    return rx.cond(
        EditorState.message != "",
        rx.callout.root(
            rx.hstack(
                rx.callout.icon(rx.icon("triangle_alert")),
                rx.callout.text(EditorState.message, data_testid="editor-message"),
                rx.spacer(),
                rx.icon_button(
                    rx.icon("x", size=14),
                    size="1",
                    variant="ghost",
                    on_click=EditorState.dismiss_message,
                    aria_label="Dismiss",
                ),
                align="center",
                width="100%",
            ),
            color_scheme="red",
            width="100%",
            # An alert is read out as it appears: a refused paste or import is heard, not
            # only seen.
            role="alert",
        ),
    )


def shortcuts_dialog() -> rx.Component:
    """Every keyboard shortcut of the roll."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Keyboard shortcuts"),
            rx.table.root(
                rx.table.body(
                    *[
                        rx.table.row(rx.table.cell(rx.code(keys)), rx.table.cell(action))
                        for keys, action in SHORTCUTS
                    ]
                ),
                size="1",
            ),
            rx.dialog.close(rx.button("Close", margin_top="1rem")),
            on_close_auto_focus=return_focus(),
            data_testid="shortcut-help",
        ),
        open=EditorState.help_open,
        on_open_change=EditorState.set_help_open,
    )


def track_dialog() -> rx.Component:
    """Asks which track of a multi-track MIDI file to import."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Import which notes?"),
            rx.dialog.description(
                "This MIDI file has several tracks. Merge them into the piano part, or take one."
            ),
            rx.box(
                select_menu(
                    MidiImportState.track_options,
                    MidiImportState.track_choice,
                    MidiImportState.set_track_choice,
                    "import-track",
                    "Tracks to import",
                ),
                margin_y="1rem",
            ),
            rx.hstack(
                rx.button("Cancel", variant="soft", on_click=MidiImportState.cancel),
                rx.button(
                    "Import", on_click=MidiImportState.confirm_tracks, data_testid="confirm-import"
                ),
                justify="end",
                spacing="2",
            ),
            on_escape_key_down=MidiImportState.cancel,
            on_close_auto_focus=rx.set_focus(IMPORT_BUTTON_ID),
        ),
        open=MidiImportState.track_dialog_open,
    )


def import_replace_dialog() -> rx.Component:
    """Asked before a MIDI file replaces the notes the project already has."""
    return replace_dialog(
        open_=MidiImportState.replace_dialog_open,
        title="This project already has notes",
        description=(
            "Replace them with the MIDI file's notes (Undo brings them back), or open the "
            "file as a new project and keep this one as it is."
        ),
        on_replace=MidiImportState.replace_notes,
        on_new_project=MidiImportState.add_as_new_project,
        on_cancel=MidiImportState.cancel,
        return_focus_id=IMPORT_BUTTON_ID,
        test_id="import-choice",
    )


def upgrade_dialog() -> rx.Component:
    """Shown when an export is refused because this month's downloads are used up."""
    return shared_upgrade_dialog(
        "You have used this month's MIDI downloads",
        (
            "Your plan includes ",
            EditorState.downloads_limit,
            " downloads a month; the next ones are available on ",
            EditorState.downloads_reset,
            ". Your notes stay saved, and a paid plan gives you more right away.",
        ),
        open_=EditorState.upgrade_open,
        on_open_change=EditorState.set_upgrade_open,
        test_id="upgrade-dialog",
    )
