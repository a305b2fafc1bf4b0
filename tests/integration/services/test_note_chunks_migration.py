"""Revision 0015 on a real SQLite file: overlays fold back into the notes when it is reverted."""

from dataclasses import replace
from pathlib import Path

from alembic.config import Config
from sqlalchemy import text

from alembic import command
from keycraft.config import PROJECT_ROOT, Settings
from keycraft.manage import migrate
from keycraft.services.domain import Note, decode_notes
from keycraft.services.note_chunks import NoteChunksEdit, chunk_index, note_order, split_chunks
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from tests.support.factories import make_project, make_user


def test_reverting_0015_keeps_every_edited_note(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'revert.db'}"
    migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
    engine = make_engine(url)
    repo = SqlModelRepository(engine)
    user = repo.create_user(make_user())
    spread = tuple(Note(i * 2000, 240, 40 + i % 40, 70) for i in range(40))
    project = repo.create_project(replace(make_project(user, notes=0), notes=spread))
    moved = replace(spread[3], start_tick=spread[30].start_tick + 7)
    notes = (*spread[:3], moved, *spread[4:-1])  # one note moved far, the last one removed
    touched = {chunk_index(spread[3]), chunk_index(moved), chunk_index(spread[-1])}
    chunks = split_chunks(notes)
    edit = NoteChunksEdit(tuple((i, chunks.get(i, ())) for i in sorted(touched)), len(notes))
    repo.save_project_edit(replace(project, notes=notes), 1, edit)
    engine.dispose()

    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.attributes["url"] = url
    config.attributes["configure_logger"] = False
    command.downgrade(config, "0014")

    engine = make_engine(url)
    with engine.connect() as db:
        blob, count = db.execute(
            text("SELECT notes_blob, note_count FROM projects WHERE id = :id"), {"id": project.id}
        ).one()
    engine.dispose()
    assert decode_notes(blob) == tuple(sorted(notes, key=note_order))
    assert count == len(notes)
