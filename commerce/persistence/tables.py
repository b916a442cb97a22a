"""SQLAlchemy 2 table mappings for the commerce core. Only persistence code imports this."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Timezone-aware datetimes stored in UTC on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass a timezone-aware one")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class ExactDecimal(TypeDecorator):
    """NUMERIC(precision, scale) that is exact on every backend; values are Decimal only.

    PostgreSQL stores NUMERIC exactly. SQLite would give the column NUMERIC affinity and
    keep 12.3456 as a float, so there the value is TEXT: the decimal string rounded to the
    scale with ROUND_HALF_UP, as PostgreSQL rounds on insert. Rounding and the range check
    run here on both backends, so both accept and refuse the same values. On SQLite the
    column compares as text: compare and add amounts in Python, never in SQL.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int) -> None:
        super().__init__(precision=precision, scale=scale, asdecimal=True)
        self.precision, self.scale = precision, scale
        self._quantum = Decimal(1).scaleb(-scale)
        self._limit = Decimal(10) ** (precision - scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(self.precision + 2))  # digits, sign, point
        return dialect.type_descriptor(Numeric(self.precision, self.scale, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, Decimal | int):
            # A float cannot say 0.1: the amount must stay Decimal from input to storage.
            raise TypeError(f"{type(value).__name__} is not money, pass a Decimal: {value!r}")
        if not Decimal(value).is_finite():
            raise ValueError(f"not an amount: {value!r}")
        exact = Decimal(value).quantize(self._quantum, rounding=ROUND_HALF_UP)
        if abs(exact) >= self._limit:
            raise ValueError(f"{value} does not fit NUMERIC({self.precision}, {self.scale})")
        return f"{exact:f}" if dialect.name == "sqlite" else exact

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        # str() first: a REAL or INTEGER written before the TEXT storage reads as its digits.
        return Decimal(str(value)).quantize(self._quantum, rounding=ROUND_HALF_UP)


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Money = ExactDecimal(14, 2)
UnitPriceType = ExactDecimal(14, 4)
Rate = ExactDecimal(5, 2)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class ProductRow(Base):
    __tablename__ = "products"

    sku: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    category: Mapped[str] = mapped_column(String(100), index=True)
    unit: Mapped[str] = mapped_column(String(40))
    pack_size: Mapped[int] = mapped_column(Integer, default=1)
    price_ht: Mapped[Decimal] = mapped_column(UnitPriceType)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    aliases: Mapped[str] = mapped_column(Text, default="")  # pipe-separated, as in the CSV
    preorderable: Mapped[bool] = mapped_column(Boolean, default=False)
    min_order_qty: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StockRow(Base):
    __tablename__ = "stock"

    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), primary_key=True)
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    preordered: Mapped[int] = mapped_column(Integer, default=0)
    incoming_qty: Mapped[int] = mapped_column(Integer, default=0)
    incoming_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    alert_threshold: Mapped[int] = mapped_column(Integer, default=0)
    safety_stock: Mapped[int] = mapped_column(Integer, default=0)
    alert_level: Mapped[int] = mapped_column(Integer, default=0)
    # When the ERP took the snapshot we hold: an older snapshot must not overwrite it.
    snapshot_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    # The ERP's own counter for that snapshot, when it sends one: compared before the time.
    snapshot_seq: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    reorder_qty: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # the supplier's usual lot


class ReservationRow(Base):
    __tablename__ = "stock_reservations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    preorder_qty: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))  # "order" | "hold"
    status: Mapped[str] = mapped_column(String(20), default="active", index=True)
    reference: Mapped[str | None] = mapped_column(String(64), nullable=True, index=True)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class StockAlertRow(Base):
    __tablename__ = "stock_alerts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    available: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)


