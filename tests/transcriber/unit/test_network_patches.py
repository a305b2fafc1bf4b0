"""The folded products give transkun's values, and the network is put back after a segment."""

from __future__ import annotations

import torch
from torch import nn
from transkun.Util import MelSpectrum

from transcriber.models.transkun.compat import torchaudio_available
from transcriber.models.transkun.network_patches import folded_products, mel_spectrum


class _Network(nn.Module):
    """A mel front end and a feed-forward layer fed a transposed input, as in transkun."""

    def __init__(self) -> None:
        super().__init__()
        with torchaudio_available():
            self.framewiseFeatureExtractor = MelSpectrum(
                256,
                f_min=30.0,
                f_max=8000.0,
                n_mels=32,
                fs=16000,
                nExtraWins=2,
                log=True,
                toMono=True,
            )
        self.ffn = nn.Linear(16, 64)

    def forward(self, frames: torch.Tensor, hidden: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return self.framewiseFeatureExtractor(frames), self.ffn(hidden.transpose(1, 2))


def _inputs() -> tuple[torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(3)
    frames = torch.randn(1, 2, 40, 256, generator=generator)  # batch, channels, frames, window
    hidden = torch.randn(1, 12, 9, 16, generator=generator)
    return frames, hidden


def test_the_folded_products_equal_transkuns_own() -> None:
    network = _Network().eval()
    frames, hidden = _inputs()
    with torch.no_grad():
        plain = network(frames, hidden)
        with folded_products(network, enabled=True):
            folded = network(frames, hidden)
    for ours, theirs in zip(folded, plain, strict=True):
        assert ours.shape == theirs.shape
        torch.testing.assert_close(ours, theirs, rtol=1e-5, atol=1e-5)


def test_the_mel_spectrum_is_laid_out_before_the_filterbank() -> None:
    network = _Network().eval()
    frames, _ = _inputs()
    extractor = network.framewiseFeatureExtractor
    with torch.no_grad():
        torch.testing.assert_close(
            mel_spectrum(extractor, frames), MelSpectrum.forward(extractor, frames)
        )


def test_the_network_is_put_back_after_the_segment() -> None:
    network = _Network()
    extractor = network.framewiseFeatureExtractor
    with folded_products(network, enabled=True):
        assert "forward" in vars(extractor)
        assert network.ffn._forward_pre_hooks
    assert "forward" not in vars(extractor)
    assert not network.ffn._forward_pre_hooks
    with folded_products(network, enabled=False):
        assert "forward" not in vars(extractor)
