"""Process-level runtime controls: CPU thread caps and per-request deadlines."""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable

import torch

_THREAD_ENV_VARS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


class DeadlineExceeded(Exception):
    """The request's time budget ran out."""


class ClientGone(Exception):
    """The caller closed its connection: nobody is waiting for the result any more."""


class Deadline:
    """A point in monotonic time after which work must stop, or a caller that left.

    Models call `check()` between windows, so a request stops within one window of its
    budget, or of its caller hanging up, without killing the worker.
    """

    def __init__(self, budget_s: float, client_gone: Callable[[], bool] | None = None) -> None:
        """Start the clock now with `budget_s` seconds to go.

        Args:
            budget_s: Seconds the work may take.
            client_gone: Returns True once the caller has disconnected; must be cheap and
                never block. None when the server cannot tell (the work then always runs on).
        """
        self.budget_s = budget_s
        self._expires_at = time.monotonic() + budget_s
        self._client_gone = client_gone

    @classmethod
    def unlimited(cls) -> Deadline:
        """Return a deadline that never expires (for benchmarks and tests)."""
        return cls(float("inf"))

    def remaining_s(self) -> float:
        """Seconds left, possibly negative."""
        return self._expires_at - time.monotonic()

    def check(self) -> None:
        """Raise `DeadlineExceeded` if the budget is spent, `ClientGone` if the caller left."""
        if time.monotonic() >= self._expires_at:
            raise DeadlineExceeded(f"time budget of {self.budget_s:g} s exceeded")
        if self._client_gone is not None and self._client_gone():
            raise ClientGone("the client closed the connection")


def apply_thread_cap(threads: int) -> None:
    """Cap the intra-op threads of torch and of the native math libraries.

    The environment variables only affect libraries initialised later (e.g. in ffmpeg or
    scipy's BLAS), so they are set as well as torch's own setting.
    """
    for name in _THREAD_ENV_VARS:
        os.environ[name] = str(threads)
    torch.set_num_threads(threads)
    # Inter-op threads can only be set once per process, before any parallel work.
    with contextlib.suppress(RuntimeError):
        torch.set_num_interop_threads(1)
