"""Changes to how transkun's network runs, each on for the length of one segment.

Each is a context manager that patches the loaded network (hooks, a replaced ``forward``)
and puts it back afterwards, so transkun's own layout (the benchmark's reference) runs the
network exactly as the package does. ``segments.Layout`` says which are on.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

import torch
from torch import nn


@contextmanager
def score_only(network: Any, frames: int | None) -> Iterator[None]:
    """Give the interval scorer (so the decoder) only the first ``frames`` frames.

    Scoring and decoding grow with the square of the frames; frames past the recording's
    tail hold only silence, so a short clip in a full segment skips most of that work.
    """
    if frames is None:
        yield
        return

    def cut(module: nn.Module, args: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        return (args[0][..., :frames, :], *args[1:])

    handle = network.scorer.register_forward_pre_hook(cut)
    try:
        yield
    finally:
        handle.remove()


@contextmanager
def precision_and_scorer(network: Any, encoder_bf16: bool, in_place: bool) -> Iterator[None]:
    """bfloat16 matrix products before the scorer, and the scorer in float32 (in place).

    The scores are scaled by interval length (up to ~700 frames), too wide a range for
    bfloat16's 8-bit mantissa.
    """
    bf16 = encoder_bf16 and bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    if not (bf16 or in_place):
        yield
        return
    scorer = network.scorer
    plain = scorer.forward

    def scored(ctx: torch.Tensor) -> Any:
        with torch.autocast("cpu", enabled=False):
            return interval_scores(scorer, ctx) if in_place else plain(ctx.float())

    scorer.forward = scored  # the module's hooks still run around it
    try:
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16):
            yield
    finally:
        del scorer.forward


@contextmanager
def folded_products(network: Any, enabled: bool) -> Iterator[None]:
    """Products against a weight as one matrix product, not one per frame.

    ``torch.matmul`` of a transposed (not laid out in memory) 4-d input by a 2-d weight
    copies the weight once per leading index and runs a batched product: the mel filterbank
    (2049 x 229) was copied 691 times a segment, each feed-forward weight 149 times a layer.
    Laying the input out first (a copy the size of the input) lets it run as one product;
    the values are the same up to the order of the sums.
    """
    if not enabled:
        yield
        return

    def laid_out(module: nn.Module, args: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, ...]:
        return (args[0].contiguous(), *args[1:])

    handles = [
        module.register_forward_pre_hook(laid_out)
        for module in network.modules()
        if isinstance(module, nn.Linear)
    ]
    extractor = network.framewiseFeatureExtractor
    extractor.forward = partial(mel_spectrum, extractor)
    try:
        yield
    finally:
        del extractor.forward
        for handle in handles:
            handle.remove()


def mel_spectrum(extractor: Any, frames: torch.Tensor) -> torch.Tensor:
    """The mel spectrum as transkun's ``MelSpectrum.forward`` makes it, laid out first."""
    spectrum = extractor.spectrogramExtractor(frames).abs().pow(2)
    if extractor.toMono and spectrum.dim() >= 4:
        spectrum = spectrum.mean(dim=-4, keepdim=True)
    mel = torch.matmul(spectrum.transpose(-1, -2).contiguous(), extractor.freq2mels)
    mel = mel.transpose(-1, -2)
    if extractor.log:
        eps = extractor.eps
        mel = ((mel + eps).log() - math.log(eps)) / (-math.log(eps))
    return mel


PITCH_BLOCK = 16
"""Tracks scored at a time: each block's temporaries are a sixth of the full scores'."""


def interval_scores(scorer: Any, ctx: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """What transkun's ``ScaledInnerProductIntervalScorer`` returns, in float32, in less memory.

    transkun maps every track's context at once, then scales, adds the single-frame scores
    through a full diagonal matrix and permutes into new tensors, each as large as the
    scores (90 tracks x 690 x 690 frames, 171 MB); its decoder then copies them once more
    into begin-major order. Here a block of tracks is scored at a time into one tensor laid
    out begin-major, and handed back as its ``[end, begin]`` view, so the decoder's copy is
    free: the segment's peak holds the scores once, not three times.
    """
    size = scorer.size * scorer.expansionFactor
    batch, tracks, frames = ctx.shape[0], ctx.shape[1], ctx.shape[2]
    by_begin = torch.empty((frames, frames, batch, tracks), dtype=torch.float32)
    steps = torch.arange(frames, dtype=torch.float32)
    lengths = (steps.unsqueeze(-1) - steps.unsqueeze(0)).abs()
    for first in range(0, tracks, PITCH_BLOCK):
        block = slice(first, first + PITCH_BLOCK)
        q, k, diag = scorer.map(ctx[:, block].float()).split([size, size, 1], dim=-1)
        scores = torch.matmul(k, (q / math.sqrt(size)).transpose(-1, -2))  # [.., begin, end]
        scores.mul_(lengths)
        scores.diagonal(dim1=-2, dim2=-1).add_(diag.squeeze(-1))
        by_begin[:, :, :, block].copy_(scores.permute(2, 3, 0, 1))
    no_event = torch.zeros((frames - 1, batch, tracks), dtype=torch.float32)
    return by_begin.transpose(0, 1), no_event
