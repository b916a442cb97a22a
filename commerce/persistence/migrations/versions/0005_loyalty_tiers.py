"""loyalty tiers as data: the distributor's ladder, in French and English, with a discount

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from commerce.persistence.tables import ExactDecimal, UtcDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loyalty_tiers",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("threshold_ht", ExactDecimal(14, 2), nullable=False),
        sa.Column("discount_pct", ExactDecimal(5, 2), nullable=False),
        sa.Column("benefit", sa.String(length=300), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("benefit_en", sa.String(length=300), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_loyalty_tiers")),
    )


def downgrade() -> None:
    op.drop_table("loyalty_tiers")
