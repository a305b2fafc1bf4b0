"""Model building blocks: weights, windowing, mel filters, MIDI writing."""

from __future__ import annotations

import io
import sys

import numpy as np
import pretty_midi
import pytest
import torch

from transcriber.domain import NoteEvent
from transcriber.midi import midi_bytes, notes_to_midi
from transcriber.models.basic_pitch import constants as c
from transcriber.models.basic_pitch.network import BasicPitchNetwork, harmonic_shifts_bins
from transcriber.models.basic_pitch.weights import read_state_dict, shipped_model_path
from transcriber.models.basic_pitch.windowing import iter_window_batches, plan_windows, stitch_into
from transcriber.models.transkun.adapter import shipped_checkpoint_dir
from transcriber.models.transkun.compat import torchaudio_available
from transcriber.models.transkun.mel import melscale_fbanks


def test_onnx_weights_load_strictly_with_16_7k_parameters() -> None:
    net = BasicPitchNetwork()
    net.load_state_dict(read_state_dict(shipped_model_path()), strict=True)
    n_params = sum(p.numel() for p in net.parameters()) + 2  # plus the folded input norm
    assert 16_500 <= n_params <= 16_800
    assert net.cqt.kernels.shape == (72, 1, 256)
    assert float(net.cqt.kernels.abs().sum()) > 0


def test_harmonic_shifts() -> None:
    assert harmonic_shifts_bins() == [-36, 0, 36, 57, 72, 84, 93, 101]


def test_network_output_shapes() -> None:
    net = BasicPitchNetwork()
    net.load_state_dict(read_state_dict(shipped_model_path()))
    with torch.inference_mode():
        out = net(torch.zeros(2, c.WINDOW_SAMPLES))
    assert out.note.shape == (2, 172, 88) and out.onset.shape == (2, 172, 88)
    assert out.contour.shape == (2, 172, 264)


@pytest.mark.parametrize("n_samples", [1, 1000, c.WINDOW_SAMPLES, 10 * c.SAMPLE_RATE_HZ + 17])
def test_windows_cover_the_recording_and_stitch_in_order(n_samples: int) -> None:
    plan = plan_windows(n_samples)
    audio = np.arange(1, n_samples + 1, dtype=np.float32)
    batches = list(iter_window_batches(audio, plan, batch_size=3))
    windows = np.concatenate([b for _, b in batches])
    assert windows.shape == (plan.n_windows, c.WINDOW_SAMPLES)
    # Every sample appears in some window, at the expected offset.
    lead = c.OVERLAP_SAMPLES // 2
    assert windows[0, lead] == 1.0
    assert set(np.unique(windows[windows > 0])) == set(audio.tolist())
    # Stitching frame-index outputs yields a monotone sequence without gaps.
    target = np.full((plan.n_frames, 1), -1.0, dtype=np.float32)
    for first, batch in batches:
        fake = np.tile(np.arange(c.WINDOW_FRAMES, dtype=np.float32), (len(batch), 1))[..., None]
        fake += np.arange(first, first + len(batch))[:, None, None] * 1000
        stitch_into(target, first, fake)
    assert (target >= 0).all()


def test_mel_filters_match_the_transkun_checkpoint() -> None:
    state = torch.load(shipped_checkpoint_dir() / "2.0.pt", map_location="cpu", weights_only=False)
    shipped = state["state_dict"]["framewiseFeatureExtractor.freq2mels"]
    ours = melscale_fbanks(n_freqs=2049, f_min=30, f_max=8000, n_mels=229, sample_rate=44100)
    torch.testing.assert_close(ours, shipped, rtol=0, atol=1e-6)


def test_torchaudio_stand_in_is_scoped() -> None:
    assert "torchaudio" not in sys.modules
    with torchaudio_available():
        import torchaudio

        assert torchaudio.functional.melscale_fbanks is melscale_fbanks
    assert "torchaudio" not in sys.modules


def test_midi_writer_piano_tempo_and_bends() -> None:
    notes = [
        NoteEvent(0.5, 1.0, 60, 80, (0, 1, 2)),
        NoteEvent(1.2, 1.6, 64, 90, (0, -1)),
        NoteEvent(1.3, 1.5, 67, 70, (1, 1)),  # overlaps the previous note: no bends for either
    ]
    midi = pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(notes_to_midi(notes, 100.0, True))))
    (piano,) = midi.instruments
    assert piano.program == 0 and not piano.is_drum
    assert sorted((n.pitch, n.velocity) for n in piano.notes) == [(60, 80), (64, 90), (67, 70)]
    assert abs(midi.get_tempo_changes()[1][0] - 100.0) < 0.01
    assert len(piano.pitch_bends) == 3  # only the first note's
    assert piano.pitch_bends[-1].pitch == round(2 * 4096 / 3)
    plain = pretty_midi.PrettyMIDI(io.BytesIO(midi_bytes(notes_to_midi(notes))))
    assert plain.instruments[0].pitch_bends == []
