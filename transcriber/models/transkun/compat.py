"""Let the transkun package build its model without torchaudio installed.

transkun imports torchaudio in exactly one place: `MelSpectrum.__init__` calls
`torchaudio.functional.melscale_fbanks` to fill the `freq2mels` buffer, which the shipped
checkpoint then overwrites. torchaudio has no release for the torch version we deploy, so
while the model is constructed we expose a minimal stand-in module that provides that one
function (`transcriber.models.transkun.mel.melscale_fbanks`, an equivalent implementation).
The stand-in is registered only when torchaudio is absent, and removed right afterwards.
"""

from __future__ import annotations

import importlib.util
import sys
import types
from collections.abc import Iterator
from contextlib import contextmanager

from transcriber.models.transkun.mel import melscale_fbanks

STANDIN_MARKER = "__transcriber_standin__"


@contextmanager
def torchaudio_available() -> Iterator[None]:
    """Make `import torchaudio` work inside the block, using a stand-in if needed."""
    if "torchaudio" in sys.modules or importlib.util.find_spec("torchaudio") is not None:
        yield
        return
    package = types.ModuleType("torchaudio")
    functional = types.ModuleType("torchaudio.functional")
    functional.melscale_fbanks = melscale_fbanks  # type: ignore[attr-defined]
    package.functional = functional  # type: ignore[attr-defined]
    setattr(package, STANDIN_MARKER, True)
    sys.modules["torchaudio"] = package
    sys.modules["torchaudio.functional"] = functional
    try:
        yield
    finally:
        sys.modules.pop("torchaudio.functional", None)
        sys.modules.pop("torchaudio", None)
