"""The health report names every dependency and never raises."""

import asyncio
from pathlib import Path

from keycraft.config import Settings
from keycraft.services.container import build_services
from keycraft.services.health import health_report
from tests.support.processes import free_port


def test_report_marks_an_unreachable_transcriber_without_failing(tmp_path: Path) -> None:
    settings = Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'h.db'}",
        MEDIA_DIR=tmp_path / "media",
        TRANSCRIBER_URL=f"http://127.0.0.1:{free_port()}",
        HEALTH_TIMEOUT_S=1,
    )
    report = asyncio.run(health_report(build_services(settings)))
    checks = report["checks"]
    assert isinstance(checks, dict)
    assert checks["database"]["ok"] is True
    assert checks["storage"]["ok"] is True
    assert checks["transcriber"]["ok"] is False
    assert report["status"] == "degraded"


def test_report_marks_an_unwritable_database(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    settings = Settings(
        DATABASE_URL=f"sqlite:///{blocker / 'h.db'}",
        MEDIA_DIR=tmp_path / "media",
        HEALTH_TIMEOUT_S=1,
    )
    report = asyncio.run(health_report(build_services(settings)))
    assert report["checks"]["database"]["ok"] is False  # type: ignore[index]
