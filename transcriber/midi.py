"""Write note events as a Standard MIDI File for a piano."""

from __future__ import annotations

import io

import numpy as np
import pretty_midi

from transcriber.domain import NoteEvent, PedalEvent, Rhythm
from transcriber.rhythm.tempo_map import tempo_map

ACOUSTIC_GRAND_PIANO = 0
SUSTAIN_CONTROL = 64
PEDAL_DOWN, PEDAL_UP = 127, 0
DEFAULT_TEMPO_BPM = 120.0
TICKS_PER_QUARTER = 960
"""Fine enough that a note lands within a millisecond of its time at any usual tempo."""
# A bend of one 1/3-semitone step with the default +-2 semitone range is 8192 / 6 units.
_BEND_UNITS_PER_THIRD_SEMITONE = 4096 / 3
_MAX_BEND = 8191
_MIN_BEND = -8192


def notes_to_midi(
    notes: list[NoteEvent],
    tempo_bpm: float = DEFAULT_TEMPO_BPM,
    with_bends: bool = False,
    pedals: list[PedalEvent] | None = None,
    rhythm: Rhythm | None = None,
) -> pretty_midi.PrettyMIDI:
    """Build a single-track acoustic piano MIDI object.

    MIDI pitch bend applies to a whole channel, so bends are only written for notes that do
    not overlap any other note; overlapping notes keep their plain pitch.

    Args:
        notes: Notes to write.
        tempo_bpm: Tempo stored in the file when no beats were heard (affects bar lines in
            editors, not timing).
        with_bends: Whether to write the notes' estimated pitch bends.
        pedals: Sustain-pedal spans, written as controller 64 at 127 (down) then 0 (up).
        rhythm: The beats and metre heard; when known, the file's tempo follows the beats
            (one beat per beat unit) and its time signature the metre, notes and pedal
            staying at their times.

    Returns:
        The MIDI object.
    """
    midi = pretty_midi.PrettyMIDI(resolution=TICKS_PER_QUARTER, initial_tempo=tempo_bpm)
    if rhythm is not None and rhythm.meter is not None and len(rhythm.beats) >= 2:
        _follow_beats(midi, rhythm)
    piano = pretty_midi.Instrument(program=ACOUSTIC_GRAND_PIANO, name="Piano")
    ordered = sorted(notes, key=lambda n: (n.start_s, n.pitch_midi))
    solo = _non_overlapping(ordered) if with_bends else set()
    for i, n in enumerate(ordered):
        piano.notes.append(pretty_midi.Note(n.velocity, n.pitch_midi, n.start_s, n.end_s))
        if i in solo and n.bends_third_semitones:
            times_s = np.linspace(n.start_s, n.end_s, len(n.bends_third_semitones))
            for t, b in zip(times_s, n.bends_third_semitones, strict=True):
                units = int(
                    np.clip(round(b * _BEND_UNITS_PER_THIRD_SEMITONE), _MIN_BEND, _MAX_BEND)
                )
                piano.pitch_bends.append(pretty_midi.PitchBend(units, float(t)))
    for span in pedals or []:
        piano.control_changes.append(
            pretty_midi.ControlChange(SUSTAIN_CONTROL, PEDAL_DOWN, span.start_s)
        )
        piano.control_changes.append(
            pretty_midi.ControlChange(SUSTAIN_CONTROL, PEDAL_UP, span.end_s)
        )
    midi.instruments.append(piano)
    return midi


def _follow_beats(midi: pretty_midi.PrettyMIDI, rhythm: Rhythm) -> None:
    """Give ``midi`` the tempo map and time signatures of ``rhythm`` (before any note)."""
    assert rhythm.meter is not None
    planned = tempo_map(rhythm.beats, rhythm.meter, midi.resolution)
    # pretty_midi keeps its tempo map as (tick, seconds per tick) pairs and places notes by
    # them when writing; it has no public setter, so the pairs and the lookup table it
    # derives from them are set here.
    midi._tick_scales = [(c.tick, c.seconds_per_tick) for c in planned.tempos]
    midi._update_tick_to_time(planned.tempos[-1].tick + 1)
    for sig in planned.time_signatures:
        midi.time_signature_changes.append(
            pretty_midi.TimeSignature(
                sig.beats_per_bar, sig.beat_unit, planned.seconds_at(sig.tick)
            )
        )


def _non_overlapping(ordered: list[NoteEvent]) -> set[int]:
    """Return indices of notes (sorted by start) that overlap no other note in time."""
    solo = set(range(len(ordered)))
    latest_end = -np.inf
    latest_idx = -1
    for i, n in enumerate(ordered):
        if n.start_s < latest_end:
            solo.discard(i)
            solo.discard(latest_idx)
        if n.end_s > latest_end:
            latest_end, latest_idx = n.end_s, i
    return solo


def midi_bytes(midi: pretty_midi.PrettyMIDI) -> bytes:
    """Serialise a MIDI object to the bytes of a .mid file."""
    buffer = io.BytesIO()
    midi.write(buffer)
    return buffer.getvalue()
