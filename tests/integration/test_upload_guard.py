"""Reflex's ``/_upload`` over a raw socket: oversized or anonymous uploads end in the first MBs."""

from __future__ import annotations

import select
import socket
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from keycraft.services.auth.sessions import SESSION_COOKIE
from keycraft.state.editor_io import MidiImportState
from keycraft.state.transcription import TranscriptionState
from tests.integration.auth_client import page_client, sign_up
from tests.support.app_server import RunningApp
from tests.support.processes import http_ok

MB = 1024 * 1024
CHUNK = b"\0" * (64 * 1024)
GIVE_UP_BYTES = 64 * MB
"""Stop pushing after this much: a server still reading by then did not refuse early."""

AUDIO_HANDLER = f"{TranscriptionState.get_full_name()}.receive_audio"
MIDI_HANDLER = f"{MidiImportState.get_full_name()}.import_midi"


def _session_cookie(app: RunningApp) -> str:
    with page_client(app) as client:
        assert sign_up(client, f"up-{uuid.uuid4().hex[:10]}@example.com").status_code == 303
        token = client.cookies.get(SESSION_COOKIE)
    assert token
    return f"{SESSION_COOKIE}={token}"


def _push(
    app: RunningApp, handler: str, announced: int | None, cookie: str = ""
) -> tuple[int, int]:
    """POST a multipart body of zeros; return (status, body bytes the server took).

    ``announced`` None sends the body chunked, without a length. Bytes are pushed until the
    server answers, closes, or ``GIVE_UP_BYTES`` were taken (then the status is 0).
    """
    parts = urlsplit(app.url)
    head = [
        "POST /_upload HTTP/1.1",
        f"Host: {parts.netloc}",
        f"Origin: {app.url}",
        f"Reflex-Client-Token: {uuid.uuid4()}",
        f"Reflex-Event-Handler: {handler}",
        "Content-Type: multipart/form-data; boundary=kcboundary",
    ]
    head += [f"Content-Length: {announced}"] if announced is not None else []
    head += ["Transfer-Encoding: chunked"] if announced is None else []
    head += [f"Cookie: {cookie}"] if cookie else []
    preamble = (
        b'--kcboundary\r\nContent-Disposition: form-data; name="files"; '
        b'filename="big.wav"\r\nContent-Type: audio/wav\r\n\r\n'
    )
    sent = 0
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        # A small send buffer, so "sent" is close to what the server has taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        piece = preamble
        while sent < GIVE_UP_BYTES:
            readable, _, _ = select.select([sock], [], [], 0)
            if readable:
                break
            frame = f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if announced is None else piece
            try:
                sock.sendall(frame)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += len(piece)
            piece = CHUNK
        else:
            return 0, sent
        try:
            first = sock.recv(4096)
        except ConnectionResetError:
            first = b""
    status = int(first.split(b" ", 2)[1]) if first.startswith(b"HTTP/1.1 ") else -1
    return status, sent


def _files_below(folder: Path) -> set[Path]:
    return {p for p in folder.rglob("*") if p.is_file()} if folder.exists() else set()


def test_a_2gb_upload_without_a_session_is_refused_before_10_mb(app: RunningApp) -> None:
    before = _files_below(app.data_dir)
    status, sent = _push(app, AUDIO_HANDLER, announced=2 * 1024 * MB)
    assert status == 413
    assert sent < 10 * MB
    assert _files_below(app.data_dir) - before == set()


def test_an_upload_without_a_session_is_refused_unread(app: RunningApp) -> None:
    status, _sent = _push(app, AUDIO_HANDLER, announced=2 * MB)
    assert status == 401


def test_a_chunked_upload_is_cut_off_at_the_limit(app: RunningApp) -> None:
    before = _files_below(app.data_dir)
    status, sent = _push(app, MIDI_HANDLER, announced=None, cookie=_session_cookie(app))
    assert status == 413
    # Cut off after 5 MB of MIDI plus the form's room. What the client pushed also counts
    # the server's socket receive buffer (Linux grows it to several MB on loopback).
    assert sent < 20 * MB
    assert _files_below(app.data_dir) - before == set()


def test_a_midi_import_gets_the_midi_limit(app: RunningApp) -> None:
    status, sent = _push(app, MIDI_HANDLER, announced=6 * MB, cookie=_session_cookie(app))
    assert status == 413
    assert sent < 6 * MB


def _send_raw(app: RunningApp, handler: str, body: bytes, cookie: str, boundary: str) -> int:
    """POST ``body`` as given (with an honest length); return the status code."""
    parts = urlsplit(app.url)
    head = "\r\n".join(
        [
            "POST /_upload HTTP/1.1",
            f"Host: {parts.netloc}",
            f"Reflex-Client-Token: {uuid.uuid4()}",
            f"Reflex-Event-Handler: {handler}",
            f"Content-Type: multipart/form-data; boundary={boundary}",
            f"Content-Length: {len(body)}",
            f"Cookie: {cookie}",
            "Connection: close",
        ]
    )
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head.encode() + b"\r\n\r\n" + body)
        first = sock.recv(4096)
    return int(first.split(b" ", 2)[1])


def _damaged_uploads() -> list[tuple[str, bytes]]:
    wav = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) * 4
    part = (
        b'--b\r\nContent-Disposition: form-data; name="files"; filename="take.wav"\r\n'
        b"Content-Type: audio/wav\r\n\r\n" + wav + b"\r\n--b--\r\n"
    )
    return [
        ("b", part),
        ("b", part[: len(part) // 2]),  # cut off mid-file
        ("b", part.replace(b"--b--", b"")),  # no closing boundary
        ("b", b"--b\r\nContent-Disposition: form-data\r\n\r\nxx\r\n--b--\r\n"),  # no file name
        ("b", b"garbage without any boundary"),
        ("b", part.replace(b'filename="take.wav"', b'filename="../../etc/x.wav"')),
        ("b", part.replace(b"take.wav", "é\u0000\u202e.wav".encode())),
        ("", part),  # empty boundary
        ("b" * 200, part),  # absurd boundary
    ]


def test_damaged_audio_uploads_never_fail_the_server_or_leave_partial_files(
    app: RunningApp,
) -> None:
    cookie = _session_cookie(app)
    before = _files_below(app.data_dir)
    statuses = [
        _send_raw(app, AUDIO_HANDLER, body, cookie, boundary)
        for boundary, body in _damaged_uploads()
    ]
    assert all(status < 500 for status in statuses), statuses
    leftovers = {p for p in _files_below(app.data_dir) - before if ".upload-" in p.name}
    assert leftovers == set()  # storage writes are all-or-nothing
    assert http_ok(f"{app.url}/api/health")
