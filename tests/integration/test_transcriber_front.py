"""The Cloud Run-like front: a request goes to a free instance, or is refused with 429."""

from __future__ import annotations

import json
import select
import socket
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from tests.support.processes import ServerProcess, wait_until
from tests.support.transcriber_front import start_transcriber_front
from tests.support.transcriber_server import raw_transcribe_request
from transcriber.api.routes import RETRY_AFTER_S


def _closed(connection: socket.socket) -> bool:
    """Whether the peer closed the connection (readable with nothing left to read)."""
    readable, _, _ = select.select([connection], [], [], 0)
    return bool(readable) and connection.recv(1, socket.MSG_PEEK) == b""


class HeldBackend:
    """A tiny instance: it answers ``POST /transcribe`` with its name once the test lets it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.release = threading.Event()
        self.hung_up = threading.Event()
        """Set when the caller's connection closed before the answer was released."""
        self.received: list[bytes] = []
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                backend.received.append(body)
                while not backend.release.wait(0.05):
                    if _closed(self.connection):
                        backend.hung_up.set()
                        return
                answer = json.dumps({"backend": backend.name, "query": self.path}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *_: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def backends() -> Iterator[tuple[HeldBackend, HeldBackend]]:
    pair = HeldBackend("one"), HeldBackend("two")
    try:
        yield pair
    finally:
        for backend in pair:
            backend.stop()


@pytest.fixture
def front(tmp_path: Path, backends: tuple[HeldBackend, HeldBackend]) -> Iterator[str]:
    server, url = start_transcriber_front(tmp_path, [b.url for b in backends])
    try:
        yield url
    finally:
        server.stop()


def _post(url: str, audio: bytes) -> httpx.Response:
    return httpx.post(
        f"{url}/transcribe",
        params={"format": "json"},
        files={"audio": ("take.wav", audio, "audio/wav")},
        data={"model": "basic-pitch"},
        timeout=30,
    )


def _busy(front: str) -> list[str]:
    stats: dict[str, list[str]] = httpx.get(f"{front}/front/stats", timeout=5).json()
    return stats["busy"]


def test_each_request_takes_a_free_instance_and_a_third_is_refused_with_retry_after(
    front: str, backends: tuple[HeldBackend, HeldBackend]
) -> None:
    one, two = backends
    with ThreadPoolExecutor(2) as pool:
        first: Future[httpx.Response] = pool.submit(_post, front, b"first take")
        wait_until(lambda: len(one.received) == 1, 10, "the first request reaching one", None)
        second: Future[httpx.Response] = pool.submit(_post, front, b"second take")
        wait_until(lambda: len(two.received) == 1, 10, "the second request reaching two", None)

        refused = _post(front, b"third take")
        assert refused.status_code == 429
        assert refused.headers["Retry-After"] == str(RETRY_AFTER_S)
        assert httpx.get(f"{front}/health", timeout=5).json()["busy"] is True

        one.release.set()
        two.release.set()
        answers = [first.result(30), second.result(30)]

    assert [a.json()["backend"] for a in answers] == ["one", "two"]
    assert all(a.json()["query"] == "/transcribe?format=json" for a in answers)
    assert b"first take" in one.received[0] and b"second take" in two.received[0]
    # Nothing reached an instance while both were busy.
    assert len(one.received) + len(two.received) == 2
    wait_until(lambda: _busy(front) == [], 10, "both slots freed", None)
    stats = httpx.get(f"{front}/front/stats", timeout=5).json()
    assert stats["refused"] == 1
    assert stats["served"] == {one.url: 1, two.url: 1}


def test_a_finished_request_frees_its_instance_for_the_next(
    front: str, backends: tuple[HeldBackend, HeldBackend]
) -> None:
    one, two = backends
    one.release.set()

    for take in (b"a", b"b", b"c"):
        answer = _post(front, take)
        assert answer.status_code == 200
        assert answer.json()["backend"] == "one"

    assert len(one.received) == 3 and two.received == []
    assert httpx.get(f"{front}/health", timeout=5).json()["busy"] is False


def test_the_front_is_ready_once_an_instance_is(tmp_path: Path) -> None:
    gone = "http://127.0.0.1:9"  # discard port: nothing answers
    server: ServerProcess
    server, url = start_transcriber_front(tmp_path, [gone])
    try:
        assert httpx.get(f"{url}/ready", timeout=10).status_code == 503
    finally:
        server.stop()


def test_a_caller_hanging_up_drops_the_instance_request_and_frees_its_slot(
    front: str, backends: tuple[HeldBackend, HeldBackend]
) -> None:
    one, _ = backends
    host, port = urlsplit(front).hostname, urlsplit(front).port
    assert host is not None and port is not None
    with socket.create_connection((host, port)) as caller:
        caller.sendall(raw_transcribe_request(front, "s", "basic-pitch", b"a take"))
        wait_until(lambda: len(one.received) == 1, 10, "the request reaching one", None)
        assert _busy(front) == [one.url]

    assert one.hung_up.wait(10), "the instance never saw its caller leave"
    wait_until(lambda: _busy(front) == [], 10, "the slot freed", None)
