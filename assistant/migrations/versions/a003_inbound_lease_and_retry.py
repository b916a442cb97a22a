"""inbound lease and retry

Revision ID: a003
Revises: a002
Create Date: 2026-12-02 02:15:00
"""

import sqlalchemy as sa
from alembic import op

from commerce.persistence.tables import UtcDateTime

revision = "a003"
down_revision = "a002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lease_until", UtcDateTime(), nullable=True))
        batch_op.add_column(sa.Column("next_attempt_at", UtcDateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_inbound_messages_lease_until"), ["lease_until"], unique=False)
        batch_op.create_index(batch_op.f("ix_inbound_messages_next_attempt_at"), ["next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("inbound_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_messages_next_attempt_at"))
        batch_op.drop_index(batch_op.f("ix_inbound_messages_lease_until"))
        batch_op.drop_column("next_attempt_at")
        batch_op.drop_column("lease_until")
