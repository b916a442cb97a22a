"""exact decimal on sqlite: money, prices and rates stored as TEXT

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 08:00:00

SQLite gave the NUMERIC columns numeric affinity, so 12.3456 was kept as a float. They
become TEXT columns (ExactDecimal) holding the exact decimal string at the column's scale.
PostgreSQL already stores NUMERIC exactly: nothing changes there.
"""

from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from alembic import op

from commerce.persistence.tables import ExactDecimal

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

MONEY, UNIT_PRICE, RATE = (14, 2), (14, 4), (5, 2)

# table: (primary key, {column: (precision, scale)})
DECIMAL_COLUMNS: dict[str, tuple[str, dict[str, tuple[int, int]]]] = {
    "products": ("sku", {"price_ht": UNIT_PRICE, "vat_rate": RATE}),
    "customers": ("customer_id", {"credit_limit": MONEY, "approval_threshold_ht": MONEY}),
    "conditions": ("id", {"value": UNIT_PRICE}),
    "orders": ("id", {"total_ht": MONEY, "total_vat": MONEY, "total_ttc": MONEY}),
    "order_lines": ("id", {"unit_price_ht": UNIT_PRICE, "total_ht": MONEY, "vat_rate": RATE}),
    "quotes": ("id", {"total_ht": MONEY, "total_vat": MONEY, "total_ttc": MONEY}),
    "quote_lines": ("id", {"unit_price_ht": UNIT_PRICE, "total_ht": MONEY, "vat_rate": RATE}),
}


def _exact_text(value: object, scale: int) -> str | None:
    # str() of a float is its shortest repr, the digits that were meant (12.345, not
    # 12.3449999...); then the rounding PostgreSQL applies on insert.
    if value is None:
        return None
    exact = Decimal(str(value)).quantize(Decimal(1).scaleb(-scale), rounding=ROUND_HALF_UP)
    return f"{exact:f}"


def _exact_row(row: sa.Row, columns: dict[str, tuple[int, int]]) -> dict[str, object]:
    key, *values = row
    params: dict[str, object] = {"key": key}
    for (column, (_precision, scale)), value in zip(columns.items(), values, strict=True):
        params[column] = _exact_text(value, scale)
    return params


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    for table, (key, columns) in DECIMAL_COLUMNS.items():
        names = ", ".join([key, *columns])
        # Read before the copy: the float as Python reads it, not SQLite's 15-digit text.
        rows = bind.execute(sa.text(f"SELECT {names} FROM {table}")).all()
        with op.batch_alter_table(table) as batch_op:
            for column, (precision, scale) in columns.items():
                batch_op.alter_column(
                    column,
                    existing_type=sa.Numeric(precision, scale),
                    type_=ExactDecimal(precision, scale),
                )
        if rows:
            assignments = ", ".join(f"{column} = :{column}" for column in columns)
            bind.execute(
                sa.text(f"UPDATE {table} SET {assignments} WHERE {key} = :key"),
                [_exact_row(row, columns) for row in rows],
            )

def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table, (_key, columns) in DECIMAL_COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for column, (precision, scale) in columns.items():
                batch_op.alter_column(
                    column,
                    existing_type=ExactDecimal(precision, scale),
                    type_=sa.Numeric(precision, scale),
                )
