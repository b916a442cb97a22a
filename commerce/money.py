"""Money: Decimal only, and the one place where amounts are rounded.

Rounding rule (French invoicing practice, and DESIGN.md): ROUND_HALF_UP to the cent.
We quantize only at named boundaries, never in between, so that no cent drifts:

- `net_unit_price`: the unit price HT after the customer's conditions, to the cent, so
  that every printed line checks out as unit price x quantity;
- `line_total`: unit price HT x quantity, rounded to the cent (a line as printed);
- `vat_amount`: VAT of one rate, computed on the *sum* of the line totals of that rate;
- document totals are sums of already-rounded parts, so they need no rounding at all.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from commerce.errors import CommerceError, ErrorCode

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Parse an amount. Floats are refused: they cannot say 0.1 exactly."""
    if isinstance(value, float):
        raise CommerceError(ErrorCode.FLOAT_MONEY, f"float is not money: {value!r}")
    if isinstance(value, bool):
        raise CommerceError(ErrorCode.BAD_AMOUNT, f"not an amount: {value!r}")
    if isinstance(value, Decimal):
        result = value
    else:
        text = str(value).strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
        try:
            result = Decimal(text)
        except InvalidOperation:
            raise CommerceError(ErrorCode.BAD_AMOUNT, f"not an amount: {value!r}") from None
    if not result.is_finite():
        raise CommerceError(ErrorCode.BAD_AMOUNT, f"not an amount: {value!r}")
    return result


def round_cent(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def net_unit_price(amount: Decimal) -> Decimal:
    return round_cent(amount)


def line_total(unit_price_ht: Decimal, qty: int) -> Decimal:
    return round_cent(unit_price_ht * qty)


def vat_amount(base_ht: Decimal, rate_pct: Decimal) -> Decimal:
    return round_cent(base_ht * rate_pct / HUNDRED)


def apply_discount(price: Decimal, pct: Decimal) -> Decimal:
    return net_unit_price(price * (HUNDRED - pct) / HUNDRED)


def fmt(amount: Decimal) -> str:
    """The JSON form of an amount: a string with exactly two decimals."""
    return f"{round_cent(amount):.2f}"
