"""Over HTTP on the real app: a failed export costs nothing; any title downloads by name."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

import httpx

from keycraft.services.auth.sessions import SESSION_COOKIE, start_session
from keycraft.services.clock import utc_now
from tests.support.app_server import RunningApp
from tests.support.factories import make_project
from tests.support.signed_in import create_user

TITLE = "Nocturne – Op.9 月光"


def test_a_store_refusing_the_file_answers_503_and_the_next_export_downloads_by_name(
    app: RunningApp,
) -> None:
    repo = app.repository()
    user = create_user(app)
    project = repo.create_project(
        replace(make_project(user, title=TITLE, notes=5), created_at=utc_now())
    )
    token = start_session(repo, user.id, "export", utc_now()).token
    url = f"{app.url}/api/projects/{project.id}/midi"
    # A file where the project's exports folder must go: the media store refuses every write.
    exports = Path(app.env["MEDIA_DIR"]) / "users" / user.id / "projects" / project.id / "exports"
    exports.parent.mkdir(parents=True, exist_ok=True)
    exports.write_bytes(b"")

    with httpx.Client(cookies={SESSION_COOKIE: token}, timeout=30) as client:
        for _ in range(4):  # more tries than the Free plan's three downloads
            refused = client.get(url)
            assert refused.status_code == 503
            assert refused.json()["error"] == "export_failed"
        quota = repo.get_quota(user.id)
        assert (quota.used, quota.total_downloads) == (0, 0)

        exports.unlink()
        delivered = client.get(url, follow_redirects=True)
    assert delivered.status_code == 200
    assert delivered.content.startswith(b"MThd")
    assert TITLE.encode("utf-8") in delivered.content  # the track name, in UTF-8
    disposition = delivered.headers["content-disposition"]
    assert unquote(disposition.split("filename*=UTF-8''")[1]) == f"{TITLE}.mid"
    assert 'filename="Nocturne _ Op.9.mid"' in disposition
    assert repo.get_quota(user.id).used == 1
