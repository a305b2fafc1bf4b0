"""Health report: can we reach the database, the media store and the transcriber?"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass

from keycraft.services.container import Services


@dataclass(frozen=True)
class ComponentHealth:
    """One dependency's reachability."""

    ok: bool
    latency_ms: float
    detail: str = ""


async def _timed(check: Callable[[], Awaitable[None]], timeout_s: float) -> ComponentHealth:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), timeout_s)
    except TimeoutError:
        return ComponentHealth(False, _ms(started), "timed out")
    except Exception as exc:  # a health probe reports every failure and never raises
        return ComponentHealth(False, _ms(started), type(exc).__name__)
    return ComponentHealth(True, _ms(started))


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)


async def health_report(services: Services) -> dict[str, object]:
    """Probe every dependency concurrently; never raises."""
    timeout_s = services.settings.health_timeout_s

    async def database() -> None:
        await asyncio.to_thread(services.repository.ping)

    async def storage() -> None:
        await asyncio.to_thread(services.storage.ping)

    async def transcriber() -> None:
        if not await services.transcriber.ready(timeout_s):
            raise RuntimeError("not ready")

    results = await asyncio.gather(
        _timed(database, timeout_s), _timed(storage, timeout_s), _timed(transcriber, timeout_s)
    )
    checks = dict(zip(("database", "storage", "transcriber"), results, strict=True))
    return {
        "status": "ok" if all(c.ok for c in results) else "degraded",
        "checks": {name: asdict(check) for name, check in checks.items()},
    }
