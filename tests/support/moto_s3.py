"""moto's S3 server (PyPI ``moto[server]``) on a free loopback port, and clients for it."""

from __future__ import annotations

import sys
import uuid
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config

from tests.support.processes import ServerProcess, free_port, http_ok

MOTO_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
"""moto accepts any credentials; the app reads these from its environment."""


def start_moto_server(log: Path) -> tuple[ServerProcess, str]:
    """Start ``moto_server`` from this virtualenv; return the process and its endpoint URL."""
    port = free_port()
    server = ServerProcess(
        [str(Path(sys.executable).parent / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        log=log,
    )
    endpoint = f"http://127.0.0.1:{port}"
    server.wait_ready(lambda: http_ok(f"{endpoint}/moto-api/"), 60, "moto_server")
    return server, endpoint


def s3_client(endpoint_url: str, key_id: str = "", secret: str = "") -> Any:
    """A boto3 S3 client for a local S3 server, path-addressed, SigV4 (moto's keys by default)."""
    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        region_name="us-east-1",
        aws_access_key_id=key_id or MOTO_CREDENTIALS["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=secret or MOTO_CREDENTIALS["AWS_SECRET_ACCESS_KEY"],
        config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
    )


def new_bucket(client: Any) -> str:
    """Create a fresh, uniquely named bucket and return its name."""
    name = f"keycraft-test-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    return name
