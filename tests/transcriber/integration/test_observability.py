"""Request ids, JSON log lines and the Prometheus endpoint of the transcription service."""

from __future__ import annotations

import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import soundfile as sf
from flask import Flask
from flask.testing import FlaskClient
from prometheus_client.parser import text_string_to_metric_families
from werkzeug.test import TestResponse

from transcriber.service import state

HEX_ID = re.compile(r"[0-9a-f]{32}")


def _post(client: FlaskClient, audio: bytes, headers: dict[str, str] | None = None) -> TestResponse:
    data = {"audio": (io.BytesIO(audio), "upload.wav")}
    return client.post("/transcribe?format=json", data=data, headers=headers or {})


def _sample(client: FlaskClient, name: str, **labels: str) -> float:
    response = client.get("/metrics")
    assert response.status_code == 200
    return sum(
        sample.value
        for family in text_string_to_metric_families(response.get_data(as_text=True))
        for sample in family.samples
        if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items())
    )


def _json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_a_sane_request_id_is_kept_and_anything_else_replaced(
    make_app: Callable[..., Flask],
) -> None:
    client = make_app().test_client()
    kept = client.get("/health", headers={"X-Request-ID": "app-7f3e.job_42"})
    assert kept.headers["X-Request-ID"] == "app-7f3e.job_42"
    for unsafe in ("two words", "x" * 129, '"}{"level":"forged', "id\u00e9"):
        replaced = client.get("/health", headers={"X-Request-ID": unsafe})
        assert HEX_ID.fullmatch(replaced.headers["X-Request-ID"]), unsafe
    first = client.get("/health").headers["X-Request-ID"]
    second = client.get("/health").headers["X-Request-ID"]
    assert HEX_ID.fullmatch(first) and first != second
    # Error answers carry the id too.
    assert (
        client.get("/no-such-page", headers={"X-Request-ID": "r-404"}).headers["X-Request-ID"]
        == "r-404"
    )


def test_each_request_and_transcription_is_one_json_line_with_the_request_id(
    make_app: Callable[..., Flask], chord_wav: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    client = make_app().test_client()
    capsys.readouterr()
    response = _post(client, chord_wav.read_bytes(), {"X-Request-ID": "job-0001"})
    assert response.status_code == 200
    entries = _json_lines(capsys.readouterr().out)
    assert [e["event"] for e in entries] == ["transcription", "request"]
    transcription, request_line = entries
    assert transcription["request_id"] == request_line["request_id"] == "job-0001"
    assert request_line["method"] == "POST" and request_line["path"] == "/transcribe"
    assert request_line["status"] == 200
    assert isinstance(request_line["duration_ms"], float) and request_line["duration_ms"] > 0
    assert transcription["model"] == "basic-pitch" and transcription["outcome"] == "ok"
    assert transcription["audio_s"] == pytest.approx(sf.info(chord_wav).duration, abs=1e-3)
    assert transcription["notes"] == len(response.get_json()["notes"])
    assert str(transcription["time"]).endswith("+00:00")

    _post(client, b"not audio at all", {"X-Request-ID": "job-0002"})
    failed, refused = _json_lines(capsys.readouterr().out)
    assert (failed["event"], failed["outcome"], failed["request_id"]) == (
        "transcription",
        "unsupported_media_type",
        "job-0002",
    )
    assert (refused["status"], refused["error"], refused["request_id"]) == (
        415,
        "unsupported_media_type",
        "job-0002",
    )


def test_metrics_count_requests_transcriptions_audio_busy_and_errors(
    make_app: Callable[..., Flask], chord_wav: Path
) -> None:
    app = make_app()
    client = app.test_client()
    ok_labels = {"route": "/transcribe", "method": "POST", "status": "200"}
    model = {"model": "basic-pitch"}
    before = {
        "ok": _sample(client, "transcriber_http_requests_total", **ok_labels),
        "timed": _sample(client, "transcriber_transcription_seconds_count", **model),
        "audio": _sample(client, "transcriber_audio_seconds_total", **model),
        "busy": _sample(client, "transcriber_busy_rejections_total"),
        "busy_errors": _sample(client, "transcriber_errors_total", kind="busy"),
        "bad_audio": _sample(client, "transcriber_errors_total", kind="unsupported_media_type"),
        "failed": _sample(
            client, "transcriber_transcriptions_total", outcome="unsupported_media_type", **model
        ),
        "latency": _sample(
            client, "transcriber_http_request_duration_seconds_count", route="/transcribe"
        ),
    }

    assert _post(client, chord_wav.read_bytes()).status_code == 200
    lock = state(app).busy
    assert lock.acquire(blocking=False)
    try:
        assert _post(client, chord_wav.read_bytes()).status_code == 429
    finally:
        lock.release()
    assert _post(client, b"not audio at all").status_code == 415

    duration_s = sf.info(chord_wav).duration
    assert _sample(client, "transcriber_http_requests_total", **ok_labels) == before["ok"] + 1
    assert (
        _sample(client, "transcriber_transcription_seconds_count", **model) == before["timed"] + 2
    )
    assert _sample(client, "transcriber_audio_seconds_total", **model) == pytest.approx(
        before["audio"] + duration_s, abs=1e-3
    )
    assert _sample(client, "transcriber_busy_rejections_total") == before["busy"] + 1
    assert _sample(client, "transcriber_errors_total", kind="busy") == before["busy_errors"] + 1
    assert (
        _sample(client, "transcriber_errors_total", kind="unsupported_media_type")
        == before["bad_audio"] + 1
    )
    assert (
        _sample(
            client, "transcriber_transcriptions_total", outcome="unsupported_media_type", **model
        )
        == before["failed"] + 1
    )
    assert (
        _sample(client, "transcriber_http_request_duration_seconds_count", route="/transcribe")
        == before["latency"] + 3
    )
    # Unknown paths share one label, so scanners cannot grow the label set.
    client.get("/wp-login.php")
    assert _sample(client, "transcriber_http_requests_total", route="unmatched", status="404") >= 1
    assert _sample(client, "transcriber_http_requests_total", route="/wp-login.php") == 0


def test_metrics_need_their_own_token_once_the_service_has_a_secret(
    make_app: Callable[..., Flask],
) -> None:
    open_client = make_app().test_client()
    assert open_client.get("/metrics").status_code == 200

    disabled = make_app(SECRET="transcribe-secret").test_client()
    refused = disabled.get("/metrics", headers={"X-Transcription-Secret": "transcribe-secret"})
    assert refused.status_code == 403
    assert refused.get_json()["error"] == "metrics_disabled"

    guarded = make_app(SECRET="transcribe-secret", METRICS_TOKEN="scrape-token").test_client()
    assert guarded.get("/metrics").status_code == 401
    wrong = guarded.get("/metrics", headers={"Authorization": "Bearer transcribe-secret"})
    assert wrong.status_code == 401 and wrong.headers["WWW-Authenticate"] == "Bearer"
    good = guarded.get("/metrics", headers={"Authorization": "Bearer scrape-token"})
    assert good.status_code == 200
    assert good.headers["Cache-Control"] == "no-store"
    assert "transcriber_http_requests_total" in good.get_data(as_text=True)
    # The token only reads metrics; it does not let anyone transcribe.
    assert _post(guarded, b"x", {"Authorization": "Bearer scrape-token"}).status_code == 401
