"""Contract: a MIDI export takes a download only when its file is stored and linked."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import pytest

from keycraft.services.downloads import DeliveredMidi, QuotaExhausted, export_project_midi
from keycraft.services.errors import StorageUnavailable
from keycraft.services.repository.port import Repository
from keycraft.services.storage.local import LocalStorage
from keycraft.services.storage.media_links import MediaLinkSigner
from tests.support.factories import T0, make_project, make_user

NOW = T0 + timedelta(days=1)
RACERS = 20
FREE_LIMIT = 3


def _storage(tmp_path: Path) -> LocalStorage:
    return LocalStorage(tmp_path / "media", MediaLinkSigner(b"secret"), "http://app.test")


def _export(repo: Repository, storage: LocalStorage, user_id: str, project_id: str) -> object:
    try:
        return export_project_midi(repo, storage, user_id, project_id, NOW, link_ttl_s=60)
    except QuotaExhausted as refused:
        return refused


def test_a_refused_write_leaves_the_quota_as_it_was(repo: Repository, tmp_path: Path) -> None:
    storage = _storage(tmp_path)
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, title="Nocturne – Op.9 月光"))
    assert repo.consume_download(user.id, FREE_LIMIT, NOW).granted
    exports = tmp_path / "media" / "users" / user.id / "projects" / project.id / "exports"
    exports.parent.mkdir(parents=True)
    exports.write_bytes(b"")  # a file where the exports folder must go

    for _ in range(FREE_LIMIT + 1):
        with pytest.raises(StorageUnavailable):
            export_project_midi(repo, storage, user.id, project.id, NOW, link_ttl_s=60)
    quota = repo.get_quota(user.id)
    assert (quota.used, quota.total_downloads) == (1, 1)


def test_simultaneous_exports_for_the_last_download_deliver_exactly_one(
    repo: Repository, tmp_path: Path
) -> None:
    storage = _storage(tmp_path)
    user = repo.create_user(make_user())
    project = repo.create_project(make_project(user, title="月光"))
    for _ in range(FREE_LIMIT - 1):
        assert repo.consume_download(user.id, FREE_LIMIT, NOW).granted

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        outcomes = list(
            pool.map(lambda _: _export(repo, storage, user.id, project.id), range(RACERS))
        )

    delivered = [o for o in outcomes if isinstance(o, DeliveredMidi)]
    refused = [o for o in outcomes if isinstance(o, QuotaExhausted)]
    assert (len(delivered), len(refused)) == (1, RACERS - 1)
    assert delivered[0].quota.used == FREE_LIMIT
    assert delivered[0].filename == "月光.mid"
    assert all(r.decision.used == FREE_LIMIT for r in refused)
    quota = repo.get_quota(user.id)
    assert (quota.used, quota.total_downloads) == (FREE_LIMIT, FREE_LIMIT)
