"""Transkun piano model adapter (transkun 2.0.1, its shipped 2.0 checkpoint)."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import nn

from transcriber.domain import (
    MODEL_TRANSKUN,
    NoteEvent,
    PedalEvent,
    Transcript,
    TranscriptionOptions,
    midi_to_hz,
)
from transcriber.models.base import PartCallback
from transcriber.models.transkun.compat import torchaudio_available
from transcriber.models.transkun.pedal import PressBelief, begin_marginals, earliest_presses
from transcriber.models.transkun.segments import (
    FAST,
    Layout,
    plan_segments,
    segment_count,
    transcribe_segments,
)
from transcriber.runtime import Deadline

SAMPLE_RATE_HZ = 44100
SUSTAIN_PEDAL = -64
"""transkun decodes its pedals as negative "pitches": minus the MIDI controller number (64 the
sustain pedal, 67 the soft pedal, which we leave out)."""


def shipped_checkpoint_dir() -> Path:
    """Return the `pretrained` directory of the installed transkun package.

    Raises:
        FileNotFoundError: If transkun is not installed.
    """
    spec = importlib.util.find_spec("transkun")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the transkun package is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "pretrained"


def build_model(checkpoint_dir: Path | None = None) -> Any:
    """Construct the transkun network and load the shipped weights.

    The model configuration is read from the JSON `2.0.conf` directly, so transkun's own
    configuration loader (and its extra dependency) is not needed.
    """
    folder = checkpoint_dir or shipped_checkpoint_dir()
    conf_values = json.loads((folder / "2.0.conf").read_text())["Model"]["config"]
    with torchaudio_available():
        from transkun import ModelTransformer

        conf = ModelTransformer.Config()
        conf.__dict__.update(conf_values)
        model = ModelTransformer.TransKun(conf=conf)
    checkpoint = torch.load(folder / "2.0.pt", map_location="cpu", weights_only=False)
    state = checkpoint.get("best_state_dict", checkpoint.get("state_dict"))
    missing, unexpected = model.load_state_dict(state, strict=False)
    if missing or unexpected:
        raise RuntimeError(
            f"transkun checkpoint mismatch: missing={missing} unexpected={unexpected}"
        )
    model.eval()
    # The backbone defaults to gradient checkpointing, which only costs time at inference.
    for module in model.modules():
        if hasattr(module, "useGradientCheckpoint"):
            module.useGradientCheckpoint = False
    return model


class TranskunModel:
    """Accurate piano transcription with the transkun semi-CRF transformer."""

    name = MODEL_TRANSKUN
    sample_rate_hz = SAMPLE_RATE_HZ

    def __init__(self, checkpoint_dir: Path | None = None, layout: Layout = FAST) -> None:
        """Load the model once; requests then reuse it.

        Args:
            checkpoint_dir: Where ``2.0.conf`` and ``2.0.pt`` are; the package's own by default.
            layout: How recordings are cut into segments (``segments.SHIPPED`` for
                transkun's own layout, which the benchmark compares against).
        """
        self.layout = layout
        # transkun's classes are untyped; treat the network dynamically.
        self.network: Any = build_model(checkpoint_dir)
        self._deadline: Deadline | None = None
        # transkun has no loop of ours to check the deadline in, so its modules do: the front
        # end once per 16 s segment, then each encoder layer of the backbone. A segment takes
        # tens of seconds on two cores, a layer one or two, so a spent budget or a caller that
        # hung up is noticed within a layer.
        self.network.framewiseFeatureExtractor.register_forward_pre_hook(self._check_deadline)
        for layer in self.network.backbone.encoderLayers:
            layer.register_forward_pre_hook(self._check_deadline)
        # The interval scorer's output is what the decoder reads; the sustain track's part
        # of it gives the press belief (see pedal.py).
        self._pedal_track = list(self.network.targetMIDIPitch).index(SUSTAIN_PEDAL)
        self._press_belief: PressBelief | None = None
        self._segment_begins_s: list[float] = []
        self.network.scorer.register_forward_hook(self._collect_press_belief)

    def _check_deadline(self, module: nn.Module, args: Any) -> None:
        if self._deadline is not None:
            self._deadline.check()

    def _collect_press_belief(self, module: nn.Module, args: Any, output: Any) -> None:
        belief = self._press_belief
        if belief is None or not self._segment_begins_s:
            return
        scores, noise = output  # [end, begin, batch, track] and [gap, batch, track]
        begin_s = self._segment_begins_s.pop(0)
        track = self._pedal_track
        belief.add(begin_s, begin_marginals(scores[:, :, 0, track], noise[:, 0, track]))

    def predict(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline,
        on_part: PartCallback | None = None,
    ) -> list[NoteEvent]:
        """Transcribe mono float32 audio at 44.1 kHz into notes (the pedal left out)."""
        return self.transcribe(samples, options, deadline, on_part).notes

    def transcribe(
        self,
        samples: np.ndarray,
        options: TranscriptionOptions,
        deadline: Deadline,
        on_part: PartCallback | None = None,
    ) -> Transcript:
        """Transcribe mono float32 audio at 44.1 kHz into notes and sustain-pedal spans.

        Only the length and frequency-range knobs apply, and only to notes: transkun
        decodes with its own CRF rather than thresholds. ``on_part`` hears of each 16 s
        segment as it ends.
        """
        tell = None
        if on_part is not None:
            report = on_part

            def tell(done: int, total: int, notes: list[NoteEvent]) -> None:
                report(done, total, keep_notes(notes, options))

        net = self.network
        plan = plan_segments(
            len(samples),
            net.fs,
            net.hopSize,
            net.segmentHopSizeInSecond,
            net.segmentSizeInSecond,
            self.layout,
        )
        self._segment_begins_s = [start / net.fs - plan.lead_s for start in plan.starts]
        self._press_belief = belief = PressBelief(net.hopSize / net.fs)
        try:
            raw = self._decode(samples, deadline, tell)
        finally:
            self._press_belief = None
            self._segment_begins_s = []
        pedals = earliest_presses(_pedals(raw), belief.belief, belief.frame_s)
        return Transcript(notes=keep_notes(_events(raw), options), pedals=pedals)

    def segments(self, n_samples: int) -> int:
        """How many segments a recording of ``n_samples`` takes."""
        return segment_count(n_samples, self.network, self.layout)

    def raw_notes(
        self, samples: np.ndarray, deadline: Deadline, on_part: PartCallback | None = None
    ) -> list[NoteEvent]:
        """Every note the network decodes, before any knob is applied, sorted by onset."""
        return _events(self._decode(samples, deadline, on_part))

    def _decode(
        self, samples: np.ndarray, deadline: Deadline, on_part: PartCallback | None
    ) -> list[Any]:
        """Transkun's own events (notes and pedals) for the recording."""
        x = torch.from_numpy(np.ascontiguousarray(samples, dtype=np.float32)).unsqueeze(1)

        def segment_done(done: int, total: int, raw: list[Any]) -> None:
            if on_part is not None:
                on_part(done, total, _events(raw))
            if done < total:
                deadline.check()

        if on_part is not None:
            on_part(0, self.segments(len(samples)), [])
        self._deadline = deadline
        try:
            with torch.inference_mode():
                raw: list[Any] = transcribe_segments(
                    self.network, x, segment_done, layout=self.layout
                )
        finally:
            self._deadline = None
        return raw

    def warm_up(self) -> None:
        """Run one short segment of silence through the network to initialise kernels.

        A 2 s segment exercises every layer at a fraction of the cost of the default 16 s.
        """
        silence = torch.zeros(SAMPLE_RATE_HZ, 1)
        with torch.inference_mode():
            self.network.transcribe(silence, stepInSecond=1, segmentSizeInSecond=2)


def _events(raw: list[Any]) -> list[NoteEvent]:
    """Transkun's notes as ours, sorted by onset; pedal events are dropped."""
    events = [
        NoteEvent(
            start_s=float(n.start),
            end_s=float(n.end),
            pitch_midi=int(n.pitch),
            velocity=int(min(127, max(1, n.velocity))),
        )
        for n in raw
        if n.pitch >= 0  # negative "pitches" are the sustain and soft pedals
    ]
    return sorted(events, key=lambda e: (e.start_s, e.pitch_midi))


def _pedals(raw: list[Any]) -> list[PedalEvent]:
    """Transkun's sustain-pedal events as spans in time order (the soft pedal is left out).

    The decoder keeps one pitch's events apart, so the spans never overlap.
    """
    spans = [
        PedalEvent(start_s=float(e.start), end_s=float(e.end))
        for e in raw
        if e.pitch == SUSTAIN_PEDAL and e.end > e.start
    ]
    return sorted(spans, key=lambda p: p.start_s)


def keep_notes(events: list[NoteEvent], options: TranscriptionOptions) -> list[NoteEvent]:
    """Apply the knobs transkun honours (minimum length, frequency range) to its notes.

    Being separate from the network, the evaluation sweep runs the network once per
    recording and tries every setting on its notes.
    """
    return [e for e in events if _keep(e, options)]


def _keep(event: NoteEvent, options: TranscriptionOptions) -> bool:
    if (event.end_s - event.start_s) * 1000.0 <= options.min_note_ms:
        return False
    freq_hz = midi_to_hz(event.pitch_midi)
    if options.min_freq_hz is not None and freq_hz < options.min_freq_hz:
        return False
    return options.max_freq_hz is None or freq_hz <= options.max_freq_hz
