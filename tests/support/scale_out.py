"""The app in scale-out mode: Redis state, two workers, DynamoDB, S3, a remote transcriber."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path

from tests.support.app_server import RunningApp, start_app
from tests.support.moto_s3 import MOTO_CREDENTIALS, new_bucket, s3_client
from tests.support.processes import ServerProcess
from tests.support.redis_server import start_redis
from tests.support.transcriber_server import RealTranscriber

WORKERS = 2
_PROC = Path("/proc")


@dataclass
class ScaleOutApp:
    """The served app plus the Redis it keeps its state in."""

    app: RunningApp
    redis: ServerProcess
    redis_url: str
    table: str
    bucket: str

    def stop(self) -> None:
        """Stop the app and its queue worker, then Redis."""
        self.app.stop()
        self.redis.stop()


def scale_out_env(
    data_dir: Path,
    redis_url: str,
    dynamodb_endpoint: str,
    s3_endpoint: str,
    table: str,
    bucket: str,
    transcriber: RealTranscriber,
    transcribers: int = 1,
) -> dict[str, str]:
    """Settings of the scale-out mode (docs/deployment.md), pointed at local servers.

    ``transcribers`` is how many transcriptions the service at ``transcriber.url`` runs at
    once; the queue worker gets as many threads, as production sizes it to the instances.
    """
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
        # The remote transcriber, reached over HTTP with its shared secret.
        "TRANSCRIBER_URL": transcriber.url,
        "TRANSCRIBER_SECRET": transcriber.secret,
        "SECRET_KEY": uuid.uuid4().hex,
        # Transcription jobs travel through the same Redis to the queue worker.
        "JOB_QUEUE": "redis",
        "JOB_QUEUE_REDIS_URL": redis_url,
        "JOB_WORKERS": str(transcribers),
        "KEYCRAFT_ENV": "prod",
    }


def start_scale_out_app(
    data_dir: Path,
    dynamodb_endpoint: str,
    s3_endpoint: str,
    transcriber: RealTranscriber,
    transcribers: int = 1,
) -> ScaleOutApp:
    """Start Redis, create the bucket, then migrate (creates the table), build and serve the app.

    ``transcriber`` may still be loading its models: the app only needs its URL and secret.
    ``transcribers``: how many transcriptions it runs at once (sizes the queue worker).
    """
    redis, redis_url = start_redis(data_dir)
    try:
        table = f"scale-out-{uuid.uuid4().hex[:12]}"
        bucket = new_bucket(s3_client(s3_endpoint))
        env = scale_out_env(
            data_dir,
            redis_url,
            dynamodb_endpoint,
            s3_endpoint,
            table,
            bucket,
            transcriber,
            transcribers,
        )
        app = start_app(data_dir, env)
    except BaseException:
        redis.stop()
        raise
    return ScaleOutApp(app=app, redis=redis, redis_url=redis_url, table=table, bucket=bucket)


def _process_info(pid_dir: Path) -> tuple[int, int, bytes] | None:
    """Parent pid, session id and command line of one ``/proc/<pid>``; None once it is gone."""
    try:
        stat = (pid_dir / "stat").read_text()
        cmdline = (pid_dir / "cmdline").read_bytes()
    except OSError:
        return None
    # Fields after the parenthesised command name: state, ppid, pgrp, session, ...
    fields = stat[stat.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[3]), cmdline


def worker_pids(server: ServerProcess) -> list[int]:
    """Pids of the server's forked worker processes (same command line as their parent).

    The server runs in its own session, so its processes are those whose session id is the
    server's pid; a Granian worker is a fork of the supervisor and keeps its command line.
    """
    session: dict[int, tuple[int, bytes]] = {}
    for pid_dir in _PROC.iterdir():
        if not pid_dir.name.isdigit():
            continue
        info = _process_info(pid_dir)
        if info is not None and info[1] == server.process.pid:
            session[int(pid_dir.name)] = (info[0], info[2])
    return sorted(
        pid
        for pid, (parent, cmdline) in session.items()
        if parent in session and session[parent][1] == cmdline and b"python" in cmdline
    )
