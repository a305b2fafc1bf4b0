"""Fixtures every tier may use: real servers and the built app, each started once per run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.app_server import RunningApp, start_app
from tests.support.dynamodb_local import start_dynamodb_local
from tests.support.moto_s3 import start_moto_server
from tests.support.scale_out import ScaleOutApp, start_scale_out_app
from tests.support.stripe_api import StripeApiServer, billing_env


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tier last, keeping every other order.

    Playwright's sync API keeps an event loop running in the main thread until the session
    ends, so ``asyncio.run`` in any test collected after the first e2e test would fail.
    """
    items.sort(key=lambda item: "tests/e2e/" in str(item.fspath))


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
def stripe_api() -> Iterator[StripeApiServer]:
    """A local HTTP server answering the Stripe API calls the app makes."""
    server = StripeApiServer().start()
    try:
        yield server
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
def app_env(stripe_api: StripeApiServer) -> dict[str, str]:
    """Extra settings for the shared app; a feature that needs a server adds it here."""
    return {**billing_env(stripe_api)}


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, app_env: dict[str, str]) -> Iterator[RunningApp]:
    """The app, built and served in production mode on a free port, shared by the run."""
    running = start_app(tmp_path_factory.mktemp("app"), app_env)
    try:
        yield running
    finally:
        running.server.stop()


@pytest.fixture(scope="session")
def scale_out_app(
    tmp_path_factory: pytest.TempPathFactory, dynamodb_endpoint: str, s3_endpoint: str
) -> Iterator[ScaleOutApp]:
    """The app in scale-out mode (Redis state, 2 workers, DynamoDB Local, moto S3), built once."""
    running = start_scale_out_app(
        tmp_path_factory.mktemp("scale-out"), dynamodb_endpoint, s3_endpoint
    )
    try:
        yield running
    finally:
        running.stop()
