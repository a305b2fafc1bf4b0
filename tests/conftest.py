"""Fixtures every tier may use: real servers and the built app, each started once per run."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.api_server import start_api
from tests.support.app_server import RunningApp, start_app
from tests.support.auth_services import (
    AUTH_TEST_SETTINGS,
    OidcConfig,
    SmtpSink,
    new_oidc_config,
    start_oidc_provider,
)
from tests.support.dynamodb_local import start_dynamodb_local
from tests.support.moto_s3 import start_moto_server
from tests.support.scale_out import ScaleOutApp, start_scale_out_app
from tests.support.stripe_api import StripeApiServer, billing_env
from tests.support.transcriber_server import (
    MAX_DURATION_S,
    RealTranscriber,
    launch_transcriber,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tier last, keeping every other order.

    Playwright's sync API keeps an event loop running in the main thread until the session
    ends, so ``asyncio.run`` in any test collected after the first e2e test would fail.
    """
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath))


EARLY_TRANSCRIBER = pytest.StashKey[RealTranscriber]()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start the transcriber as soon as the run is known to need it.

    Its models take 20-70 s to load on two cores; started here, they load while the earlier
    tiers run, and the first test that sends audio rarely waits.
    """
    if any("transcriber_process" in getattr(i, "fixturenames", ()) for i in session.items):
        log = Path(tempfile.mkdtemp(prefix="keycraft-transcriber-")) / "server.log"
        session.config.stash[EARLY_TRANSCRIBER] = launch_transcriber(log)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Stop the transcriber started at collection (also when its fixture never ran).

    Its log is kept when the run failed, for the failure's context.
    """
    early = session.config.stash.get(EARLY_TRANSCRIBER, None)
    if early is not None:
        early.stop()
        if exitstatus == 0:
            shutil.rmtree(early.server.log.parent, ignore_errors=True)


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
def transcriber_process(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RealTranscriber]:
    """The real transcription service, started but maybe still loading its models.

    The app only needs its URL; depending on this instead of ``transcriber`` lets the
    models load while the app builds.
    """
    server = request.config.stash.get(EARLY_TRANSCRIBER, None)
    if server is None:  # e.g. a run that requests the fixture only dynamically
        server = launch_transcriber(tmp_path_factory.mktemp("transcriber") / "server.log")
        request.config.stash[EARLY_TRANSCRIBER] = server
    yield server


@pytest.fixture(scope="session")
def transcriber(transcriber_process: RealTranscriber) -> RealTranscriber:
    """The real transcription service with both models loaded (waits for ``/ready``)."""
    transcriber_process.wait_ready()
    return transcriber_process


@pytest.fixture(scope="session")
def stripe_api() -> Iterator[StripeApiServer]:
    """A local HTTP server answering the Stripe API calls the app makes."""
    server = StripeApiServer().start()
    try:
        yield server
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
def s3_endpoint(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Endpoint URL of moto's S3 server started for this test run."""
    log = tmp_path_factory.mktemp("moto-s3") / "server.log"
    server, endpoint = start_moto_server(log)
    try:
        yield endpoint
    finally:
        server.stop()


@pytest.fixture(scope="session")
def app_env(
    stripe_api: StripeApiServer,
    smtp_sink: SmtpSink,
    oidc_config: OidcConfig,
    transcriber_process: RealTranscriber,
) -> dict[str, str]:
    """Extra settings for the shared app; a feature that needs a server adds it here."""
    return {
        "TRANSCRIBER_URL": transcriber_process.url,
        "TRANSCRIBER_SECRET": transcriber_process.secret,
        "TRANSCRIBER_MAX_DURATION_S": f"{MAX_DURATION_S:g}",
        **billing_env(stripe_api),
        **smtp_sink.settings(),
        **oidc_config.settings(),
        **AUTH_TEST_SETTINGS,
    }


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, app_env: dict[str, str]) -> Iterator[RunningApp]:
    """The app, built and served in production mode on a free port, shared by the run."""
    running = start_app(tmp_path_factory.mktemp("app"), app_env)
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def scale_out_app(
    tmp_path_factory: pytest.TempPathFactory,
    dynamodb_endpoint: str,
    s3_endpoint: str,
    transcriber_process: RealTranscriber,
) -> Iterator[ScaleOutApp]:
    """The app in scale-out mode (Redis state, 2 workers, DynamoDB Local, moto S3), built once.

    It reaches the run's real transcriber with its shared secret, as a remote service.
    """
    running = start_scale_out_app(
        tmp_path_factory.mktemp("scale-out"), dynamodb_endpoint, s3_endpoint, transcriber_process
    )
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture(scope="session")
def dynamodb_app(
    tmp_path_factory: pytest.TempPathFactory, dynamodb_endpoint: str, stripe_api: StripeApiServer
) -> Iterator[RunningApp]:
    """The app's API on DynamoDB Local (same routes the full app mounts)."""
    running = start_api(
        tmp_path_factory.mktemp("api-dynamodb"),
        {
            "REPOSITORY": "dynamodb",
            "DYNAMODB_ENDPOINT_URL": dynamodb_endpoint,
            "DYNAMODB_TABLE": f"api-{uuid.uuid4().hex[:8]}",
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            **billing_env(stripe_api),
        },
    )
    try:
        yield running
    finally:
        running.server.stop()
