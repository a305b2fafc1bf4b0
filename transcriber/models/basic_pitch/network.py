"""PyTorch implementation of the Basic Pitch network (CQT front end, harmonic stack, CNN)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from transcriber.models.basic_pitch import constants as c

# log10(x) = ln(x) * log10(e); the reference graph scales by 10 * log10(e) to get decibels.
_DB_PER_NEPER = 10.0 * math.log10(math.e)
_POWER_FLOOR = 1e-10


@dataclass(frozen=True)
class Posteriorgrams:
    """Network outputs for a batch of windows, values in [0, 1].

    Attributes:
        note: Note activations, shape (batch, frames, 88).
        onset: Onset activations, shape (batch, frames, 88).
        contour: Pitch contour activations, shape (batch, frames, 264).
    """

    note: torch.Tensor
    onset: torch.Tensor
    contour: torch.Tensor


def harmonic_shifts_bins() -> list[int]:
    """Return the frequency shift, in CQT bins, that aligns each harmonic with its fundamental."""
    return [round(c.CQT_BINS_PER_OCTAVE * math.log2(h)) for h in c.HARMONICS]


# Outputs computed per matrix row by the blocked low-pass filter; 64 keeps the banded matrix
# small (382 x 64) while giving the matrix multiply enough work per call.
_DECIMATION_BLOCK = 64


def lowpass_matrix(taps: torch.Tensor, block: int = _DECIMATION_BLOCK) -> torch.Tensor:
    """Banded matrix that applies a FIR filter and keeps every second output, `block` at a time.

    Column r holds the taps shifted down by 2r, so a segment of 2 * (block - 1) + len(taps)
    input samples times this matrix gives `block` consecutive decimated outputs.
    """
    n_taps = taps.numel()
    span = 2 * (block - 1) + n_taps
    matrix = torch.zeros(span, block, dtype=taps.dtype)
    for r in range(block):
        matrix[2 * r : 2 * r + n_taps, r] = taps
    return matrix


def decimate_by_two(signal: torch.Tensor, matrix: torch.Tensor) -> torch.Tensor:
    """Low-pass filter and downsample by 2, as a strided 1-D convolution would.

    Equivalent to `conv1d(pad(signal, (h - 1, h - 1)), taps, stride=2)` for `2 * h` taps, but
    done as one matrix multiply over overlapping segments, which is several times faster on
    CPU than a single-channel strided convolution.

    Args:
        signal: Shape (batch, samples).
        matrix: From `lowpass_matrix`.

    Returns:
        Shape (batch, outputs).
    """
    span, block = matrix.shape
    n_taps = span - 2 * (block - 1)
    half = n_taps // 2
    padded_len = signal.shape[-1] + 2 * (half - 1)
    n_out = (padded_len - n_taps) // 2 + 1
    n_blocks = -(-n_out // block)
    needed = 2 * block * (n_blocks - 1) + span
    padded = F.pad(signal, (half - 1, half - 1 + needed - padded_len))
    segments = padded.unfold(-1, span, 2 * block)
    return (segments @ matrix).flatten(-2)[..., :n_out]


def single_output_conv(channels_last: list[torch.Tensor], conv: nn.Conv2d) -> torch.Tensor:
    """Apply a stride-1 `conv` with one output channel to NHWC inputs, returning (B, H, W).

    One matrix multiply maps every pixel's channels to its contribution at each kernel offset;
    the shifted contributions are then summed. This equals `conv(cat(inputs, dim=1))` (up to
    float rounding) and is much faster than the library convolution, which handles a single
    output channel poorly.

    Args:
        channels_last: Input tensors of shape (B, H, W, C_i), concatenated along channels.
        conv: The convolution providing weight (1, sum C_i, kh, kw), bias and padding.
    """
    weight = conv.weight[0]  # (C, kh, kw)
    bias = conv.bias
    kh, kw = weight.shape[-2:]
    pad_h, pad_w = (int(p) for p in conv.padding)
    taps = weight.reshape(weight.shape[0], kh * kw)
    contributions = None
    first = 0
    for part in channels_last:
        n = part.shape[-1]
        term = part @ taps[first : first + n]
        contributions = term if contributions is None else contributions + term
        first += n
    assert contributions is not None
    _, height, width, _ = contributions.shape
    # Offset-major layout makes every shifted slice below a dense block of rows.
    padded = F.pad(contributions.permute(3, 0, 1, 2), (pad_w, pad_w, pad_h, pad_h))
    out = padded[0, :, :height, :width].clone()
    for i in range(kh):
        for j in range(kw):
            if i or j:
                out += padded[i * kw + j, :, i : i + height, j : j + width]
    if bias is not None:
        out += bias
    return out


class ConstantQTransform(nn.Module):
    """Multi-octave constant-Q magnitude transform with per-octave decimation.

    Each octave is analysed with the same 36 complex 256-tap kernels; the signal is then
    low-pass filtered and decimated by 2 for the next octave down, so the kernel stride
    halves as well to keep one frame per hop.
    """

    kernels: torch.Tensor
    lowpass: torch.Tensor
    bin_scale: torch.Tensor
    _lowpass_matrix: torch.Tensor | None

    def __init__(self) -> None:
        """Create the module with zero buffers; weights are loaded from the shipped model."""
        super().__init__()
        taps = c.CQT_KERNEL_TAPS
        # Rows are the 36 bins of one octave, first the real then the imaginary kernels.
        self.register_buffer("kernels", torch.zeros(2 * c.CQT_BINS_PER_OCTAVE, 1, taps))
        self.register_buffer("lowpass", torch.zeros(1, 1, taps))
        self.register_buffer("bin_scale", torch.zeros(c.CQT_KEPT_BINS))
        self._lowpass_matrix = None

    def _decimation_matrix(self) -> torch.Tensor:
        """Build (once per loaded weights) the banded matrix of the low-pass filter."""
        if self._lowpass_matrix is None or self._lowpass_matrix.dtype != self.lowpass.dtype:
            self._lowpass_matrix = lowpass_matrix(self.lowpass.reshape(-1))
        return self._lowpass_matrix

    def _load_from_state_dict(self, *args: Any, **kwargs: Any) -> None:
        self._lowpass_matrix = None
        super()._load_from_state_dict(*args, **kwargs)

    def forward(self, audio: torch.Tensor) -> torch.Tensor:
        """Compute CQT magnitudes.

        Args:
            audio: Waveforms, shape (batch, samples).

        Returns:
            Magnitudes, shape (batch, frames, 309), lowest frequency first.
        """
        half = c.CQT_KERNEL_TAPS // 2
        decimation = self._decimation_matrix()
        signal = audio
        octaves: list[torch.Tensor] = []
        stride = c.HOP_SAMPLES
        for level in range(c.CQT_OCTAVES):
            padded = F.pad(signal.unsqueeze(1), (half, half), mode="reflect")
            octaves.append(F.conv1d(padded, self.kernels, stride=stride))
            if level + 1 < c.CQT_OCTAVES:
                signal = decimate_by_two(signal, decimation)
                stride //= 2
        # (batch, 2 * 36 * octaves, frames) with the lowest octave first.
        n = c.CQT_BINS_PER_OCTAVE
        real = torch.cat([o[:, :n] for o in reversed(octaves)], dim=1)
        imag = torch.cat([o[:, n:] for o in reversed(octaves)], dim=1)
        real = real[:, -c.CQT_KEPT_BINS :].transpose(1, 2) * self.bin_scale
        imag = imag[:, -c.CQT_KEPT_BINS :].transpose(1, 2) * self.bin_scale
        return torch.sqrt(real * real + imag * imag)


class BasicPitchNetwork(nn.Module):
    """The Basic Pitch ICASSP 2022 network, mapping 2 s windows to posteriorgrams."""

    input_norm_scale: torch.Tensor
    input_norm_shift: torch.Tensor

    def __init__(self) -> None:
        """Create the layers; call `load_state_dict` with weights read from the ONNX file."""
        super().__init__()
        self.cqt = ConstantQTransform()
        self.register_buffer("input_norm_scale", torch.ones(1))
        self.register_buffer("input_norm_shift", torch.zeros(1))
        n_harmonics = len(c.HARMONICS)
        self.contour_hidden = nn.Conv2d(n_harmonics, 8, (3, 39), padding=(1, 19))
        self.contour_out = nn.Conv2d(8, 1, (5, 5), padding=(2, 2))
        self.note_hidden = nn.Conv2d(1, 32, (7, 7), stride=(1, 3), padding=(3, 2))
        self.note_out = nn.Conv2d(32, 1, (7, 3), padding=(3, 1))
        self.onset_hidden = nn.Conv2d(n_harmonics, 32, (5, 5), stride=(1, 3), padding=(2, 1))
        self.onset_out = nn.Conv2d(33, 1, (3, 3), padding=(1, 1))
        self._shifts = harmonic_shifts_bins()

    def _normalized_log(self, magnitude: torch.Tensor) -> torch.Tensor:
        """Rescale each window's decibel spectrum to [0, 1]."""
        power_db = torch.log(magnitude * magnitude + _POWER_FLOOR) * _DB_PER_NEPER
        offset = power_db - power_db.amin(dim=(1, 2), keepdim=True)
        peak = offset.amax(dim=(1, 2), keepdim=True)
        # A constant (e.g. silent) window has no range: the reference maps it to zeros.
        return torch.where(peak == 0, torch.zeros_like(offset), offset / peak)

    def _harmonic_stack(self, spectrum: torch.Tensor) -> torch.Tensor:
        """Stack frequency-shifted copies so each channel holds one harmonic.

        Args:
            spectrum: Shape (batch, frames, 309).

        Returns:
            A (batch, harmonics, frames, 264) tensor in channels-last memory layout.
        """
        low = -min(self._shifts)
        high = max(0, max(self._shifts) + c.N_CONTOUR_BINS - c.CQT_KEPT_BINS)
        padded = F.pad(spectrum, (low, high))
        channels = [padded[..., low + s : low + s + c.N_CONTOUR_BINS] for s in self._shifts]
        # Stacking on the last axis then permuting gives NCHW shape with NHWC strides.
        return torch.stack(channels, dim=-1).permute(0, 3, 1, 2)

    def forward(self, audio: torch.Tensor) -> Posteriorgrams:
        """Run the network.

        Args:
            audio: Windows of mono 22.05 kHz audio, shape (batch, 43844).

        Returns:
            The note, onset and contour posteriorgrams.
        """
        spectrum = self._normalized_log(self.cqt(audio))
        spectrum = spectrum * self.input_norm_scale + self.input_norm_shift
        stacked = self._harmonic_stack(spectrum)

        # Hidden layers keep NHWC memory, so permuting to (B, H, W, C) below is free.
        hidden = F.relu(self.contour_hidden(stacked), inplace=True)
        # With only 8 input channels the library convolution is the faster choice here.
        contour = torch.sigmoid_(self.contour_out(hidden)).squeeze(1)
        hidden = F.relu(self.note_hidden(contour.unsqueeze(1)), inplace=True)
        note = torch.sigmoid_(single_output_conv([hidden.permute(0, 2, 3, 1)], self.note_out))
        onset_features = F.relu(self.onset_hidden(stacked), inplace=True)
        onset_inputs = [note.unsqueeze(-1), onset_features.permute(0, 2, 3, 1)]
        onset = torch.sigmoid_(single_output_conv(onset_inputs, self.onset_out))
        return Posteriorgrams(note=note, onset=onset, contour=contour)