class CustomerRow(Base):
    __tablename__ = "customers"

    customer_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    segment: Mapped[str] = mapped_column(String(100), default="", index=True)
    country: Mapped[str] = mapped_column(String(2), default="FR")
    vat_number: Mapped[str | None] = mapped_column(String(32), nullable=True)
    payment_terms_days: Mapped[int] = mapped_column(Integer, default=30)
    credit_limit: Mapped[Decimal] = mapped_column(Money)
    approval_threshold_ht: Mapped[Decimal | None] = mapped_column(Money, nullable=True)
    approval_categories: Mapped[str] = mapped_column(Text, default="")  # pipe-separated
    sales_rep_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ContactRow(Base):
    __tablename__ = "contacts"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(300))
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.customer_id"), nullable=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    slack_user_id: Mapped[str | None] = mapped_column(String(32), nullable=True, unique=True)
    language: Mapped[str] = mapped_column(String(5), default="fr")
    decision_weight: Mapped[int | None] = mapped_column(Integer, nullable=True)
    budget_release_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    projects: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ConditionRow(Base):
    __tablename__ = "conditions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    customer_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    segment: Mapped[str] = mapped_column(String(100), default="")
    sku: Mapped[str] = mapped_column(String(64), default="")
    category: Mapped[str] = mapped_column(String(100), default="")
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal | None] = mapped_column(UnitPriceType, nullable=True)
    min_qty: Mapped[int] = mapped_column(Integer, default=0)
    starts_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    ends_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    best_price: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class SequenceRow(Base):
    """Document numbering (C-YYYY-NNNN, D-YYYY-NNNN): one row per prefix and year."""

    __tablename__ = "sequences"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    value: Mapped[int] = mapped_column(Integer, default=0)


class OrderRow(Base):
    __tablename__ = "orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    placed_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    on_behalf_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    regime: Mapped[str] = mapped_column(String(16))
    total_ht: Mapped[Decimal] = mapped_column(Money)
    total_vat: Mapped[Decimal] = mapped_column(Money)
    total_ttc: Mapped[Decimal] = mapped_column(Money)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lines: Mapped[list[OrderLineRow]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLineRow.position"
    )


class OrderLineRow(Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    name: Mapped[str] = mapped_column(String(300))
    qty: Mapped[int] = mapped_column(Integer)
    preorder_qty: Mapped[int] = mapped_column(Integer, default=0)
    unit_price_ht: Mapped[Decimal] = mapped_column(UnitPriceType)
    total_ht: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    explain: Mapped[str] = mapped_column(Text, default="")  # newline-separated steps
    shipped_qty: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    invoiced_qty: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    order: Mapped[OrderRow] = relationship(back_populates="lines")


Index("ix_order_lines_sku_order", OrderLineRow.sku, OrderLineRow.order_id)


class QuoteRow(Base):
    __tablename__ = "quotes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[str | None] = mapped_column(
        ForeignKey("customers.customer_id"), nullable=True, index=True
    )
    requested_by: Mapped[str] = mapped_column(String(320))
    status: Mapped[str] = mapped_column(String(20), index=True)
    review_reason: Mapped[str | None] = mapped_column(String(40), nullable=True)
    regime: Mapped[str] = mapped_column(String(16))
    total_ht: Mapped[Decimal] = mapped_column(Money)
    total_vat: Mapped[Decimal] = mapped_column(Money)
    total_ttc: Mapped[Decimal] = mapped_column(Money)
    valid_until: Mapped[date] = mapped_column(Date)
    order_number: Mapped[str | None] = mapped_column(String(20), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lines: Mapped[list[QuoteLineRow]] = relationship(
        back_populates="quote", cascade="all, delete-orphan", order_by="QuoteLineRow.position"
    )


class QuoteLineRow(Base):
    __tablename__ = "quote_lines"
    __table_args__ = (UniqueConstraint("quote_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    name: Mapped[str] = mapped_column(String(300))
    qty: Mapped[int] = mapped_column(Integer)
    unit_price_ht: Mapped[Decimal] = mapped_column(UnitPriceType)
    total_ht: Mapped[Decimal] = mapped_column(Money)
    vat_rate: Mapped[Decimal] = mapped_column(Rate)
    explain: Mapped[str] = mapped_column(Text, default="")
    quote: Mapped[QuoteRow] = relationship(back_populates="lines")


class ApprovalRow(Base):
    """An order waiting for the customer's ordering principal; the first decision wins."""

    __tablename__ = "approval_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_number: Mapped[str] = mapped_column(String(20), unique=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    approver_email: Mapped[str] = mapped_column(String(320))
    requested_by: Mapped[str] = mapped_column(String(320))
    reasons: Mapped[str] = mapped_column(Text, default="")  # reason codes, pipe-separated
    status: Mapped[str] = mapped_column(String(20), index=True)
    decided_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    decided_via: Mapped[str | None] = mapped_column(String(20), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True)
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    remind_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), nullable=True, index=True)
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class LeadRow(Base):
    """A prospect: someone who wrote to us without being a known contact."""

    __tablename__ = "leads"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    name: Mapped[str] = mapped_column(String(300), default="")
    company: Mapped[str] = mapped_column(String(300), default="")
    score: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(20), default="new")
    last_message: Mapped[str] = mapped_column(Text, default="")
    claimed_by: Mapped[str | None] = mapped_column(String(320), nullable=True)
    first_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime())


