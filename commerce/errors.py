"""One root error for the commerce package; every error carries a stable code.

Wording for people lives in templates (in the buyer's language); `str(error)` is the
admin/CLI wording in English.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    UNKNOWN_PRODUCT = "unknown_product"
    UNKNOWN_CUSTOMER = "unknown_customer"
    PRODUCT_NOT_VISIBLE = "product_not_visible"
    BAD_QUANTITY = "bad_quantity"
    BELOW_MIN_ORDER_QTY = "below_min_order_qty"
    QUANTITY_LIMIT = "quantity_limit"
    INSUFFICIENT_STOCK = "insufficient_stock"
    FLOAT_MONEY = "float_money"
    BAD_AMOUNT = "bad_amount"
    BAD_VAT_RATE = "bad_vat_rate"
    BAD_PAYMENT_TERMS = "bad_payment_terms"
    CONFLICTING_CONDITIONS = "conflicting_conditions"
    ILLEGAL_TRANSITION = "illegal_transition"
    IMPORT_REJECTED = "import_rejected"
    STALE_SNAPSHOT = "stale_snapshot"
    UNKNOWN_CONDITION = "unknown_condition"
    BAD_DATE = "bad_date"
    DUPLICATE = "duplicate"
    UNKNOWN_DOCUMENT = "unknown_document"
    OVERPAYMENT = "overpayment"


class CommerceError(Exception):
    """Root of every error raised by `commerce`."""

    code: ErrorCode

    def __init__(self, code: ErrorCode, message: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        self.details = details


class UnknownProduct(CommerceError):
    def __init__(self, sku: str) -> None:
        super().__init__(ErrorCode.UNKNOWN_PRODUCT, f"unknown SKU: {sku}", sku=sku)


class UnknownCustomer(CommerceError):
    def __init__(self, customer_id: str) -> None:
        super().__init__(
            ErrorCode.UNKNOWN_CUSTOMER, f"unknown customer: {customer_id}", customer_id=customer_id
        )


class ProductNotVisible(CommerceError):
    """Raised as an unknown product would be: a hidden product does not exist for them."""

    def __init__(self, sku: str) -> None:
        super().__init__(ErrorCode.PRODUCT_NOT_VISIBLE, f"unknown SKU: {sku}", sku=sku)


class IllegalTransition(CommerceError):
    def __init__(self, kind: str, current: str, target: str) -> None:
        super().__init__(
            ErrorCode.ILLEGAL_TRANSITION,
            f"{kind} cannot go from {current} to {target}",
            current=current,
            target=target,
        )
