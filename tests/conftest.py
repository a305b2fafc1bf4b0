"""Fixtures every tier may use: real servers and the built app, each started once per run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.app_server import RunningApp, start_app
from tests.support.auth_services import (
    AUTH_TEST_SETTINGS,
    OidcConfig,
    SmtpSink,
    new_oidc_config,
    start_oidc_provider,
)
from tests.support.dynamodb_local import start_dynamodb_local


@pytest.fixture(scope="session")
def dynamodb_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Endpoint URL of a real DynamoDB Local started for this test run."""
    log = tmp_path_factory.mktemp("dynamodb-local") / "server.log"
    server, endpoint = start_dynamodb_local(log)
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture(scope="session")
def smtp_sink() -> Iterator[SmtpSink]:
    """An aiosmtpd server collecting the app's email (sign-in links)."""
    sink = SmtpSink()
    sink.start()
    try:
        yield sink
    finally:
        sink.stop()


@pytest.fixture(scope="session")
def oidc_config() -> OidcConfig:
    """Port and client secret of the local OpenID provider (started by ``oidc_provider``)."""
    return new_oidc_config()


@pytest.fixture(scope="session")
def oidc_provider(
    app: RunningApp, oidc_config: OidcConfig, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[OidcConfig]:
    """The local OpenID provider, started once the app's redirect URI (its port) is known."""
    redirect_uri = f"{app.env['APP_URL']}/api/auth/oauth/oidc/callback"
    log = tmp_path_factory.mktemp("oidc") / "provider.log"
    server = start_oidc_provider(oidc_config, redirect_uri, log)
    try:
        yield oidc_config
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_env(smtp_sink: SmtpSink, oidc_config: OidcConfig) -> dict[str, str]:
    """Extra settings for the shared app; a feature that needs a server adds it here."""
    return {**smtp_sink.settings(), **oidc_config.settings(), **AUTH_TEST_SETTINGS}


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, app_env: dict[str, str]) -> Iterator[RunningApp]:
    """The app, built and served in production mode on a free port, shared by the run."""
    running = start_app(tmp_path_factory.mktemp("app"), app_env)
    try:
        yield running
    finally:
        running.server.stop()
