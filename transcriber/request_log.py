"""One structured JSON log line per request, on stdout, with a bounded size."""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

LOGGER_NAME = "transcriber.requests"


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


def log_request(logger: logging.Logger, **fields: Any) -> None:
    """Write one JSON object with the request's metadata (never audio content)."""
    logger.info(json.dumps(fields, default=str, separators=(",", ":")))
