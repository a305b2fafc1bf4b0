"""Whether the HTTP client is still waiting for its answer, and dropping answers nobody awaits.

gunicorn puts the client's socket in the WSGI environ (``gunicorn.socket``). Once the request
body has been read, an HTTP/1.1 client sends nothing more until it has its response, so a
socket that turns readable and yields end-of-file when peeked at means the client hung up
(the app cancelled, a proxy timed out). Servers without that key (Flask's test client, the
development server) are never treated as disconnected.
"""

from __future__ import annotations

import errno
import select
import socket
import ssl
from collections.abc import Callable, Iterable, Mapping
from typing import Any

SOCKET_ENVIRON_KEY = "gunicorn.socket"
CLIENT_GONE_ENVIRON_KEY = "transcriber.client_gone"
"""Set on a request's environ when its client left; the response is then not written."""

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def peer_closed(sock: socket.socket) -> bool:
    """Return whether the other end of ``sock`` has closed or reset the connection.

    Never blocks and never consumes bytes: it polls with a zero timeout, then peeks.
    Pipelined bytes of a next request count as a live client; anything unexpected (an
    encrypted socket, an unknown error) too, so a doubtful check never aborts work.
    """
    if isinstance(sock, ssl.SSLSocket):
        return False  # peeking would read TLS records, not the HTTP stream
    try:
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        if not poller.poll(0):
            return False
        # MSG_DONTWAIT: even a socket in blocking mode must not wait here.
        return sock.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
    except (ConnectionResetError, BrokenPipeError):
        return True
    except (OSError, ValueError):
        return False


def client_gone_probe(environ: Mapping[str, Any]) -> Callable[[], bool] | None:
    """A cheap check of the request's client connection; None when the server gives no socket."""
    sock = environ.get(SOCKET_ENVIRON_KEY)
    if not isinstance(sock, socket.socket):
        return None
    return lambda: peer_closed(sock)


class DropResponseIfClientGone:
    """WSGI middleware: a request flagged as abandoned ends without writing a response.

    The view still returns normally (so the request is logged and counted); this wrapper
    then raises ``ConnectionResetError`` instead of handing the response to the server,
    which gunicorn treats as the client's reset: it closes the socket and carries on.
    """

    def __init__(self, app: WsgiApp) -> None:
        """Wrap ``app`` (the Flask app's ``wsgi_app``)."""
        self.app = app

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        """Run the app; drop its response if the request's client went away."""
        body = self.app(environ, start_response)
        if environ.get(CLIENT_GONE_ENVIRON_KEY):
            close = getattr(body, "close", None)
            if close is not None:
                close()
            raise ConnectionResetError(errno.ECONNRESET, "the client closed the connection")
        return body
