"""Basic Pitch model adapter: windows in, posteriorgrams stitched, notes out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import numpy as np
import torch

from transcriber.domain import (
    MODEL_BASIC_PITCH,
    NoteEvent,
    Transcript,
    TranscriptionOptions,
    velocity_from_amplitude,
)
from transcriber.models.base import PartCallback
from transcriber.models.basic_pitch import constants as c
from transcriber.models.basic_pitch.network import BasicPitchNetwork
from transcriber.models.basic_pitch.notes import FrameNote, decode_notes, frame_times_s
from transcriber.models.basic_pitch.weights import read_state_dict, shipped_model_path
from transcriber.models.basic_pitch.windowing import iter_window_batches, plan_windows, stitch_into
from transcriber.runtime import Deadline

# Eight windows (~13 s of audio) per forward pass: big enough to amortise per-call overhead,
# small enough that activations stay around 100 MB.
DEFAULT_BATCH_WINDOWS = 8
# A preview keeps only notes that ended this many frames (~1 s) before the frames computed so
# far: a note still sounding at the edge may yet grow or merge once the next batch arrives.
SETTLE_FRAMES = 86

BatchCallback = Callable[[int, int, "Activations"], None]
"""Told ``(batches_done, batches_total, activations_so_far)`` after each batch."""


@dataclass(frozen=True)
class Activations:
    """Stitched posteriorgrams for a whole recording (frames at ~86 Hz).

    Attributes:
        note: (n_frames, 88) frame activations.
        onset: (n_frames, 88) onset activations.
        contour: (n_frames, 264) contour activations, or None when not computed.
    """

    note: np.ndarray
    onset: np.ndarray
    contour: np.ndarray | None


class BasicPitchModel:
    """Spotify's Basic Pitch (ICASSP 2022) running on our PyTorch port."""

    name = MODEL_BASIC_PITCH
    sample_rate_hz = c.SAMPLE_RATE_HZ

    def __init__(
        self, weights_path: Path | None = None, batch_windows: int = DEFAULT_BATCH_WINDOWS
    ):
        """Load the network weights from the ONNX file shipped with `basic-pitch`.

        Args:
            weights_path: Override for the `nmp.onnx` location.
            batch_windows: Windows per forward pass.
        """
        network = BasicPitchNetwork()
        network.load_state_dict(read_state_dict(weights_path or shipped_model_path()))
        network.eval()
        # NHWC kernels pair with the NHWC activations built by the harmonic stack.
        self.network: BasicPitchNetwork = cast(Any, network).to(memory_format=torch.channels_last)
        self.batch_windows = batch_windows

    def activations(
        self,
        samples: np.ndarray,
        with_contour: bool = True,
        deadline: Deadline | None = None,
        on_batch: BatchCallback | None = None,
    ) -> Activations:
        """Run the network over a recording.

        Args:
            samples: Mono float32 audio at 22.05 kHz.
            with_contour: Whether to keep the contour output (needed for pitch bends).
            deadline: Checked before each batch of windows.
            on_batch: Told after each batch, with views of the frames filled so far.

        Returns:
            The stitched posteriorgrams.
        """
        samples = np.ascontiguousarray(samples, dtype=np.float32)
        plan = plan_windows(len(samples))
        note = np.zeros((plan.n_frames, c.N_PITCHES), dtype=np.float32)
        onset = np.zeros_like(note)
        contour = np.zeros((plan.n_frames, c.N_CONTOUR_BINS), np.float32) if with_contour else None
        total = -(-plan.n_windows // self.batch_windows)
        with torch.inference_mode():
            for first, batch in iter_window_batches(samples, plan, self.batch_windows):
                if deadline is not None:
                    deadline.check()
                out = self.network(torch.from_numpy(batch))
                stitch_into(note, first, out.note.numpy())
                stitch_into(onset, first, out.onset.numpy())
                if contour is not None:
                    stitch_into(contour, first, out.contour.numpy())
                if on_batch is not None:
                    filled = min(plan.n_frames, (first + len(batch)) * plan.frames_kept_per_window)
                    part = Activations(
                        note=note[:filled],
                        onset=onset[:filled],
                        contour=contour[:filled] if contour is not None else None,
                    )
                    on_batch(first // self.batch_windows + 1, total, part)
        return Activations(note=note, onset=onset, contour=contour)

    def batches(self, n_samples: int) -> int:
        """How many batches of windows a recording of ``n_samples`` takes."""
        return -(-plan_windows(n_samples).n_windows // self.batch_windows)

    def frame_notes(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline | None = None,
        on_batch: BatchCallback | None = None,
    ) -> tuple[list[FrameNote], int]:
        """Transcribe to notes on the frame grid; also return the number of frames."""
        acts = self.activations(samples, options.pitch_bends, deadline, on_batch)
        if deadline is not None:
            deadline.check()
        # The activations are ours alone, so decoding may reuse their memory.
        notes = decode_notes(acts.note, acts.onset, acts.contour, options, overwrite_input=True)
        return notes, len(acts.note)

    def notes_from_activations(
        self, acts: Activations, options: TranscriptionOptions
    ) -> list[NoteEvent]:
        """Decode notes from posteriorgrams without touching them, so they can be decoded again.

        The evaluation sweep runs the network once per recording and decodes each setting.
        """
        found = decode_notes(acts.note, acts.onset, acts.contour, options, overwrite_input=False)
        return _events(found, len(acts.note))

    def predict(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline,
        on_part: PartCallback | None = None,
    ) -> list[NoteEvent]:
        """Transcribe mono float32 audio at 22.05 kHz into notes sorted by onset.

        ``on_part`` hears of each batch of windows, with the notes decoded from the frames
        so far that ended well before the last of them (see ``SETTLE_FRAMES``).
        """
        if on_part is None:
            found, n_frames = self.frame_notes(samples, options, deadline)
            return _events(found, n_frames)
        report = on_part
        total = self.batches(len(samples))
        report(0, total, [])

        def batch_done(done: int, batches: int, part: Activations) -> None:
            if done == batches:
                return  # the final notes follow, decoded from every frame
            settled_before = len(part.note) - SETTLE_FRAMES
            found = decode_notes(part.note, part.onset, part.contour, options)
            kept = [n for n in found if n.end_frame < settled_before]
            report(done, batches, _events(kept, len(part.note)))

        found, n_frames = self.frame_notes(samples, options, deadline, batch_done)
        notes = _events(found, n_frames)
        report(total, total, notes)
        return notes

    def transcribe(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline,
        on_part: PartCallback | None = None,
    ) -> Transcript:
        """The notes of `predict`; no pedal, since this model does not hear it (no guess)."""
        return Transcript(notes=self.predict(samples, options, deadline, on_part), pedals=[])

    def warm_up(self) -> None:
        """Run one silent batch so kernels and thread pools are initialised."""
        self.activations(np.zeros(c.WINDOW_SAMPLES, dtype=np.float32))


def _events(found: list[FrameNote], n_frames: int) -> list[NoteEvent]:
    """Frame-grid notes as timed events sorted by onset."""
    times_s = frame_times_s(n_frames)
    events = [
        NoteEvent(
            start_s=float(times_s[n.start_frame]),
            end_s=float(times_s[n.end_frame]),
            pitch_midi=n.pitch_midi,
            velocity=velocity_from_amplitude(n.amplitude),
            bends_third_semitones=n.bends_third_semitones,
        )
        for n in found
    ]
    return sorted(events, key=lambda e: (e.start_s, e.pitch_midi, e.end_s))
