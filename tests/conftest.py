"""Fixtures every tier may use: the DynamoDB Local server is started once per run."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

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
