"""monthly transcription minutes: each job's reservation and each user's seconds per window

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 14:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table('transcription_minutes',
    sa.Column('user_id', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('window_end', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_s', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'window_end')
    )
    with op.batch_alter_table('transcription_jobs', schema=None) as batch_op:
        # Jobs created before this revision reserved nothing: 0 seconds, no window.
        batch_op.add_column(sa.Column('reserved_s', sa.Integer(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('minutes_window_end', sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table('transcription_jobs', schema=None) as batch_op:
        batch_op.drop_column('minutes_window_end')
        batch_op.drop_column('reserved_s')
    op.drop_table('transcription_minutes')
