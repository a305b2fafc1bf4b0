"""API errors: each carries an HTTP status, a stable code and a human message."""

from __future__ import annotations


class ApiError(Exception):
    """An error reported to the client as JSON `{"error": code, "message": message}`."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, headers: dict[str, str] | None = None) -> None:
        """Store the human-readable message and optional extra response headers."""
        super().__init__(message)
        self.message = message
        self.headers = headers or {}


class BadParameter(ApiError):
    """A form field or query parameter is missing or invalid."""

    status = 400
    code = "bad_parameter"


class UnknownModel(ApiError):
    """The requested model does not exist or is not loaded."""

    status = 400
    code = "unknown_model"


class Unauthorized(ApiError):
    """The shared secret is missing or wrong."""

    status = 401
    code = "unauthorized"


class MetricsUnavailable(ApiError):
    """``/metrics`` of a secret-protected service without a metrics token configured."""

    status = 403
    code = "metrics_disabled"


class PayloadTooLarge(ApiError):
    """The request body exceeds the upload limit."""

    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(ApiError):
    """The upload is not audio in a format the service can decode."""

    status = 415
    code = "unsupported_media_type"


class Unprocessable(ApiError):
    """The upload is audio but unusable (corrupt, empty or too long)."""

    status = 422
    code = "unprocessable_audio"


class RecordingTooLong(Unprocessable):
    """The recording is longer than the configured maximum; callers may offer to trim it."""

    code = "too_long"


class Busy(ApiError):
    """Another transcription is running on this instance."""

    status = 429
    code = "busy"


class NotReady(ApiError):
    """Models are still loading."""

    status = 503
    code = "not_ready"


class TimedOut(ApiError):
    """The transcription exceeded its time budget."""

    status = 504
    code = "timeout"
