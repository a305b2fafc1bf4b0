"""Telling a departed client from a waiting one, and ending its request without an answer."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import pytest

from transcriber.client_connection import (
    CLIENT_GONE_ENVIRON_KEY,
    SOCKET_ENVIRON_KEY,
    DropResponseIfClientGone,
    client_gone_probe,
    peer_closed,
)
from transcriber.runtime import ClientGone, Deadline, DeadlineExceeded


@pytest.fixture
def connection() -> Iterator[tuple[socket.socket, socket.socket]]:
    """A connected pair: the server's end (blocking, as gunicorn leaves it) and the client's."""
    server_end, client_end = socket.socketpair()
    server_end.setblocking(True)
    yield server_end, client_end
    server_end.close()
    client_end.close()


def test_a_waiting_client_is_not_gone(connection: tuple[socket.socket, socket.socket]) -> None:
    server_end, _ = connection
    assert peer_closed(server_end) is False  # returns at once although the socket blocks


def test_bytes_from_the_client_count_as_alive_and_stay_unread(
    connection: tuple[socket.socket, socket.socket],
) -> None:
    server_end, client_end = connection
    client_end.sendall(b"GET /next HTTP/1.1\r\n")
    assert peer_closed(server_end) is False
    assert server_end.recv(64) == b"GET /next HTTP/1.1\r\n"


def test_a_closed_client_is_gone(connection: tuple[socket.socket, socket.socket]) -> None:
    server_end, client_end = connection
    client_end.close()
    assert peer_closed(server_end) is True


def test_a_socket_with_a_timeout_is_probed_without_waiting(
    connection: tuple[socket.socket, socket.socket],
) -> None:
    server_end, client_end = connection
    server_end.settimeout(30)
    assert peer_closed(server_end) is False
    client_end.shutdown(socket.SHUT_WR)
    assert peer_closed(server_end) is True


def test_a_reset_connection_is_gone() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    client = socket.create_connection(listener.getsockname())
    accepted, _ = listener.accept()
    # Linger 0 makes close() send a reset instead of an orderly end of stream.
    client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    client.close()
    try:
        assert peer_closed(accepted) is True
    finally:
        accepted.close()
        listener.close()


def test_without_a_server_socket_there_is_no_probe() -> None:
    assert client_gone_probe({}) is None
    assert client_gone_probe({SOCKET_ENVIRON_KEY: "not a socket"}) is None


def test_the_probe_follows_the_request_socket(
    connection: tuple[socket.socket, socket.socket],
) -> None:
    server_end, client_end = connection
    probe = client_gone_probe({SOCKET_ENVIRON_KEY: server_end})
    assert probe is not None
    assert probe() is False
    client_end.close()
    assert probe() is True


def test_the_deadline_stops_work_once_the_client_is_gone() -> None:
    gone = False
    deadline = Deadline(60, client_gone=lambda: gone)
    deadline.check()
    gone = True
    with pytest.raises(ClientGone):
        deadline.check()


def test_an_expired_budget_is_reported_before_a_departed_client() -> None:
    deadline = Deadline(0, client_gone=lambda: True)
    with pytest.raises(DeadlineExceeded):
        deadline.check()


def _app(flag: bool, closed: list[bool]) -> Callable[..., Iterable[bytes]]:
    class Body(list[bytes]):
        def close(self) -> None:
            closed.append(True)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        start_response("200 OK", [("Content-Type", "text/plain")])
        if flag:
            environ[CLIENT_GONE_ENVIRON_KEY] = True
        return Body([b"answer"])

    return app


def test_an_answered_request_passes_through_the_middleware() -> None:
    closed: list[bool] = []
    body = DropResponseIfClientGone(_app(False, closed))({}, lambda *args: None)
    assert list(body) == [b"answer"]
    assert closed == []


def test_an_abandoned_request_ends_as_a_connection_reset_without_its_body() -> None:
    closed: list[bool] = []
    with pytest.raises(ConnectionResetError):
        DropResponseIfClientGone(_app(True, closed))({}, lambda *args: None)
    assert closed == [True]
