"""Notes and errors as the JSON answers show them."""

from __future__ import annotations

from transcriber.domain import NoteEvent, PedalEvent, Rhythm
from transcriber.errors import TimedOut


def note_json(note: NoteEvent, with_bends: bool) -> dict[str, object]:
    """One note as the JSON formats show it (seconds rounded to the microsecond)."""
    item: dict[str, object] = {
        "start_s": round(note.start_s, 6),
        "end_s": round(note.end_s, 6),
        "pitch_midi": note.pitch_midi,
        "velocity": note.velocity,
    }
    if with_bends and note.bends_third_semitones is not None:
        item["bends"] = list(note.bends_third_semitones)
    return item


def pedal_json(pedal: PedalEvent) -> dict[str, object]:
    """One sustain-pedal span as the JSON formats show it (seconds rounded like notes)."""
    return {"start_s": round(pedal.start_s, 6), "end_s": round(pedal.end_s, 6)}


def rhythm_json(rhythm: Rhythm) -> dict[str, object]:
    """The ``beats`` (time order, seconds to the millisecond) and ``meter`` (or null) fields."""
    meter = rhythm.meter
    return {
        "beats": [{"time_s": round(b.time_s, 3), "downbeat": b.downbeat} for b in rhythm.beats],
        "meter": None
        if meter is None
        else {"beats_per_bar": meter.beats_per_bar, "beat_unit": meter.beat_unit},
    }


def timed_out(timeout_s: float) -> TimedOut:
    """The error for a transcription that ran out of its time budget."""
    return TimedOut(f"The transcription did not finish within {timeout_s:g} s.")
