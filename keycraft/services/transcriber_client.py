"""HTTP client for the separate transcription service."""

from __future__ import annotations

import httpx


class TranscriberUnavailable(Exception):
    """The transcription service did not answer or is not ready."""


class TranscriberClient:
    """Talks to the transcriber over HTTP with a shared secret; no state kept between calls."""

    def __init__(self, base_url: str, secret: str | None, timeout_s: float) -> None:
        self._base_url = base_url.rstrip("/")
        self._secret = secret
        self._timeout_s = timeout_s

    def _headers(self) -> dict[str, str]:
        return {"X-Transcription-Secret": self._secret} if self._secret else {}

    async def ready(self, timeout_s: float) -> bool:
        """Return whether the service answers ``/ready`` with 200 within ``timeout_s``."""
        try:
            async with httpx.AsyncClient(timeout=timeout_s) as client:
                response = await client.get(f"{self._base_url}/ready", headers=self._headers())
        except httpx.HTTPError as exc:
            raise TranscriberUnavailable(type(exc).__name__) from exc
        return response.status_code == 200
