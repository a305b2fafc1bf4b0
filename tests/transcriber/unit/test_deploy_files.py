"""Content checks of the Dockerfile, requirements and Cloud Run manifest."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3] / "transcriber"


def _pins(name: str) -> dict[str, str]:
    pins: dict[str, str] = {}
    for line in (ROOT / name).read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r"):
            continue
        package, sep, version = line.partition("==")
        assert sep, f"{name}: {line!r} is not pinned with =="
        pins[package.lower().replace("_", "-")] = version
    return pins


def test_requirements_are_pinned_and_exclude_heavy_runtimes() -> None:
    runtime = _pins("requirements.txt")
    assert runtime["torch"] == "2.13.0"
    assert {"flask", "gunicorn", "numpy", "onnx", "soundfile"} <= set(runtime)
    for forbidden in ("tensorflow", "torchaudio", "onnxruntime"):
        assert forbidden not in runtime
    assert _pins("requirements-nodeps.txt") == {"basic-pitch": "0.4.0", "transkun": "2.0.1"}
    assert "onnxruntime" in _pins("requirements-dev.txt")
    # The metrics library is shared with the app; both images run the same version.
    app_lock = (ROOT.parent / "requirements.lock").read_text()
    assert f"prometheus_client=={runtime['prometheus-client']}" in app_lock.splitlines()


def test_dockerfile_installs_the_pinned_requirements() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11-slim", text, re.M)
    torch_pin = re.search(r"torch==([\w.]+)", text)
    assert torch_pin and torch_pin.group(1) == _pins("requirements.txt")["torch"]
    assert "download.pytorch.org/whl/cpu" in text
    assert "-r /app/transcriber/requirements.txt" in text
    assert "--no-deps -r /app/transcriber/requirements-nodeps.txt" in text
    assert re.search(r"^USER (?!root)\w+", text, re.M)
    cmd = text[text.index("CMD") :]
    for flag in ("--workers 1", "--threads 1", "--timeout 1800", "${PORT}"):
        assert flag in cmd
    assert "torchaudio" not in text and "tensorflow" not in text
    assert (ROOT / ".dockerignore").is_file()


def _manifest_value(text: str, key: str) -> str:
    match = re.search(rf"^\s*{re.escape(key)}:\s*\"?([^\"\n]+)\"?\s*$", text, re.M)
    assert match, key
    return match.group(1).strip()


def test_cloud_run_manifest_values() -> None:
    text = (ROOT / "deploy" / "cloudrun.yaml").read_text()
    assert _manifest_value(text, "autoscaling.knative.dev/minScale") == "0"
    assert _manifest_value(text, "autoscaling.knative.dev/maxScale") == "5"
    assert _manifest_value(text, "containerConcurrency") == "1"
    assert _manifest_value(text, "timeoutSeconds") == "1800"
    assert _manifest_value(text, "cpu") == "1"
    assert _manifest_value(text, "memory") == "2Gi"
    probe = text[text.index("startupProbe:") : text.index("livenessProbe:")]
    assert _manifest_value(probe, "path") == "/ready"
    secret = text[text.index("name: TRANSCRIBER_SECRET") :]
    assert "secretKeyRef:" in secret.split("resources:")[0]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({}, "127.0.0.1:8001"),
        ({"PORT": "8080", "TRANSCRIBER_HOST": "0.0.0.0"}, "0.0.0.0:8080"),
        ({"TRANSCRIBER_PORT": "9000", "PORT": "8080"}, "127.0.0.1:9000"),
    ],
)
def test_gunicorn_config_binds_from_environment(
    env: dict[str, str], expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("PORT", "TRANSCRIBER_PORT", "TRANSCRIBER_HOST", "TRANSCRIBER_THREADS_HTTP"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    conf = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert conf["bind"] == expected
    assert conf["workers"] == 1 and conf["timeout"] == 1800
    # Locally a second thread answers "busy"; the image's command line pins one thread.
    assert conf["threads"] == 2 and conf["worker_class"] == "gthread"
