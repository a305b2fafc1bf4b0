"""Request ids, request metrics, JSON logs and ``GET /metrics``."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from keycraft.api import build_api
from keycraft.config import Settings
from keycraft.services.container import build_services, override_services
from keycraft.services.logs import JsonFormatter, configure_logging, request_id_var
from keycraft.services.metrics import (
    QUOTA_DENIALS,
    WEBHOOK_EVENTS,
    WEBHOOK_LOG_MESSAGE,
    record_webhook_outcome,
)


def _client(tmp_path: Path, **settings: str) -> Iterator[TestClient]:
    override_services(build_services(Settings(MEDIA_DIR=tmp_path, **settings)))  # type: ignore[arg-type]
    with TestClient(build_api()) as client:
        yield client
    override_services(None)


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    yield from _client(tmp_path)


def _sample(text: str, name: str, labels: dict[str, str]) -> float:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and all(sample.labels.get(k) == v for k, v in labels.items()):
                return float(sample.value)
    return 0.0


def test_every_response_gets_a_fresh_request_id(client: TestClient) -> None:
    first = client.get("/api/media/bad").headers["x-request-id"]
    second = client.get("/api/media/bad").headers["x-request-id"]
    assert len(first) == 32 and first != second


def test_a_sane_incoming_request_id_is_kept_and_junk_is_replaced(client: TestClient) -> None:
    kept = client.get("/api/media/bad", headers={"X-Request-ID": "lb-1234.abc_DEF"})
    assert kept.headers["x-request-id"] == "lb-1234.abc_DEF"
    junk = client.get("/api/media/bad", headers={"X-Request-ID": "x" * 200})
    assert junk.headers["x-request-id"] != "x" * 200


def test_metrics_count_requests_by_route_template_and_status(client: TestClient) -> None:
    labels = {"route": "/api/media/{token}", "method": "GET", "status": "403"}
    before = _sample(client.get("/metrics").text, "keycraft_http_requests_total", labels)
    client.get("/api/media/one-token")
    client.get("/api/media/another-token")
    after = client.get("/metrics")
    assert after.status_code == 200
    assert after.headers["content-type"].startswith("text/plain")
    assert _sample(after.text, "keycraft_http_requests_total", labels) == before + 2
    count = _sample(
        after.text,
        "keycraft_http_request_duration_seconds_count",
        {"route": "/api/media/{token}", "method": "GET"},
    )
    assert count >= 2


def test_metrics_expose_the_business_counters(client: TestClient) -> None:
    QUOTA_DENIALS.labels("free").inc()
    WEBHOOK_EVENTS.labels("failed").inc()
    text = client.get("/metrics").text
    assert _sample(text, "keycraft_quota_denials_total", {"plan": "free"}) >= 1
    assert _sample(text, "keycraft_webhook_events_total", {"outcome": "failed"}) >= 1
    assert "# TYPE keycraft_transcription_seconds histogram" in text


def test_metrics_token_guards_the_endpoint(tmp_path: Path) -> None:
    for client in _client(tmp_path, METRICS_TOKEN="scrape-secret"):
        assert client.get("/metrics").status_code == 401
        wrong = {"Authorization": "Bearer nope"}
        assert client.get("/metrics", headers=wrong).status_code == 401
        right = {"Authorization": "Bearer scrape-secret"}
        assert client.get("/metrics", headers=right).status_code == 200


def test_json_log_lines_carry_the_request_id_and_extras() -> None:
    record = logging.LogRecord("keycraft.x", logging.INFO, __file__, 1, "saved %s", ("p1",), None)
    record.project_id = "p1"
    token = request_id_var.set("req-42")
    try:
        line = JsonFormatter().format(record)
    finally:
        request_id_var.reset(token)
    entry = json.loads(line)
    assert entry["message"] == "saved p1"
    assert entry["level"] == "INFO"
    assert entry["logger"] == "keycraft.x"
    assert entry["request_id"] == "req-42"
    assert entry["project_id"] == "p1"
    assert entry["time"].endswith("+00:00")


def test_request_logs_are_json_with_the_same_id_as_the_response(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = io.StringIO()
    monkeypatch.setattr("sys.stderr", stream)
    configure_logging("INFO", json_format=True)
    try:
        response = client.get("/api/media/bad")
    finally:
        # Undo the app-wide setup so later tests' log capture sees keycraft records again.
        logger = logging.getLogger("keycraft")
        logger.handlers = []
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    entries = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_log = next(e for e in entries if e["message"] == "request")
    assert request_log["request_id"] == response.headers["x-request-id"]
    assert request_log["route"] == "/api/media/{token}"
    assert request_log["status"] == 403


def test_webhook_outcomes_are_counted_and_logged_for_the_cloudwatch_filter(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    before = _sample(
        client.get("/metrics").text, "keycraft_webhook_events_total", {"outcome": "failed"}
    )
    with caplog.at_level(logging.INFO, logger="keycraft.webhooks"):
        record_webhook_outcome("failed", "invoice.paid")
    after = _sample(
        client.get("/metrics").text, "keycraft_webhook_events_total", {"outcome": "failed"}
    )
    assert after == before + 1
    (record,) = [r for r in caplog.records if r.name == "keycraft.webhooks"]
    assert record.getMessage() == WEBHOOK_LOG_MESSAGE
    assert record.levelno == logging.ERROR
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["outcome"], entry["event_type"]) == ("failed", "invoice.paid")
    with pytest.raises(ValueError):
        record_webhook_outcome("exploded")
