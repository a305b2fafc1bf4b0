"""Fixtures every tier may use: real servers and the built app, each started once per run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.app_server import RunningApp, start_app
from tests.support.contract_transcriber import ContractTranscriber, running_contract_transcriber
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
def contract_transcriber() -> Iterator[ContractTranscriber]:
    """A server speaking the transcriber's HTTP contract (stands in for the real service)."""
    with running_contract_transcriber() as control:
        yield control


@pytest.fixture(scope="session")
def app_env(contract_transcriber: ContractTranscriber) -> dict[str, str]:
    """Extra settings for the shared app; a feature that needs a server adds it here."""
    return {
        "TRANSCRIBER_URL": contract_transcriber.url,
        "TRANSCRIBER_SECRET": contract_transcriber.secret,
    }


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory, app_env: dict[str, str]) -> Iterator[RunningApp]:
    """The app, built and served in production mode on a free port, shared by the run."""
    running = start_app(tmp_path_factory.mktemp("app"), app_env)
    try:
        yield running
    finally:
        running.server.stop()
