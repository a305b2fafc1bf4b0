"""Domain types shared by the models, the MIDI writer and the HTTP layer."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MODEL_BASIC_PITCH = "basic-pitch"
MODEL_TRANSKUN = "transkun"
MODEL_NAMES = (MODEL_BASIC_PITCH, MODEL_TRANSKUN)


@dataclass(frozen=True)
class TranscriptionOptions:
    """Post-processing knobs accepted by every model.

    The field defaults are those of Spotify's reference Basic Pitch pipeline; requests get
    each model's own from `transcriber.defaults.default_options`, and `MODEL_KNOBS` there
    says which knobs a model reads.

    Attributes:
        onset_threshold: Minimum onset activation (0-1] to start a note (basic-pitch only).
        frame_threshold: Minimum frame activation (0-1] to keep a note sounding (basic-pitch
            only).
        min_note_ms: Notes this short or shorter are dropped.
        min_freq_hz: Notes below this fundamental frequency are dropped (None: no limit).
        max_freq_hz: Notes above this fundamental frequency are dropped (None: no limit).
        pitch_bends: Whether to estimate pitch bends (basic-pitch only).
    """

    onset_threshold: float = 0.5
    frame_threshold: float = 0.3
    min_note_ms: float = 127.7
    min_freq_hz: float | None = None
    max_freq_hz: float | None = None
    pitch_bends: bool = False


@dataclass(frozen=True)
class NoteEvent:
    """One transcribed note.

    Attributes:
        start_s: Onset time in seconds from the start of the recording.
        end_s: Release time in seconds.
        pitch_midi: MIDI key number (21-108 for a piano).
        velocity: MIDI velocity, 1-127.
        bends_third_semitones: Pitch deviation in 1/3-semitone steps, evenly spaced between
            `start_s` and `end_s`; None when not estimated.
    """

    start_s: float
    end_s: float
    pitch_midi: int
    velocity: int
    bends_third_semitones: tuple[int, ...] | None = None


@dataclass(frozen=True)
class PedalEvent:
    """The sustain (damper) pedal held down from ``start_s`` to ``end_s`` (seconds)."""

    start_s: float
    end_s: float


@dataclass(frozen=True)
class Transcript:
    """What a model heard: notes sorted by onset, and the sustain pedal's spans in time order.

    A model that cannot hear the pedal leaves ``pedals`` empty rather than guess.
    """

    notes: list[NoteEvent]
    pedals: list[PedalEvent]


@dataclass(frozen=True)
class Beat:
    """One beat of the performance: when it falls, and whether it opens a bar."""

    time_s: float
    downbeat: bool


@dataclass(frozen=True)
class Meter:
    """A time signature: ``beats_per_bar`` beats of one ``beat_unit`` (4: quarter, 8: eighth)."""

    beats_per_bar: int
    beat_unit: int


@dataclass(frozen=True)
class Rhythm:
    """The beats heard in a recording, in time order, and its metre.

    Either both are known or neither: too few notes to tell give no beats and no metre.
    """

    beats: list[Beat]
    meter: Meter | None

    @staticmethod
    def unknown() -> Rhythm:
        """No beats and no metre."""
        return Rhythm(beats=[], meter=None)


@dataclass(frozen=True)
class Recording:
    """Decoded mono audio.

    Attributes:
        samples: Float32 samples in [-1, 1].
        sample_rate_hz: Sampling rate of `samples`.
    """

    samples: np.ndarray
    sample_rate_hz: int

    @property
    def duration_s(self) -> float:
        """Length of the recording in seconds."""
        return len(self.samples) / self.sample_rate_hz


def midi_to_hz(pitch_midi: float) -> float:
    """Return the equal-tempered frequency (A4 = 440 Hz) of a MIDI pitch."""
    return float(440.0 * 2.0 ** ((pitch_midi - 69.0) / 12.0))


def velocity_from_amplitude(amplitude: float) -> int:
    """Map a 0-1 activation to a MIDI velocity, never 0 (which would mean note-off)."""
    return int(min(127, max(1, round(127 * amplitude))))
