"""projects keep their tempo and time-signature changes

Revision ID: 0007
Revises: 0001
Create Date: 2026-11-26 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision: existing projects get empty maps (one tempo, one metre)."""
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tempo_changes_json", sa.Text(), nullable=False, server_default="[]")
        )
        batch_op.add_column(
            sa.Column("time_signature_changes_json", sa.Text(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("projects", schema=None) as batch_op:
        batch_op.drop_column("time_signature_changes_json")
        batch_op.drop_column("tempo_changes_json")
