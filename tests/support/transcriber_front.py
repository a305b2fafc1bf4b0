"""Several transcriber processes behind one URL, as Cloud Run puts instances behind one address.

Cloud Run at concurrency 1 never hands an instance a second request while it works on one:
its router counts the requests in flight on each instance and sends a new one only to an
instance with a free slot. With every instance busy and ``max-instances`` reached, the request
cannot be placed and the caller gets 429. This front does the same with a fixed set of
backends (the instances, already started): a ``POST /transcribe`` goes to the first backend
with no request of this front in flight, and is answered 429 with ``Retry-After`` (the
transcriber's own value) when there is none. Round-robin would be the wrong model: it would
send work to a busy instance, which Cloud Run never does at concurrency 1.

The front is the only caller of its backends, so its own in-flight count is exact and it
need not ask their ``GET /health``. It differs from Cloud Run in two ways, both on purpose:
it starts no new instance (the pool is fixed, like a service already at ``max-instances``),
and it answers 429 at once instead of holding the request for a few seconds in a pending
queue first, so a benchmark sees every refused request. ``GET /front/stats`` reports how many
requests each backend took and how many were refused. The response body is streamed through,
so a transcriber that streams progress is seen as it writes; a caller that hangs up (before
or during the answer) closes the backend request, which stops that transcription as it
would on Cloud Run.

Run: ``granian --interface asgi --factory tests.support.transcriber_front:create_app`` with
``TRANSCRIBER_FRONT_BACKENDS`` (comma-separated base URLs); see :func:`start_transcriber_front`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from tests.support.app_server import VENV_BIN
from tests.support.processes import REPO_ROOT, ServerProcess, free_port, http_ok
from tests.support.transcriber_server import RealTranscriber, start_transcriber
from transcriber.api.routes import RETRY_AFTER_S

BACKENDS_ENV = "TRANSCRIBER_FRONT_BACKENDS"
# Headers that describe one hop, not the message: httpx sets its own for the backend request.
_HOP_HEADERS = frozenset(
    {"host", "content-length", "connection", "keep-alive", "transfer-encoding", "upgrade"}
)
DISCONNECT_CHECK_S = 0.2
CALLER_GONE_STATUS = 499
"""Logged for a caller that left before the answer (nobody reads it)."""
_BACKEND_TIMEOUT = httpx.Timeout(connect=5.0, write=120.0, read=1800.0, pool=5.0)


@dataclass
class Slots:
    """Which backends hold a request now, and what each was given: the router's bookkeeping."""

    backends: tuple[str, ...]
    busy: set[str] = field(default_factory=set)
    served: dict[str, int] = field(default_factory=dict)
    refused: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> str | None:
        """The first backend with a free slot, now marked busy; None when all are busy."""
        with self._lock:
            for backend in self.backends:
                if backend not in self.busy:
                    self.busy.add(backend)
                    self.served[backend] = self.served.get(backend, 0) + 1
                    return backend
            self.refused += 1
            return None

    def give_back(self, backend: str) -> None:
        """Free the backend's slot (its response has been sent, or its caller left)."""
        with self._lock:
            self.busy.discard(backend)

    def stats(self) -> dict[str, object]:
        """Requests taken per backend, refusals, and the backends busy now."""
        with self._lock:
            return {
                "served": {b: self.served.get(b, 0) for b in self.backends},
                "refused": self.refused,
                "busy": sorted(self.busy),
            }


def _forwarded_headers(request: Request) -> dict[str, str]:
    return {k: v for k, v in request.headers.items() if k.lower() not in _HOP_HEADERS}


def _answer_headers(response: httpx.Response) -> dict[str, str]:
    return {k: v for k, v in response.headers.items() if k.lower() not in _HOP_HEADERS}


async def _unless_caller_leaves(
    request: Request, sending: asyncio.Future[httpx.Response]
) -> httpx.Response | None:
    """The backend's answer, or None once the caller hung up first (the request is dropped).

    A transcription answers only when it is done, so the hang-up must be noticed while its
    head is awaited: dropping the backend connection is what tells the transcriber to stop.
    """
    while True:
        done, _ = await asyncio.wait({sending}, timeout=DISCONNECT_CHECK_S)
        if done:
            return sending.result()
        if await request.is_disconnected():
            sending.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sending
            return None


