"""LocalStack's S3 on a free loopback port, from its own Python 3.13 virtualenv under .tools/."""

from __future__ import annotations

import fcntl
import glob
import hashlib
import ipaddress
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from tests.support.moto_s3 import s3_client
from tests.support.processes import REPO_ROOT, ServerProcess, free_port, http_ok

REQUIREMENTS = REPO_ROOT / "tests" / "services" / "localstack-requirements.txt"
VENV = REPO_ROOT / ".tools" / "localstack-venv"
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
"""LocalStack's default account; it checks signatures against this secret."""


def _python313() -> str:
    pyenv_root = os.environ.get("PYENV_ROOT", str(Path.home() / ".pyenv"))
    candidates = sorted(glob.glob(f"{pyenv_root}/versions/3.13*/bin/python3.13"))
    if candidates:
        return candidates[-1]
    found = shutil.which("python3.13")
    # A pyenv shim exists even when 3.13 is not the selected version, and then fails.
    if found and "/shims/" not in found:
        return found
    raise RuntimeError("LocalStack needs Python 3.13 (python3.13 on PATH or under pyenv)")


def ensure_localstack_venv() -> Path:
    """Create (once per requirements change) the LocalStack virtualenv; return its python."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    stamp = VENV / ".stamp"
    VENV.parent.mkdir(parents=True, exist_ok=True)
    # Concurrent test runs on one checkout must not build the same virtualenv twice.
    with (VENV.parent / "localstack-venv.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (stamp.exists() and stamp.read_text() == digest):
            shutil.rmtree(VENV, ignore_errors=True)
            subprocess.run([_python313(), "-m", "venv", str(VENV)], check=True)
            subprocess.run(
                [str(VENV / "bin" / "pip"), "install", "--quiet", "-r", str(REQUIREMENTS)],
                check=True,
                timeout=1800,
            )
            stamp.write_text(digest)
    return VENV / "bin" / "python"


def _self_signed_pem(path: Path) -> None:
    """Key + certificate for LocalStack's TLS listener (its generator fails on pyOpenSSL 26)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.TraditionalOpenSSL,
        serialization.NoEncryption(),
    )
    path.write_bytes(key_pem + cert.public_bytes(serialization.Encoding.PEM))


def start_localstack_s3(workdir: Path) -> tuple[ServerProcess, str]:
    """Start LocalStack with only S3, checking signatures; return the process and endpoint."""
    python = ensure_localstack_venv()
    port = free_port()
    certificate = workdir / "server.pem"
    _self_signed_pem(certificate)
    log = workdir / "localstack.log"
    server = ServerProcess(
        [str(python), "-m", "localstack.runtime.main"],
        log=log,
        cwd=workdir,
        env={
            "GATEWAY_LISTEN": f"127.0.0.1:{port}",
            "GATEWAY_SERVER": "hypercorn",
            "SERVICES": "s3",
            "S3_SKIP_SIGNATURE_VALIDATION": "0",
            "DNS_ADDRESS": "0",
            "DISABLE_EVENTS": "1",
            "SKIP_SSL_CERT_DOWNLOAD": "1",
            "CUSTOM_SSL_CERT_PATH": str(certificate),
            "FILESYSTEM_ROOT": str(workdir / "fs"),
            "LOCALSTACK_VOLUME_DIR": str(workdir / "volume"),
            "PERSISTENCE": "0",
        },
    )
    endpoint = f"http://127.0.0.1:{port}"
    server.wait_ready(lambda: http_ok(f"{endpoint}/_localstack/health"), 120, "LocalStack")
    return server, endpoint


def localstack_s3_client(endpoint_url: str) -> Any:
    """A boto3 S3 client for LocalStack (its default account checks signatures)."""
    return s3_client(
        endpoint_url, CREDENTIALS["aws_access_key_id"], CREDENTIALS["aws_secret_access_key"]
    )
