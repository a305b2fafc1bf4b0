"""Python wrapper of ``piano_roll.jsx``: documented props and typed coarse events."""

from __future__ import annotations

from typing import Annotated, Literal

import reflex as rx
from reflex.event import EventSpec, passthrough_event_spec

from keycraft.services.notes.roll_events import (
    CommandEvent,
    CommitEvent,
    DownbeatEvent,
    LoopEvent,
    PedalEvent,
    SelectionEvent,
    ToolEvent,
    ViewEvent,
)

TONE_PACKAGE = "tone@15.5.44"
"""Tone.js, pinned exactly: the scheduling and sampler API the component is written for."""
ROLL_KEYS_MODULE = rx.asset("roll_keys.js", shared=True)
"""The pure keyboard-editing module (key map, cursor, announcements, note colours) that
``piano_roll.jsx`` imports; linked beside it."""

TOUCH_GESTURES_MODULE = rx.asset("touch_gestures.js", shared=True)
"""The pure tap / drag / long-press / pinch / pan module ``piano_roll.jsx`` imports; linked
beside it."""

NOTE_NAMES_MODULE = rx.asset("note_names.js", shared=True)
"""The pure note-spelling module (F♯ or G♭ for the piece's key) that ``piano_roll.jsx`` and
``roll_keys.js`` import; linked beside them."""

TIMING_MODULE = rx.asset("timing.js", shared=True)
"""The pure tempo and metre module (ticks to seconds, bar lines, beats, the Transport clock)
``piano_roll.jsx`` imports; linked beside it."""

GEOMETRY_MODULE = rx.asset("geometry.js", shared=True)
"""The pure canvas-geometry module (ticks and pitches to pixels, layout, zoom, fit)
``piano_roll.jsx`` imports; linked beside it."""

VELOCITY_LANE_MODULE = rx.asset("velocity_lane.js", shared=True)
"""The pure velocity-lane module (bars to pixels, drag painting, drawing) ``piano_roll.jsx``
imports; linked beside it."""

SCROLLBARS_MODULE = rx.asset("scrollbars.js", shared=True)
"""The pure scrollbar module (thumbs, hit test, thumb drags, drawing) ``piano_roll.jsx``
imports; linked beside it."""

NOTE_DRAGS_MODULE = rx.asset("note_drags.js", shared=True)
"""The pure note-pointer module (hit test, rubber band, move and resize offsets)
``piano_roll.jsx`` imports; linked beside it."""

PEDAL_LANE_MODULE = rx.asset("pedal_lane.js", shared=True)
"""The pure pedal-lane module (spans to pixels, hit test, span edits, ringing note ends)
``piano_roll.jsx`` imports; linked beside it."""

GRAND_PIANO_MODULE = rx.asset("grand_piano.js", shared=True)
"""The sampled grand (velocity layers, release noises, middle register loaded first, stand-ins
while samples load) ``piano_roll.jsx`` plays the notes with; linked beside it."""

ROLL_MODULES = tuple(
    rx.asset(name, shared=True)
    for name in (
        "roll_state.js",
        "roll_view.js",
        "roll_edits.js",
        "roll_player.js",
        "playback_schedule.js",
        "loop_region.js",
        "downbeat_handle.js",
        "lane_edits.js",
        "pointer_gestures.js",
        "roll_keyboard.js",
        "roll_touch.js",
        "roll_drawing.js",
        "roll_inspect.js",
    )
)
"""The modules ``piano_roll.jsx`` is built from, linked beside it: the roll's state as named
parts, its view, server edits, Tone.js player and pure schedule, loop region, lanes, pointer,
keyboard, touch, drawing and window hooks."""


