"""Mel filterbank matching `torchaudio.functional.melscale_fbanks` defaults (HTK, no norm)."""

from __future__ import annotations

import math

import torch


def _hz_to_mel_htk(freq_hz: float) -> float:
    return 2595.0 * math.log10(1.0 + freq_hz / 700.0)


def _mel_to_hz_htk(mels: torch.Tensor) -> torch.Tensor:
    return 700.0 * (10.0 ** (mels / 2595.0) - 1.0)


def melscale_fbanks(
    n_freqs: int,
    f_min: float,
    f_max: float,
    n_mels: int,
    sample_rate: int,
    norm: str | None = None,
    mel_scale: str = "htk",
) -> torch.Tensor:
    """Triangular mel filters of shape (n_freqs, n_mels) over linear STFT bins.

    Only the HTK mel scale without area normalisation is implemented, which is what the
    transkun model asks for.

    Raises:
        NotImplementedError: For other scales or normalisations.
    """
    if norm is not None or mel_scale != "htk":
        raise NotImplementedError("only the HTK mel scale without normalisation is supported")
    bin_freqs = torch.linspace(0, sample_rate // 2, n_freqs)
    edges_mel = torch.linspace(_hz_to_mel_htk(f_min), _hz_to_mel_htk(f_max), n_mels + 2)
    edges_hz = _mel_to_hz_htk(edges_mel)
    widths = edges_hz[1:] - edges_hz[:-1]
    # Distance from each bin to each filter edge; filters rise over one width, fall over the next.
    offsets = edges_hz.unsqueeze(0) - bin_freqs.unsqueeze(1)
    rising = -offsets[:, :-2] / widths[:-1]
    falling = offsets[:, 2:] / widths[1:]
    return torch.clamp(torch.minimum(rising, falling), min=0.0)