class LoyaltyTierRow(Base):
    """The distributor's loyalty ladder (empty: the default one of commerce.accounts)."""

    __tablename__ = "loyalty_tiers"

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    threshold_ht: Mapped[Decimal] = mapped_column(Money)
    discount_pct: Mapped[Decimal] = mapped_column(Rate, default=Decimal("0"))
    benefit: Mapped[str] = mapped_column(String(300), default="")
    name_en: Mapped[str] = mapped_column(String(100), default="")
    benefit_en: Mapped[str] = mapped_column(String(300), default="")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SupplyOrderRow(Base):
    """A supplier order: goods on their way, in batches that each have an ETA."""

    __tablename__ = "supply_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), index=True)  # draft | open | received | cancelled
    origin: Mapped[str] = mapped_column(String(20), default="erp")  # erp | alert (a suggestion taken)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lines: Mapped[list[SupplyLineRow]] = relationship(
        back_populates="supply_order", cascade="all, delete-orphan", order_by="SupplyLineRow.id"
    )


class SupplyLineRow(Base):
    __tablename__ = "supply_order_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    supply_order_id: Mapped[int] = mapped_column(ForeignKey("supply_orders.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"), index=True)
    qty: Mapped[int] = mapped_column(Integer)
    received_qty: Mapped[int] = mapped_column(Integer, default=0)
    eta: Mapped[date | None] = mapped_column(Date, nullable=True)
    supply_order: Mapped[SupplyOrderRow] = relationship(back_populates="lines")


class ShipmentRow(Base):
    __tablename__ = "shipments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    carrier: Mapped[str] = mapped_column(String(100), default="")
    tracking: Mapped[str] = mapped_column(String(100), default="")
    shipped_at: Mapped[datetime] = mapped_column(UtcDateTime())
    lines: Mapped[list[ShipmentLineRow]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="ShipmentLineRow.id"
    )


class ShipmentLineRow(Base):
    __tablename__ = "shipment_lines"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    shipment_id: Mapped[int] = mapped_column(ForeignKey("shipments.id", ondelete="CASCADE"), index=True)
    sku: Mapped[str] = mapped_column(ForeignKey("products.sku"))
    qty: Mapped[int] = mapped_column(Integer)
    shipment: Mapped[ShipmentRow] = relationship(back_populates="lines")


class InvoiceRow(Base):
    """An invoice of what was shipped and not yet invoiced; paid and credited as money comes and goes."""

    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.customer_id"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    total_ht: Mapped[Decimal] = mapped_column(Money)
    total_vat: Mapped[Decimal] = mapped_column(Money)
    total_ttc: Mapped[Decimal] = mapped_column(Money)
    paid: Mapped[Decimal] = mapped_column(Money)
    credited: Mapped[Decimal] = mapped_column(Money)
    status: Mapped[str] = mapped_column(String(20), index=True)  # open | paid
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class PaymentRow(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    amount: Mapped[Decimal] = mapped_column(Money)
    paid_on: Mapped[date] = mapped_column(Date)
    reference: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CreditNoteRow(Base):
    """Money back on an invoice, and the goods returned to stock when there are any."""

    __tablename__ = "credit_notes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id", ondelete="CASCADE"), index=True)
    issued_on: Mapped[date] = mapped_column(Date)
    total_ht: Mapped[Decimal] = mapped_column(Money)
    total_vat: Mapped[Decimal] = mapped_column(Money)
    total_ttc: Mapped[Decimal] = mapped_column(Money)
    returned: Mapped[str] = mapped_column(Text, default="")  # "SKU=qty" pipe-separated
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
