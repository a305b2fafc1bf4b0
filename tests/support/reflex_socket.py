"""A minimal Socket.IO client for Reflex's ``/_event`` socket, as a browser tab would use it.

It speaks Engine.IO 4 / Socket.IO 5 over a real WebSocket (``simple-websocket``), sends
events by their full handler names and collects the state deltas the server pushes.
"""

from __future__ import annotations

import contextlib
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from simple_websocket import Client, ConnectionClosed

NAMESPACE = "/_event"
"""Reflex registers its event handlers under this Socket.IO namespace (and path)."""


@dataclass
class ReflexSocket:
    """One connection: a client token, the cookie sent at the handshake, received updates."""

    url: str
    cookie: str = ""
    token: str = field(default_factory=lambda: str(uuid.uuid4()))
    updates: list[dict[str, Any]] = field(default_factory=list)
    _ws: Client | None = None

    def __enter__(self) -> ReflexSocket:
        parts = urlsplit(self.url)
        ws_url = f"ws://{parts.netloc}/_event/?EIO=4&transport=websocket&token={self.token}"
        headers = {"Origin": self.url, **({"Cookie": self.cookie} if self.cookie else {})}
        # simple-websocket now and then loses the frame that arrives with the handshake
        # answer; such a connection never hears back, so it is replaced.
        for _ in range(5):
            self._ws = Client.connect(ws_url, headers=headers)
            self._ws.send(f"40{NAMESPACE},")
            try:
                self._wait_for(lambda m: m.startswith(f"40{NAMESPACE},"), 3)
            except AssertionError:
                self._ws.close()
                continue
            return self
        raise AssertionError("the event socket never answered")

    def __exit__(self, *exc: object) -> None:
        if self._ws is not None:
            self._ws.close()

    def _wait_for(self, match: Any, timeout_s: float) -> str:
        assert self._ws is not None
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                message = self._ws.receive(timeout=max(0.05, deadline - time.monotonic()))
            except ConnectionClosed:
                break
            if message is None:
                continue
            text = message if isinstance(message, str) else message.decode()
            if text == "2":  # Engine.IO ping
                self._ws.send("3")
                continue
            if text.startswith(f"42{NAMESPACE},"):
                name, *args = json.loads(text[len(NAMESPACE) + 3 :])
                if name == "event" and args:
                    update = args[0] if isinstance(args[0], dict) else json.loads(args[0])
                    self.updates.append(update)
            if match(text):
                return text
        raise AssertionError(f"no matching message within {timeout_s}s")

    def send(self, handler: str, path: str, **payload: Any) -> None:
        """Emit one event (``<state full name>.<handler>``) as if from page ``path``."""
        assert self._ws is not None
        event = {
            "name": handler,
            "payload": payload,
            "router_data": {"pathname": path, "asPath": path},
        }
        self._ws.send(f"42{NAMESPACE}," + json.dumps(["event", event]))

    def wait_for_update(self, check: Any, timeout_s: float = 15) -> dict[str, Any]:
        """Wait until an update for which ``check(update)`` is true arrives; return it."""
        seen = len(self.updates)
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for update in self.updates[seen:]:
                if check(update):
                    return update
            seen = len(self.updates)
            try:
                remaining = max(0.05, deadline - time.monotonic())
                self._wait_for(lambda m: m.startswith("42"), remaining)
            except AssertionError:
                break
        raise AssertionError(f"no such update within {timeout_s}s; got {self.updates[-3:]}")

    def collect(self, window_s: float) -> list[dict[str, Any]]:
        """Every update that arrives within ``window_s`` seconds."""
        start = len(self.updates)
        with contextlib.suppress(AssertionError):
            self._wait_for(lambda m: False, window_s)
        return self.updates[start:]