def create_app(backends: Sequence[str] | None = None) -> Starlette:
    """The front over ``backends`` (default: the comma-separated ``TRANSCRIBER_FRONT_BACKENDS``)."""
    urls = backends if backends is not None else os.environ[BACKENDS_ENV].split(",")
    slots = Slots(tuple(u.rstrip("/") for u in urls if u))
    client = httpx.AsyncClient(timeout=_BACKEND_TIMEOUT)

    async def transcribe(request: Request) -> Response:
        backend = slots.take()
        if backend is None:
            return JSONResponse(
                {"error": "busy", "message": "No transcriber instance is free; retry later."},
                429,
                headers={"Retry-After": str(RETRY_AFTER_S)},
            )
        try:
            body = await request.body()
            sending = asyncio.ensure_future(
                client.send(
                    client.build_request(
                        "POST",
                        f"{backend}/transcribe",
                        params=request.query_params,
                        headers=_forwarded_headers(request),
                        content=body,
                    ),
                    stream=True,
                )
            )
            upstream = await _unless_caller_leaves(request, sending)
        except BaseException:
            slots.give_back(backend)
            raise
        if upstream is None:
            slots.give_back(backend)
            return Response(status_code=CALLER_GONE_STATUS)

        released = False

        async def release() -> None:
            # Once per request: a second give-back could free a slot another request holds.
            nonlocal released
            if not released:
                released = True
                await upstream.aclose()
                slots.give_back(backend)

        async def passthrough() -> AsyncIterator[bytes]:
            try:
                async for chunk in upstream.aiter_raw():
                    yield chunk
            finally:
                # Runs also when the caller hung up mid-body: the backend hears it close.
                await release()

        return StreamingResponse(
            passthrough(),
            upstream.status_code,
            headers=_answer_headers(upstream),
            background=BackgroundTask(release),
        )

    async def ready(request: Request) -> Response:
        """Ready once any instance is: Cloud Run serves as soon as one can take a request."""
        for backend in slots.backends:
            try:
                answer = await client.get(f"{backend}/ready", headers=_forwarded_headers(request))
            except httpx.HTTPError:
                continue
            if answer.status_code == 200:
                return Response(answer.content, 200, media_type="application/json")
        return JSONResponse({"ready": False}, 503)

    async def health(_: Request) -> Response:
        """Busy only when every slot is taken (a new request would be refused)."""
        stats = slots.stats()
        return JSONResponse({"status": "ok", "busy": len(stats["busy"]) == len(slots.backends)})  # type: ignore[arg-type]

    async def stats(_: Request) -> Response:
        return JSONResponse(slots.stats())

    return Starlette(
        routes=[
            Route("/transcribe", transcribe, methods=["POST"]),
            Route("/ready", ready),
            Route("/health", health),
            Route("/front/stats", stats),
        ]
    )


@dataclass
class TranscriberPool:
    """Transcriber processes behind one front: its URL is the service's URL."""

    url: str
    secret: str
    front: ServerProcess
    backends: list[tuple[ServerProcess, str]]

    def stats(self) -> dict[str, object]:
        """The front's counts: requests per backend, refusals (429)."""
        answer = httpx.get(f"{self.url}/front/stats", timeout=5)
        answer.raise_for_status()
        result: dict[str, object] = answer.json()
        return result

    def stop(self) -> None:
        """Stop the front, then every backend."""
        self.front.stop()
        for server, _ in self.backends:
            server.stop()


def start_transcriber_front(workdir: Path, backends: Sequence[str]) -> tuple[ServerProcess, str]:
    """Serve the front over ``backends`` on a free port; return it and its URL once it answers."""
    port = free_port()
    args = [str(VENV_BIN / "granian"), "--interface", "asgi", "--factory"]
    args += ["--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    args += ["tests.support.transcriber_front:create_app"]
    server = ServerProcess(
        args, log=workdir / "front.log", env={BACKENDS_ENV: ",".join(backends)}, cwd=REPO_ROOT
    )
    url = f"http://127.0.0.1:{port}"
    server.wait_ready(lambda: http_ok(f"{url}/health"), 60, "transcriber front")
    return server, url


def start_transcriber_pool(
    workdir: Path, secret: str, count: int, extra_env: Mapping[str, str] | None = None
) -> TranscriberPool:
    """Start ``count`` transcribers (each in its own folder) and a front over them.

    They serve Basic Pitch unless ``extra_env`` says otherwise (``TRANSCRIBER_MODELS``).
    """
    backends: list[tuple[ServerProcess, str]] = []
    try:
        for n in range(count):
            folder = workdir / f"transcriber-{n + 1}"
            folder.mkdir(parents=True, exist_ok=True)
            backends.append(start_transcriber(folder, secret, extra_env))
        front, url = start_transcriber_front(workdir, [u for _, u in backends])
    except BaseException:
        for server, _ in backends:
            server.stop()
        raise
    return TranscriberPool(url=url, secret=secret, front=front, backends=backends)


def as_transcriber(pool: TranscriberPool) -> RealTranscriber:
    """The pool seen as one transcriber service (its URL, secret and front process)."""
    return RealTranscriber(url=pool.url, secret=pool.secret, server=pool.front)
