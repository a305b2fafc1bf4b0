"""projects' notes take chunk overlays, so an editor save writes only what it touched

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 21:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


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


def downgrade() -> None:
    """Revert this revision.

    Overlays not yet folded into ``notes_blob`` are lost: fold them first (a whole-project
    save of each project that has some) before downgrading a live database.
    """
    op.drop_table("project_note_chunks")
