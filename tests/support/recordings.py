"""Recordings for transcription tests: short pieces rendered with FluidSynth, plain tones.

Pieces go through the same renderer as the transcriber's accuracy tests (FluidSynth and the
Debian General MIDI soundfont), so the real models hear a piano, not sine waves.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import soundfile

from keycraft.services.domain import Note, TempoChange
from keycraft.services.notes.timing import tick_to_seconds
from transcriber.domain import NoteEvent
from transcriber.evaluation.pieces import Piece, ScoreNote
from transcriber.evaluation.render import render_midi

TONE_RATE_HZ = 8000
"""Low rate for long test tones: the service resamples, and the files stay small."""


def melody(pitches: Sequence[int], first_onset_s: float = 0.25, step_s: float = 0.5) -> Piece:
    """One note at a time, each ``step_s`` apart and sounding 80% of that."""
    notes = tuple(
        ScoreNote(first_onset_s + i * step_s, first_onset_s + (i + 0.8) * step_s, pitch, 90)
        for i, pitch in enumerate(pitches)
    )
    return Piece("melody", notes)


def render_wav(piece: Piece, folder: Path) -> bytes:
    """The piece played on the General MIDI piano, as 44.1 kHz stereo WAV bytes."""
    return render_midi(piece.to_midi(), folder / f"{piece.name}.wav").read_bytes()


def tone_wav(duration_s: float, pitch_midi: int = 69) -> bytes:
    """A steady sine tone of ``duration_s`` as a small mono 16-bit WAV."""
    t = np.arange(int(duration_s * TONE_RATE_HZ), dtype=np.float64) / TONE_RATE_HZ
    freq_hz = 440.0 * 2 ** ((pitch_midi - 69) / 12)
    samples = (0.2 * np.sin(2 * np.pi * freq_hz * t)).astype(np.float32)
    out = io.BytesIO()
    soundfile.write(out, samples, TONE_RATE_HZ, format="WAV", subtype="PCM_16")
    return out.getvalue()


def as_events(notes: Iterable[Note], tempo: float | Sequence[TempoChange]) -> list[NoteEvent]:
    """Project notes (ticks) as timed events, for scoring against the rendered score.

    ``tempo`` is the project's tempo map (a transcription follows the beats it heard), or
    one tempo in BPM.
    """
    tempo_map = (TempoChange(0, float(tempo)),) if isinstance(tempo, int | float) else tempo
    return [
        NoteEvent(
            start_s=tick_to_seconds(n.start_tick, tempo_map),
            end_s=tick_to_seconds(n.start_tick + n.duration_ticks, tempo_map),
            pitch_midi=n.pitch_midi,
            velocity=n.velocity,
        )
        for n in notes
    ]


def doubled_onsets(notes: Iterable[NoteEvent]) -> list[tuple[float, float, int]]:
    """Pairs of notes of one pitch whose onsets are within 50 ms: one note counted twice."""
    ordered = sorted(notes, key=lambda n: (n.pitch_midi, n.start_s))
    return [
        (a.start_s, b.start_s, a.pitch_midi)
        for a, b in zip(ordered, ordered[1:], strict=False)
        if a.pitch_midi == b.pitch_midi and b.start_s - a.start_s < 0.05
    ]


def begun_with(notes: Iterable[NoteEvent], written: ScoreNote) -> list[NoteEvent]:
    """Transcribed notes of the written note's pitch that begin within 0.1 s of it."""
    return [
        n
        for n in notes
        if n.pitch_midi == written.pitch_midi and abs(n.start_s - written.start_s) < 0.1
    ]
