"""projects' notes take chunk overlays, so an editor save writes only what it touched

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:00:00
"""

import json
import zlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHUNK_TICKS = 7680
"""``note_chunks.NOTE_CHUNK_TICKS`` when this revision was written (a migration keeps its own)."""


def upgrade() -> None:
    """Apply this revision: existing projects keep all their notes in ``notes_blob``."""
    op.create_table(
        "project_note_chunks",
        sa.Column("project_id", sa.String(length=32), nullable=False),
        sa.Column("chunk_index", sa.Integer(), nullable=False),
        sa.Column("note_count", sa.Integer(), nullable=False),
        sa.Column("notes_blob", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("project_id", "chunk_index"),
    )


def _rows(blob: bytes | None) -> list[list[int]]:
    """Notes rows ``[start_tick, duration_ticks, pitch_midi, velocity]`` of a stored blob."""
    return json.loads(zlib.decompress(blob)) if blob else []


def downgrade() -> None:
    """Revert this revision: every project's overlays are folded into its ``notes_blob``."""
    bind = op.get_bind()
    overlays: dict[str, dict[int, list[list[int]]]] = {}
    for project_id, index, blob in bind.execute(
        sa.text("SELECT project_id, chunk_index, notes_blob FROM project_note_chunks")
    ):
        overlays.setdefault(project_id, {})[index] = _rows(blob)
    for project_id, chunks in overlays.items():
        base = bind.execute(
            sa.text("SELECT notes_blob FROM projects WHERE id = :id"), {"id": project_id}
        ).scalar_one()
        rows = [r for r in _rows(base) if r[0] // CHUNK_TICKS not in chunks]
        rows += [r for chunk in chunks.values() for r in chunk]
        rows.sort(key=lambda r: (r[0], r[2], r[1]))
        blob = zlib.compress(json.dumps(rows, separators=(",", ":")).encode(), 6)
        bind.execute(
            sa.text("UPDATE projects SET notes_blob = :blob, note_count = :count WHERE id = :id"),
            {"blob": blob, "count": len(rows), "id": project_id},
        )
    op.drop_table("project_note_chunks")
