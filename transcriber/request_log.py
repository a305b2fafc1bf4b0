"""Structured JSON log lines on stdout (one per request, one per transcription), bounded in size.

Every line is one JSON object with ``time``, ``event`` and, inside a request, ``request_id``;
the same id is echoed in the ``X-Request-ID`` response header, so a caller's logs and ours
line up.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import g, has_request_context

LOGGER_NAME = "transcriber.requests"
REQUEST_ID_HEADER = "X-Request-ID"
REQUEST_EVENT = "request"
TRANSCRIPTION_EVENT = "transcription"

# What we accept from a caller: the characters of uuids, hex and common tracing ids, bounded
# so a hostile header cannot bloat or break our log lines.
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


def request_id_from(header_value: str | None) -> str:
    """Keep a caller's sane ``X-Request-ID``; otherwise (absent or unsafe) make a new one."""
    if header_value and _VALID_REQUEST_ID.fullmatch(header_value):
        return header_value
    return uuid.uuid4().hex


class _CappedFormatter(logging.Formatter):
    """Format the record's message and truncate it to a maximum length."""

    def __init__(self, max_chars: int) -> None:
        super().__init__()
        self.max_chars = max_chars

    def format(self, record: logging.LogRecord) -> str:
        line = record.getMessage().replace("\n", " ")
        if len(line) > self.max_chars:
            line = line[: self.max_chars - 3] + "..."
        return line


def configure(max_chars: int) -> logging.Logger:
    """Return the request logger, writing capped single lines to stdout."""
    logger = logging.getLogger(LOGGER_NAME)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(_CappedFormatter(max_chars))
    logger.addHandler(handler)
    return logger


def log_event(logger: logging.Logger, event: str, **fields: Any) -> None:
    """Write one JSON object: time, event, the current request's id, then ``fields``.

    Only metadata goes here (never audio content or secrets).
    """
    entry: dict[str, Any] = {
        "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
        "event": event,
    }
    if has_request_context() and "request_id" in g:
        entry["request_id"] = g.request_id
    entry.update(fields)
    logger.info(json.dumps(entry, default=str, separators=(",", ":")))
