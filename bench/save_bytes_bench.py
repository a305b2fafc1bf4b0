"""Bytes an editor save writes for a one-note move, whole-project save against chunked save.

Run: ``.venv/bin/python -m bench.save_bytes_bench``. Stores a piece of 3,000 and of 20,000
notes on SQLite and on DynamoDB Local, moves one note, and counts the bytes each adapter
sends in write requests (SQL: parameter bytes of INSERT/UPDATE/DELETE; DynamoDB: request
bodies) for the old path (``save_project``, every note) and the new one
(``save_project_edit``, the touched chunk). Prints a table and writes
``bench/results/save_bytes.json``.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from keycraft.config import Settings
from keycraft.manage import migrate
from keycraft.services.domain import Note, Project
from keycraft.services.note_chunks import NoteChunksEdit, chunk_index, split_chunks
from keycraft.services.repository.dynamodb.repository import DynamoDbRepository
from keycraft.services.repository.port import Repository
from keycraft.services.repository.sql.base import make_engine
from keycraft.services.repository.sql.repository import SqlModelRepository
from tests.support.dynamodb_local import local_client, start_dynamodb_local
from tests.support.factories import make_project, make_user
from tests.support.write_meter import WriteMeter, meter_dynamodb, meter_sql

SIZES = (3000, 20000)
RESULTS = Path(__file__).parent / "results" / "save_bytes.json"


def _piece(count: int) -> tuple[Note, ...]:
    """``count`` notes, ten a second at 120 BPM (a dense piano texture)."""
    return tuple(Note(i * 96, 192, 36 + (i * 7) % 60, 40 + i % 80) for i in range(count))


def _moved(project: Project, step: int) -> tuple[tuple[Note, ...], Note]:
    middle = len(project.notes) // 2
    note = project.notes[middle]
    moved = replace(note, pitch_midi=note.pitch_midi + step)
    return (*project.notes[:middle], moved, *project.notes[middle + 1 :]), moved


def _measure(repo: Repository, meter: WriteMeter, count: int) -> dict[str, int]:
    user = repo.create_user(make_user())
    project = repo.create_project(replace(make_project(user, notes=0), notes=_piece(count)))
    meter.take()
    notes, _ = _moved(project, 1)
    saved = repo.save_project(replace(project, notes=notes), project.version)
    whole = meter.take()
    notes, moved = _moved(saved, 1)
    index = chunk_index(moved)
    edit = NoteChunksEdit(((index, split_chunks(notes)[index]),), count, content_changed=False)
    repo.save_project_edit(replace(saved, notes=notes), saved.version, edit)
    return {"notes": count, "whole_save_bytes": whole, "chunk_save_bytes": meter.take()}


def _run(name: str, make: Callable[[], tuple[Repository, WriteMeter]]) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for count in SIZES:
        repo, meter = make()
        rows.append({"adapter": name, **_measure(repo, meter, count)})
    return rows


def main() -> None:
    """Measure, print and store the figures."""
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)

        def sqlite() -> tuple[Repository, WriteMeter]:
            url = f"sqlite:///{work / f'{uuid.uuid4().hex}.db'}"
            migrate(Settings(REPOSITORY="sqlmodel", DATABASE_URL=url))
            engine = make_engine(url)
            return SqlModelRepository(engine), meter_sql(engine)

        server, endpoint = start_dynamodb_local(work / "dynamodb.log")
        try:

            def dynamodb() -> tuple[Repository, WriteMeter]:
                client = local_client(endpoint)
                repo = DynamoDbRepository(client, f"bench-{uuid.uuid4().hex[:12]}")
                repo.create_table()
                return repo, meter_dynamodb(client)

            rows = _run("sqlite", sqlite) + _run("dynamodb", dynamodb)
        finally:
            server.stop()
    print(f"{'adapter':10} {'notes':>7} {'whole save B':>13} {'chunk save B':>13}")
    for row in rows:
        print(
            f"{row['adapter']:10} {row['notes']:>7} {row['whole_save_bytes']:>13}"
            f" {row['chunk_save_bytes']:>13}"
        )
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(rows, indent=2) + "\n")


if __name__ == "__main__":
    main()
