"""Toolbar and transport: a row above the roll on a desktop, a bottom sheet on phones and tablets.

The same controls render once, so ids, test ids and the file picker stay unique; below the
``lg`` breakpoint (1280 px) CSS turns their box into a sheet that the "Controls" button of the
compact bar opens, leaving the screen to the roll.
"""

# mypy types @rx.event handlers as the EventNamespace decorator; binding arguments by
# calling them is how Reflex works, hence the "operator" ignores below.
import reflex as rx

from keycraft.components.editor.toolbar import editor_toolbar
from keycraft.components.editor.transport import transport_bar
from keycraft.components.piano_roll import transport_action
from keycraft.state.editor import EditorState
from keycraft.state.editor_sheet import EditorSheetState

SHEET_ID = "editor-controls"
TOGGLE_ID, CLOSE_ID = "editor-controls-toggle", "editor-controls-close"
COMPACT_MEDIA = "@media (max-width: 1279.98px)"
"""Below Radix's ``lg`` breakpoint: phones, tablets in either orientation, small laptops."""

_SHEET_CSS = {
    COMPACT_MEDIA: {
        "position": "fixed",
        "left": "0",
        "right": "0",
        "width": "auto",
        "bottom": "0",
        "z_index": "20",
        "max_height": "75dvh",
        "overflow_y": "auto",
        "overscroll_behavior": "contain",
        "padding": "0.75rem 1rem calc(1rem + env(safe-area-inset-bottom))",
        "background": "var(--color-panel-solid)",
        "border_top": "1px solid var(--gray-a6)",
        "border_radius": "12px 12px 0 0",
        "box_shadow": "0 -8px 24px rgba(0, 0, 0, 0.25)",
        "&[data-open='false']": {"display": "none"},
    },
}

# The sheet floats over the page (z-index 20), so the dialogs and dropdowns opened from it
# (Radix portals at the end of <body>, z-index auto) are lifted above it; Radix copies the
# content's z-index onto the popper wrapper inline, hence !important.
_LAYER_RULES = (
    f"{COMPACT_MEDIA} {{ .rt-BaseDialogOverlay, [data-radix-popper-content-wrapper] "
    "{ z-index: 30 !important; } }"
)


def _compact_button(icon: str, label: str, test_id: str, **props: object) -> rx.Component:
    return rx.icon_button(
        rx.icon(icon, size=18),
        variant="soft",
        size="3",
        aria_label=label,
        title=label,
        data_testid=test_id,
        **props,
    )


def compact_bar() -> rx.Component:
    """Below ``lg``: Controls, play, stop, undo and redo in one row above the roll."""
    return rx.hstack(
        rx.button(
            rx.icon("sliders-horizontal", size=16),
            "Controls",
            size="3",
            on_click=EditorSheetState.toggle_controls,
            aria_controls=SHEET_ID,
            aria_expanded=rx.cond(EditorSheetState.controls_open, "true", "false"),
            id=TOGGLE_ID,
            data_testid="controls-toggle",
        ),
        _compact_button(
            "play", "Play / pause", "compact-play", on_click=transport_action("toggle")
        ),
        _compact_button("square", "Stop", "compact-stop", on_click=transport_action("stop")),
        rx.spacer(),
        _compact_button(
            "undo-2",
            "Undo",
            "compact-undo",
            on_click=EditorState.undo,
            disabled=~EditorState.can_undo,
        ),
        _compact_button(
            "redo-2",
            "Redo",
            "compact-redo",
            on_click=EditorState.redo,
            disabled=~EditorState.can_redo,
        ),
        align="center",
        spacing="2",
        width="100%",
        display=rx.breakpoints(initial="flex", lg="none"),
    )


def _sheet_header() -> rx.Component:
    return rx.hstack(
        rx.heading("Controls", size="3", as_="h2"),
        rx.spacer(),
        rx.icon_button(
            rx.icon("x", size=16),
            variant="ghost",
            on_click=EditorSheetState.set_controls_open(False),  # type: ignore[operator]
            aria_label="Close controls",
            id=CLOSE_ID,
            data_testid="controls-close",
        ),
        align="center",
        width="100%",
        display=rx.breakpoints(initial="flex", lg="none"),
    )


def editor_controls() -> rx.Component:
    """The toolbar and transport, as a row on a desktop and a sheet below ``lg``."""
    return rx.box(
        rx.el.style(_LAYER_RULES),
        _sheet_header(),
        editor_toolbar(),
        transport_bar(),
        id=SHEET_ID,
        display="flex",
        flex_direction="column",
        gap="var(--space-3)",
        width="100%",
        data_open=rx.cond(EditorSheetState.controls_open, "true", "false"),
        # Escape closes the sheet and gives focus back to "Controls" (see page_a11y.jsx).
        data_escape_close=CLOSE_ID,
        data_escape_return=TOGGLE_ID,
        data_testid="editor-controls",
        style=_SHEET_CSS,
    )
