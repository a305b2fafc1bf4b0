"""experiments: definitions, exposures, conversions, visitor links

Revision ID: 0003
Revises: 0001
Create Date: 2026-11-26 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "experiment_definitions",
        sa.Column("experiment_key", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("experiment_key", "version"),
    )
    op.create_table(
        "experiment_exposures",
        sa.Column("experiment_key", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.String(length=32), nullable=False),
        sa.Column("variant", sa.String(length=80), nullable=False),
        sa.Column("exposed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("experiment_key", "version", "visitor_id"),
    )
    with op.batch_alter_table("experiment_exposures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_experiment_exposures_visitor_id"), ["visitor_id"], unique=False
        )
    op.create_table(
        "experiment_conversions",
        sa.Column("experiment_key", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("visitor_id", sa.String(length=32), nullable=False),
        sa.Column("metric", sa.String(length=40), nullable=False),
        sa.Column("variant", sa.String(length=80), nullable=False),
        sa.Column("converted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("experiment_key", "version", "visitor_id", "metric"),
    )
    op.create_table(
        "visitor_links",
        sa.Column("visitor_id", sa.String(length=32), nullable=False),
        sa.Column("user_id", sa.String(), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("visitor_id"),
    )
    with op.batch_alter_table("visitor_links", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_visitor_links_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("visitor_links", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visitor_links_user_id"))
    op.drop_table("visitor_links")
    op.drop_table("experiment_conversions")
    with op.batch_alter_table("experiment_exposures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_experiment_exposures_visitor_id"))
    op.drop_table("experiment_exposures")
    op.drop_table("experiment_definitions")
