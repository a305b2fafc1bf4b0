"""Flask application factory for the transcription service."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, Response, g, jsonify
from werkzeug.exceptions import HTTPException

from transcriber.api.routes import bp
from transcriber.client_connection import DropResponseIfClientGone
from transcriber.config import load_settings
from transcriber.errors import ApiError
from transcriber.models.registry import get_model
from transcriber.observability import register_observability
from transcriber.request_log import configure
from transcriber.runtime import apply_thread_cap
from transcriber.service import EXTENSION_KEY, ServiceState, state

_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Create the service: read settings, load and warm the models, register routes.

    Args:
        test_config: Settings overriding the `TRANSCRIBER_*` environment, keyed by name with
            or without the prefix (e.g. {"MODELS": ("basic-pitch",), "TIMEOUT_S": 5}).

    Returns:
        The Flask app; `/ready` reports true once this returns.
    """
    settings = load_settings(overrides=test_config)
    apply_thread_cap(settings.THREADS)
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    # Keep whole uploads in temporary files rather than memory once they exceed 1 MiB.
    app.config["MAX_FORM_MEMORY_SIZE"] = 1024 * 1024
    app.config["TESTING"] = bool(test_config)
    svc = ServiceState(settings=settings, models={}, logger=configure(settings.LOG_MAX_CHARS))
    app.extensions[EXTENSION_KEY] = svc
    app.register_blueprint(bp)
    _register_error_handlers(app)
    register_observability(app)
    # Abandoned requests end without a response; see `transcriber.client_connection`.
    app.wsgi_app = DropResponseIfClientGone(app.wsgi_app)  # type: ignore[method-assign]
    for name in settings.MODELS:
        svc.models[name] = get_model(name, warm_up=settings.WARM_UP)
    svc.ready = True
    return app


def _error_response(status: int, code: str, message: str) -> Response:
    response = jsonify(error=code, message=message)
    response.status_code = status
    return response


def _register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def api_error(exc: ApiError) -> Response:
        g.error = exc.code
        response = _error_response(exc.status, exc.code, exc.message)
        response.headers.update(exc.headers)
        return response

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code = _HTTP_CODES.get(status, "http_error")
        g.error = code
        if status == 413:
            limit = state().settings.MAX_UPLOAD_MB
            message = f"The upload exceeds the {limit:g} MB limit."
        else:
            message = exc.description or exc.name
        return _error_response(status, code, message)

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        app.logger.exception("unhandled error")
        g.error = "internal_error"
        return _error_response(500, "internal_error", "The server failed to process the request.")
