"""Load each model at most once per process and hand out the shared instances."""

from __future__ import annotations

import threading

from transcriber.domain import MODEL_BASIC_PITCH, MODEL_TRANSKUN
from transcriber.models.base import TranscriptionModel

_loaded: dict[str, TranscriptionModel] = {}
_warmed: set[str] = set()
_lock = threading.Lock()


def _construct(name: str) -> TranscriptionModel:
    # Imported lazily so that an instance serving one model never loads the other's code.
    if name == MODEL_BASIC_PITCH:
        from transcriber.models.basic_pitch.adapter import BasicPitchModel

        return BasicPitchModel()
    if name == MODEL_TRANSKUN:
        from transcriber.models.transkun.adapter import TranskunModel

        return TranskunModel()
    raise KeyError(name)


def get_model(name: str, warm_up: bool = True) -> TranscriptionModel:
    """Return the process-wide instance of a model, loading (and warming) it on first use."""
    with _lock:
        model = _loaded.get(name)
        if model is None:
            model = _construct(name)
            _loaded[name] = model
        if warm_up and name not in _warmed:
            model.warm_up()
            _warmed.add(name)
        return model
