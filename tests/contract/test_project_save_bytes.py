"""Contract: a small editor save writes a few kilobytes, however many notes the piece has."""

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from keycraft.services.domain import Note
from keycraft.services.note_chunks import NoteChunksEdit, chunk_index, split_chunks
from keycraft.services.repository.dynamodb.repository import DynamoDbRepository
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.repository import SqlModelRepository
from tests.contract.conftest import _dynamodb, _sqlite
from tests.support.factories import make_project, make_user
from tests.support.write_meter import WriteMeter, meter_dynamodb, meter_sql

SMALL_EDIT_MAX_BYTES = 4096


@pytest.fixture(params=["sqlite", "dynamodb"])
def metered(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Repository, WriteMeter]]:
    """A stored adapter with a meter of the bytes it writes."""
    if request.param == "sqlite":
        for repo in _sqlite(tmp_path):
            assert isinstance(repo, SqlModelRepository)
            yield repo, meter_sql(repo._engine)
    else:
        for repo in _dynamodb(request.getfixturevalue("dynamodb_endpoint")):
            assert isinstance(repo, DynamoDbRepository)
            yield repo, meter_dynamodb(repo._client)


def _piece(count: int) -> tuple[Note, ...]:
    """``count`` notes, ten a second at 120 BPM (a dense piano texture)."""
    return tuple(Note(i * 96, 192, 36 + (i * 7) % 60, 40 + i % 80) for i in range(count))


@pytest.mark.parametrize("count", [3000, 20000])
def test_a_one_note_move_writes_little_whatever_the_size(
    metered: tuple[Repository, WriteMeter], count: int
) -> None:
    repo, meter = metered
    user = repo.create_user(make_user())
    project = repo.create_project(replace(make_project(user, notes=0), notes=_piece(count)))
    whole = meter.take()
    moved = replace(project.notes[count // 2], pitch_midi=project.notes[count // 2].pitch_midi + 1)
    notes = (*project.notes[: count // 2], moved, *project.notes[count // 2 + 1 :])
    index = chunk_index(moved)
    edit = NoteChunksEdit(((index, split_chunks(notes)[index]),), count, content_changed=False)
    repo.save_project_edit(replace(project, notes=notes), 1, edit)
    assert meter.take() < min(SMALL_EDIT_MAX_BYTES, whole // 4)
    reloaded = repo.get_project(user.id, project.id)
    assert reloaded is not None and moved in reloaded.notes and len(reloaded.notes) == count
