"""order to cash with the ERP: supplier orders, shipments, invoices, payments, credit notes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 14:00:00
"""

import sqlalchemy as sa
from alembic import op

from commerce.persistence.tables import ExactDecimal, UtcDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _money() -> ExactDecimal:
    return ExactDecimal(14, 2)


def upgrade() -> None:
    with op.batch_alter_table("stock", schema=None) as batch_op:
        batch_op.add_column(sa.Column("snapshot_seq", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("reorder_qty", sa.Integer(), server_default="0", nullable=False))
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("shipped_qty", sa.Integer(), server_default="0", nullable=False))
        batch_op.add_column(sa.Column("invoiced_qty", sa.Integer(), server_default="0", nullable=False))
    op.create_table(
        "supply_orders",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("reference", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.Column("updated_at", UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_orders")),
        sa.UniqueConstraint("reference", name=op.f("uq_supply_orders_reference")),
    )
    op.create_index(op.f("ix_supply_orders_status"), "supply_orders", ["status"], unique=False)
    op.create_table(
        "supply_order_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("supply_order_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.Column("received_qty", sa.Integer(), nullable=False),
        sa.Column("eta", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["supply_order_id"], ["supply_orders.id"], ondelete="CASCADE",
                                name=op.f("fk_supply_order_lines_supply_order_id_supply_orders")),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_supply_order_lines_sku_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_supply_order_lines")),
    )
    op.create_index(op.f("ix_supply_order_lines_supply_order_id"), "supply_order_lines", ["supply_order_id"])
    op.create_index(op.f("ix_supply_order_lines_sku"), "supply_order_lines", ["sku"])
    op.create_table(
        "shipments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("carrier", sa.String(length=100), nullable=False),
        sa.Column("tracking", sa.String(length=100), nullable=False),
        sa.Column("shipped_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE",
                                name=op.f("fk_shipments_order_id_orders")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipments")),
    )
    op.create_index(op.f("ix_shipments_order_id"), "shipments", ["order_id"])
    op.create_table(
        "shipment_lines",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("shipment_id", sa.Integer(), nullable=False),
        sa.Column("sku", sa.String(length=64), nullable=False),
        sa.Column("qty", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["shipment_id"], ["shipments.id"], ondelete="CASCADE",
                                name=op.f("fk_shipment_lines_shipment_id_shipments")),
        sa.ForeignKeyConstraint(["sku"], ["products.sku"], name=op.f("fk_shipment_lines_sku_products")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shipment_lines")),
    )
    op.create_index(op.f("ix_shipment_lines_shipment_id"), "shipment_lines", ["shipment_id"])
    op.create_table(
        "invoices",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("customer_id", sa.String(length=64), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("total_ht", _money(), nullable=False),
        sa.Column("total_vat", _money(), nullable=False),
        sa.Column("total_ttc", _money(), nullable=False),
        sa.Column("paid", _money(), nullable=False),
        sa.Column("credited", _money(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["order_id"], ["orders.id"], ondelete="CASCADE",
                                name=op.f("fk_invoices_order_id_orders")),
        sa.ForeignKeyConstraint(["customer_id"], ["customers.customer_id"],
                                name=op.f("fk_invoices_customer_id_customers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invoices")),
        sa.UniqueConstraint("number", name=op.f("uq_invoices_number")),
    )
    op.create_index(op.f("ix_invoices_order_id"), "invoices", ["order_id"])
    op.create_index(op.f("ix_invoices_customer_id"), "invoices", ["customer_id"])
    op.create_index(op.f("ix_invoices_due_on"), "invoices", ["due_on"])
    op.create_index(op.f("ix_invoices_status"), "invoices", ["status"])
    op.create_table(
        "payments",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("amount", _money(), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE",
                                name=op.f("fk_payments_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payments")),
    )
    op.create_index(op.f("ix_payments_invoice_id"), "payments", ["invoice_id"])
    op.create_table(
        "credit_notes",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("invoice_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("total_ht", _money(), nullable=False),
        sa.Column("total_vat", _money(), nullable=False),
        sa.Column("total_ttc", _money(), nullable=False),
        sa.Column("returned", sa.Text(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["invoice_id"], ["invoices.id"], ondelete="CASCADE",
                                name=op.f("fk_credit_notes_invoice_id_invoices")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_credit_notes")),
        sa.UniqueConstraint("number", name=op.f("uq_credit_notes_number")),
    )
    op.create_index(op.f("ix_credit_notes_invoice_id"), "credit_notes", ["invoice_id"])


def downgrade() -> None:
    for table in ("credit_notes", "payments", "invoices", "shipment_lines", "shipments",
                  "supply_order_lines", "supply_orders"):
        op.drop_table(table)
    with op.batch_alter_table("order_lines", schema=None) as batch_op:
        batch_op.drop_column("invoiced_qty")
        batch_op.drop_column("shipped_qty")
    with op.batch_alter_table("stock", schema=None) as batch_op:
        batch_op.drop_column("reorder_qty")
        batch_op.drop_column("snapshot_seq")
