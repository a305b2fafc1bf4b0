"""The SQL adapter's note chunk overlays (see ``note_chunks``): read, write, fold into the base."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session as DbSession
from sqlmodel import col

from keycraft.services.domain import Note, decode_notes, encode_notes
from keycraft.services.note_chunks import MAX_OVERLAY_CHUNKS, overlay
from keycraft.services.repository.sql.tables import ProjectNoteChunkRow, ProjectRow


def stored_chunks(db: DbSession, project_id: str) -> dict[int, tuple[Note, ...]]:
    """Every chunk overlay of the project, by chunk index."""
    rows = db.execute(
        select(col(ProjectNoteChunkRow.chunk_index), col(ProjectNoteChunkRow.notes_blob)).where(
            col(ProjectNoteChunkRow.project_id) == project_id
        )
    ).all()
    return {row.chunk_index: decode_notes(row.notes_blob) for row in rows}


def clear_chunks(db: DbSession, project_id: str) -> None:
    """Drop every overlay of the project (its base now holds every note)."""
    db.execute(delete(ProjectNoteChunkRow).where(col(ProjectNoteChunkRow.project_id) == project_id))


def write_chunks(
    db: DbSession, project_id: str, chunks: tuple[tuple[int, tuple[Note, ...]], ...]
) -> None:
    """Store the overlays of ``chunks``, each replacing the chunk's earlier overlay."""
    if not chunks:
        return
    indexes = [index for index, _ in chunks]
    db.execute(
        delete(ProjectNoteChunkRow).where(
            col(ProjectNoteChunkRow.project_id) == project_id,
            col(ProjectNoteChunkRow.chunk_index).in_(indexes),
        )
    )
    db.add_all(
        ProjectNoteChunkRow(
            project_id=project_id,
            chunk_index=index,
            note_count=len(notes),
            notes_blob=encode_notes(notes),
        )
        for index, notes in chunks
    )
    db.flush()


def compact_if_due(db: DbSession, project_id: str) -> None:
    """Fold the overlays into ``notes_blob`` once there are more than the most kept."""
    count = db.execute(
        select(func.count())
        .select_from(ProjectNoteChunkRow)
        .where(col(ProjectNoteChunkRow.project_id) == project_id)
    ).scalar_one()
    if count <= MAX_OVERLAY_CHUNKS:
        return
    blob = db.execute(
        select(col(ProjectRow.notes_blob)).where(col(ProjectRow.id) == project_id)
    ).scalar_one()
    notes = overlay(decode_notes(blob), stored_chunks(db, project_id))
    db.execute(
        update(ProjectRow)
        .where(col(ProjectRow.id) == project_id)
        .values(notes_blob=encode_notes(notes))
    )
    clear_chunks(db, project_id)
