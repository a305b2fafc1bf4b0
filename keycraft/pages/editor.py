"""The editor page: its own app header, toolbar, transport, the piano roll and its panels."""

import reflex as rx

from keycraft.components.credits import piano_sound_credit
from keycraft.components.editor.app_header import editor_app_header
from keycraft.components.editor.controls_sheet import compact_bar, editor_controls
from keycraft.components.editor.header import editor_header
from keycraft.components.editor.panels import (
    import_replace_dialog,
    message_banner,
    shortcuts_dialog,
    track_dialog,
    upgrade_dialog,
    velocity_lane,
)
from keycraft.components.editor.tempo_prompt import tempo_prompt_dialog
from keycraft.components.job_status import editor_job_status
from keycraft.components.layout import skip_link
from keycraft.components.page_a11y import page_a11y
from keycraft.components.piano_roll import piano_roll
from keycraft.components.transcription_panel import retranscribe_panel
from keycraft.routes import PROJECTS
from keycraft.state.editor import EditorState
from keycraft.state.editor_key import EditorKeyState
from keycraft.state.editor_meter import EditorMeterState
from keycraft.state.editor_view import EditorViewState
from keycraft.state.jobs import JobsState

ROLL_ID = "roll"
"""Where the skip link lands; it focuses the roll inside, ready for keyboard shortcuts."""
ROLL_HEIGHT = rx.breakpoints(
    initial="max(22rem, calc(100dvh - 13rem))",
    sm="max(22rem, calc(100dvh - 11rem))",
    lg="560px",
)
"""560 px on a desktop; below ``lg`` the roll fills the screen under the header (two lines on a
phone, one from ``sm``), the counts and the compact bar."""


def _roll() -> rx.Component:
    # While a transcription runs, the roll shows its notes so far, read-only; once it ends
    # the roll reloads the project's own notes (the sum changes whenever either one does).
    return piano_roll(
        notes_json=rx.cond(
            JobsState.preview_active, JobsState.preview_notes_json, EditorState.notes_json
        ),
        # A transcription's preview has no pedal yet.
        pedals_json=rx.cond(JobsState.preview_active, "[]", EditorState.pedals_json),
        load_revision=EditorState.load_revision + JobsState.preview_revision,
        read_only=JobsState.preview_active,
        patch_json=EditorState.patch_json,
        patch_seq=EditorState.patch_seq,
        tempo_bpm=EditorState.tempo_bpm,
        beats_per_bar=EditorState.beats_per_bar,
        beat_unit=EditorState.beat_unit,
        tempo_map_json=EditorState.tempo_map_json,
        time_signature_map_json=EditorState.time_signature_map_json,
        snap_ticks=EditorState.snap_ticks,
        tool=EditorState.tool,
        show_note_names=EditorState.show_note_names,
        key_name=EditorKeyState.key_id,
        metronome=EditorState.metronome,
        loop_enabled=EditorState.loop_enabled,
        loop_start_tick=EditorState.loop_start_tick,
        loop_end_tick=EditorState.loop_end_tick,
        first_downbeat_tick=EditorState.first_downbeat_tick,
        volume_db=EditorState.volume_db,
        audio_url=EditorState.audio_url,
        midi_muted=EditorState.midi_muted,
        audio_muted=EditorState.audio_muted,
        practice_speed=EditorState.practice_speed,
        px_per_beat=EditorState.px_per_beat,
        key_height_px=EditorState.key_height_px,
        view_revision=EditorState.view_revision,
        sample_base_url="/piano/",
        fill_height=True,
        saved_seq=EditorState.saved_seq,
        on_commit=EditorState.commit,
        on_pedal_change=EditorState.change_pedals,
        on_command=EditorState.command,
        on_select=EditorState.select,
        on_tool_change=EditorState.change_tool,
        on_loop_change=EditorViewState.change_loop,
        on_first_downbeat=EditorMeterState.drop_first_downbeat,
        on_view_change=EditorViewState.change_view,
    )


def _missing() -> rx.Component:
    # A project its own transcription removed (the file was refused, or the learner
    # cancelled) may be gone before the editor opens it: say what happened, not "not found".
    return rx.vstack(
        rx.cond(
            EditorState.missing_reason != "",
            rx.fragment(
                rx.heading("No project was made from that recording", size="6"),
                rx.text(
                    EditorState.missing_reason,
                    data_testid="job-status",
                    role="status",
                ),
            ),
            rx.fragment(
                rx.heading("Project not found", size="6"),
                rx.text("It may have been deleted, or it belongs to another account."),
            ),
        ),
        rx.link("Back to your projects", href=PROJECTS.path),
        spacing="3",
    )


def editor_page() -> rx.Component:
    """Render the editor for the project in the URL."""
    return rx.box(
        skip_link("Skip to the piano roll", ROLL_ID, focus_selector=f"#{ROLL_ID} [tabindex='0']"),
        page_a11y(),
        editor_app_header(),
        rx.el.main(
            rx.cond(
                EditorState.missing,
                _missing(),
                rx.vstack(
                    editor_header(),
                    compact_bar(),
                    editor_controls(),
                    message_banner(),
                    editor_job_status(),
                    rx.box(
                        rx.cond(
                            EditorState.loaded, _roll(), rx.skeleton(height="100%", width="100%")
                        ),
                        id=ROLL_ID,
                        width="100%",
                        height=ROLL_HEIGHT,
                        scroll_margin_top="1rem",
                    ),
                    velocity_lane(),
                    piano_sound_credit(),
                    retranscribe_panel(),
                    shortcuts_dialog(),
                    track_dialog(),
                    import_replace_dialog(),
                    upgrade_dialog(),
                    tempo_prompt_dialog(),
                    spacing="3",
                    width="100%",
                ),
            ),
            padding_y="1rem",
            padding_x=rx.breakpoints(initial="1rem", sm="1.5rem"),
            width="100%",
        ),
        min_height="100vh",
    )
