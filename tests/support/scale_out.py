"""The app in scale-out mode: Redis state, two workers, DynamoDB, S3, a remote transcriber."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.support.app_server import RunningApp, start_app
from tests.support.moto_s3 import MOTO_CREDENTIALS, new_bucket, s3_client
from tests.support.processes import ServerProcess, free_port
from tests.support.redis_server import start_redis

WORKERS = 2


@dataclass
class ScaleOutApp:
    """The served app plus the Redis it keeps its state in."""

    app: RunningApp
    redis: ServerProcess
    redis_url: str
    table: str
    bucket: str

    def stop(self) -> None:
        """Stop the app, then Redis."""
        self.app.server.stop()
        self.redis.stop()


def scale_out_env(
    data_dir: Path,
    redis_url: str,
    dynamodb_endpoint: str,
    s3_endpoint: str,
    table: str,
    bucket: str,
) -> dict[str, str]:
    """Settings of the scale-out mode (docs/deployment.md), pointed at local servers."""
    metrics_dir = data_dir / "metrics"
    metrics_dir.mkdir()
    return {
        "REFLEX_REDIS_URL": redis_url,
        "GRANIAN_WORKERS": str(WORKERS),
        # Its own web build folder: the shared app fixture may be serving from .web meanwhile.
        "REFLEX_WEB_WORKDIR": str(data_dir / "web"),
        "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir),
        "REPOSITORY": "dynamodb",
        "DYNAMODB_TABLE": table,
        "DYNAMODB_ENDPOINT_URL": dynamodb_endpoint,
        "AWS_REGION": "us-east-1",
        "STORAGE": "s3",
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": s3_endpoint,
        **MOTO_CREDENTIALS,
        # A remote transcriber with its secret; none answers there, which health reports.
        "TRANSCRIBER_URL": f"http://127.0.0.1:{free_port()}",
        "TRANSCRIBER_SECRET": uuid.uuid4().hex,
        "SECRET_KEY": uuid.uuid4().hex,
        "KEYCRAFT_ENV": "prod",
    }


def start_scale_out_app(data_dir: Path, dynamodb_endpoint: str, s3_endpoint: str) -> ScaleOutApp:
    """Start Redis, create the bucket, then migrate (creates the table), build and serve the app."""
    redis, redis_url = start_redis(data_dir)
    try:
        table = f"scale-out-{uuid.uuid4().hex[:12]}"
        bucket = new_bucket(s3_client(s3_endpoint))
        env = scale_out_env(data_dir, redis_url, dynamodb_endpoint, s3_endpoint, table, bucket)
        app = start_app(data_dir, env)
    except BaseException:
        redis.stop()
        raise
    return ScaleOutApp(app=app, redis=redis, redis_url=redis_url, table=table, bucket=bucket)
