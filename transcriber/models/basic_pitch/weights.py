"""Read the Basic Pitch weights from the ONNX file shipped in the `basic-pitch` wheel."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from transcriber.models.basic_pitch import constants as c

# The 2-D convolutions are told apart by their kernel shapes, which are all distinct.
_CONV_BY_SHAPE = {
    (8, 8, 3, 39): "contour_hidden",
    (1, 8, 5, 5): "contour_out",
    (32, 1, 7, 7): "note_hidden",
    (1, 32, 7, 3): "note_out",
    (32, 8, 5, 5): "onset_hidden",
    (1, 33, 3, 3): "onset_out",
}
_CQT_KERNEL_SHAPE = (c.CQT_BINS_PER_OCTAVE, 1, 1, c.CQT_KERNEL_TAPS)
_LOWPASS_SHAPE = (1, 1, 1, c.CQT_KERNEL_TAPS)


class WeightFormatError(ValueError):
    """The ONNX file does not have the structure of the ICASSP 2022 model."""


def shipped_model_path() -> Path:
    """Return the path of `nmp.onnx` inside the installed `basic_pitch` package.

    The package is located without importing it, because its `__init__` probes for
    several optional inference runtimes and logs warnings about the missing ones.

    Raises:
        FileNotFoundError: If `basic-pitch` is not installed or lacks the model file.
    """
    spec = importlib.util.find_spec("basic_pitch")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the basic-pitch package is not installed")
    root = Path(next(iter(spec.submodule_search_locations)))
    path = root / "saved_models" / "icassp_2022" / "nmp.onnx"
    if not path.is_file():
        raise FileNotFoundError(f"missing model file {path}")
    return path


def read_state_dict(path: Path) -> dict[str, torch.Tensor]:
    """Map the ONNX graph's initializers onto `BasicPitchNetwork`'s state dict.

    Args:
        path: Path of the `nmp.onnx` file.

    Returns:
        A state dict accepted by `BasicPitchNetwork.load_state_dict(strict=True)`.

    Raises:
        WeightFormatError: If an expected tensor is missing or ambiguous.
    """
    graph = onnx.load(str(path)).graph
    arrays = {init.name: numpy_helper.to_array(init) for init in graph.initializer}
    state: dict[str, torch.Tensor] = {}
    cqt_kernels: list[str] = []
    lowpass: list[str] = []

    for node in graph.node:
        if node.op_type != "Conv":
            continue
        weight = arrays.get(node.input[1])
        bias = arrays.get(node.input[2]) if len(node.input) > 2 else None
        if weight is None:
            raise WeightFormatError(f"convolution {node.name} has no constant kernel")
        shape = tuple(weight.shape)
        if shape == _CQT_KERNEL_SHAPE:
            if bias is not None and np.any(bias != 0):
                raise WeightFormatError("CQT kernels are expected to have zero bias")
            if node.input[1] not in cqt_kernels:
                cqt_kernels.append(node.input[1])
        elif shape == _LOWPASS_SHAPE:
            if node.input[1] not in lowpass:
                lowpass.append(node.input[1])
        elif shape in _CONV_BY_SHAPE:
            name = _CONV_BY_SHAPE[shape]
            if bias is None:
                raise WeightFormatError(f"convolution {name} has no bias")
            state[f"{name}.weight"] = torch.from_numpy(weight.copy())
            state[f"{name}.bias"] = torch.from_numpy(bias.reshape(-1).copy())
        else:
            raise WeightFormatError(f"unexpected convolution kernel shape {shape}")

    if len(cqt_kernels) != 2 or len(lowpass) != 1:
        raise WeightFormatError("expected two CQT kernel banks and one low-pass kernel")
    # Both banks enter only through their squared sum, so their order does not matter.
    banks = [arrays[name].reshape(c.CQT_BINS_PER_OCTAVE, c.CQT_KERNEL_TAPS) for name in cqt_kernels]
    state["cqt.kernels"] = torch.from_numpy(np.concatenate(banks)).unsqueeze(1)
    state["cqt.lowpass"] = torch.from_numpy(arrays[lowpass[0]].reshape(1, 1, -1).copy())
    state["cqt.bin_scale"] = torch.from_numpy(_single(arrays, (c.CQT_KEPT_BINS, 1, 1)).ravel())
    scale, shift = _input_normalization(graph, arrays)
    state["input_norm_scale"] = torch.tensor([scale], dtype=torch.float32)
    state["input_norm_shift"] = torch.tensor([shift], dtype=torch.float32)
    return state


def _single(arrays: dict[str, np.ndarray], shape: tuple[int, ...]) -> np.ndarray:
    """Return the only initializer with the given shape."""
    found = [a for a in arrays.values() if a.shape == shape]
    if len(found) != 1:
        raise WeightFormatError(f"expected one tensor of shape {shape}, found {len(found)}")
    return found[0].astype(np.float32)


def _input_normalization(
    graph: onnx.GraphProto, arrays: dict[str, np.ndarray]
) -> tuple[float, float]:
    """Find the folded batch normalisation applied to the log spectrum.

    It is the only `Mul` by a one-element vector, followed by an `Add` of another one.
    """
    for node in graph.node:
        if node.op_type != "Mul" or node.input[1] not in arrays:
            continue
        factor = arrays[node.input[1]]
        if factor.shape != (1,):
            continue
        for follower in graph.node:
            if follower.op_type == "Add" and follower.input[0] == node.output[0]:
                offset = arrays[follower.input[1]]
                return float(factor[0]), float(offset.reshape(-1)[0])
    raise WeightFormatError("input normalisation not found")