class PianoRoll(rx.NoSSRComponent):
    """Canvas piano roll with Tone.js playback.

    Touch works too: tap adds or selects a note, a drag moves it, two fingers pinch to zoom
    and pan, and a long press offers the selection actions (cut, copy, paste, duplicate,
    quantize, select all, delete). A roll narrower than two bars at its zoom zooms out.

    The component owns every per-frame interaction; Python sends the notes once per load
    (``notes_json`` + ``load_revision``) and server-made edits as small patches
    (``patch_json`` + ``patch_seq``), and receives only finished edits.
    """

    library = rx.asset("piano_roll.jsx", shared=True).importable_path
    tag = "PianoRoll"
    lib_dependencies: list[str] = [TONE_PACKAGE]

    notes_json: rx.Var[str]
    """All notes as a JSON list of ``NoteRow``; read when ``load_revision`` changes.

    Default ``[]``.
    """

    pedals_json: rx.Var[str]
    """Sustain-pedal spans as a JSON list of ``PedalRow``, read with the notes when
    ``load_revision`` changes; notes released while the pedal is down ring on until it lifts.
    Default ``[]``.
    """

    load_revision: rx.Var[int]
    """Bump to make the component replace its notes from ``notes_json`` (and its pedal from
    ``pedals_json``). Default 0."""

    patch_json: rx.Var[str]
    """A server edit ``{"upserts", "removed_ids", "select_ids"?, "pedals"?}``, read on
    ``patch_seq``; ``pedals`` (every ``PedalRow``) replaces the pedal lane when present."""

    patch_seq: rx.Var[int]
    """Bump to apply ``patch_json`` once. Default 0 (nothing to apply)."""

    tempo_bpm: rx.Var[float]
    """Tempo at tick 0 in quarter notes per minute, used when ``tempo_map_json`` is empty.

    Default 120.
    """

    beats_per_bar: rx.Var[int]
    """Time signature numerator at tick 0, used when ``time_signature_map_json`` is empty.

    Default 4.
    """

    beat_unit: rx.Var[int]
    """Time signature denominator (2, 4, 8, 16) at tick 0, as ``beats_per_bar``. Default 4."""

    tempo_map_json: rx.Var[str]
    """Every tempo as JSON ``[[tick, bpm], ...]``: ticks at 480 per quarter, increasing, the
    first 0; bpm in quarter notes per minute, each lasting until the next change. Playback,
    seeking, the playhead, loop points and metronome convert ticks to seconds through it.
    Default ``""`` (one tempo, ``tempo_bpm``).
    """

    time_signature_map_json: rx.Var[str]
    """Every time signature as JSON ``[[tick, numerator, denominator], ...]``: ticks
    increasing, the first 0; each change starts a new bar. Bar lines, bar numbers and
    metronome beats follow it. Default ``""`` (one signature, ``beats_per_bar/beat_unit``).
    """

    snap_ticks: rx.Var[int]
    """Snap grid step in ticks (480 per quarter); 0 turns snapping off. Default 120 (1/16)."""

    tool: rx.Var[Literal["draw", "select"]]
    """What a drag on empty grid does: draw a note or rubber-band select. Default draw."""

    show_note_names: rx.Var[bool]
    """Write note names (C4, F♯3) on notes wide enough to hold them. Default False."""

    key_name: rx.Var[str]
    """The key notes are spelled for, as ``notes.key.MusicalKey.key_id`` ("Db major" names
    pitch 66 G♭4); on the keyboard, note labels and what screen readers hear. Default
    "C major"."""

    metronome: rx.Var[bool]
    """Click on every beat (accent on the bar) during playback. Default False."""

    loop_enabled: rx.Var[bool]
    """Loop playback between ``loop_start_tick`` and ``loop_end_tick``. Default False."""

    loop_start_tick: rx.Var[int]
    """Loop start in ticks. Default 0."""

    loop_end_tick: rx.Var[int]
    """Loop end in ticks. Default 7680 (four bars of 4/4)."""

    first_downbeat_tick: rx.Var[int]
    """Where bar 1 starts, for a piece whose beats were tracked from its recording: the
    ruler shows a handle there that can be dragged to another beat (``on_first_downbeat``).
    Default -1: no handle."""

    volume_db: rx.Var[float]
    """Output volume in decibels (0 is unity). Default -6."""

    audio_url: rx.Var[str]
    """URL of the original recording to play in sync under the notes; '' for none. Default ''."""

    midi_muted: rx.Var[bool]
    """Silence the notes (the original audio keeps playing). Default False."""

    audio_muted: rx.Var[bool]
    """Silence the original audio. Default False."""

    practice_speed: rx.Var[float]
    """Playback rate for practice, 0.5 to 1.0: the tempo map is scaled by it, so notes, playhead,
    loop points and metronome slow down alike, and the recording plays stretched (a Tone
    GrainPlayer on its buffer: same pitch) in step with them. Default 1.
    """

    px_per_beat: rx.Var[float]
    """Horizontal zoom in CSS pixels per quarter note (12 to 800), taken when ``view_revision``
    changes. Default 96.
    """

    key_height_px: rx.Var[float]
    """Height of a key row in CSS pixels (5 to 32), taken when ``view_revision`` changes.
    Default 12.
    """

    view_revision: rx.Var[int]
    """Bump to make the roll take ``px_per_beat`` and ``key_height_px`` (once per project
    open); 0 keeps the roll's own zoom. Ignored with ``fit_to_notes``. Default 0.
    """

    sample_base_url: rx.Var[str]
    """Folder URL of the grand piano's samples as ``scripts/setup.sh`` copies them: one folder
    per velocity layer (``v10/Fs4v10.mp3`` ...) and ``release/rel1.mp3`` ... (A0 up). Until a
    note's samples arrive the nearest loaded one, repitched, or a synth plays it; the roll's
    ``data-piano-voice`` and ``data-piano-samples`` attributes show which and how many are in.
    Default ``/piano/``."""

    height_px: rx.Var[int]
    """Height of the roll in CSS pixels, velocity and pedal lanes and scrollbars included.
    Default 560."""

    fill_height: rx.Var[bool]
    """Take the height of the parent box instead of ``height_px`` (a phone's roll fills the
    screen below the header). Default False.
    """

    saved_seq: rx.Var[int]
    """The ``seq`` of the latest commit or command the server has saved. Until it catches up
    with the last one sent, leaving the page asks for confirmation. Default 0."""

    read_only: rx.Var[bool]
    """Show and play only: pointer edits and editing shortcuts are ignored, no commit or
    command events are sent, Space plays only while the roll has focus, a plain wheel scrolls
    the page, ``audio_url`` loads at the first play and the piano's samples at the first note
    played (a play of the recording alone fetches none). Default False.
    """

    fit_to_notes: rx.Var[bool]
    """Fit the view to the piece whenever the notes load and the roll is resized: its whole
    length (to ``loop_end_tick`` when looping, if later) across the width, and its pitch range
    plus two keys either side centred and as tall as fits (keys 5 to 32 px). The view then
    stays put during playback. Meant for a ``read_only`` roll. Default False.
    """

    # Annotated[EventHandler, spec] is what EventHandler[spec] builds; spelled out for mypy.
    on_commit: Annotated[rx.EventHandler, passthrough_event_spec(CommitEvent)]
    """A finished edit to persist."""

    on_command: Annotated[rx.EventHandler, passthrough_event_spec(CommandEvent)]
    """A keyboard shortcut for the server to carry out."""

    on_pedal_change: Annotated[rx.EventHandler, passthrough_event_spec(PedalEvent)]
    """The pedal lane's spans after a finished edit."""

    on_select: Annotated[rx.EventHandler, passthrough_event_spec(SelectionEvent)]
    """The selection after a finished click, band or select-all."""

    on_tool_change: Annotated[rx.EventHandler, passthrough_event_spec(ToolEvent)]
    """A tool shortcut (D/B draw, S/V select) was pressed in the roll."""

    on_loop_change: Annotated[rx.EventHandler, passthrough_event_spec(LoopEvent)]
    """A loop was drawn (Shift+drag on the ruler) or its edge dragged, snapped to beats;
    sent on release."""

    on_first_downbeat: Annotated[rx.EventHandler, passthrough_event_spec(DownbeatEvent)]
    """Bar 1's handle was dragged along the ruler and let go; sent on release with the tick
    under the pointer (the server snaps it to the nearest tracked beat)."""

    on_view_change: Annotated[rx.EventHandler, passthrough_event_spec(ViewEvent)]
    """The roll was zoomed (buttons, Ctrl/Alt+wheel or keys); sent 400 ms after the last step.
    Never sent by a ``read_only`` or ``fit_to_notes`` roll."""


piano_roll = PianoRoll.create


def transport_action(action: Literal["play", "pause", "stop", "toggle"]) -> EventSpec:
    """An event that drives playback in the browser, with no round trip to the server.

    It reaches the roll through ``window.keycraftPianoRoll``, which the last mounted roll
    claims: a page shows at most one roll (the editor's, or the landing page's demo).
    """
    return rx.call_script(
        f"window.keycraftPianoRoll && window.keycraftPianoRoll.transport({action!r})"
    )


def zoom_action(factor: float) -> EventSpec:
    """An event that zooms the roll horizontally by ``factor`` around its left edge."""
    return rx.call_script(f"window.keycraftPianoRoll && window.keycraftPianoRoll.zoom({factor})")
