"""Parsing of CSV cell values; each parser raises ValueError with a reason for the report."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from commerce.errors import CommerceError
from commerce.money import to_decimal

TRUE_WORDS = {"true", "1", "yes", "y", "oui", "o", "vrai", "x"}
FALSE_WORDS = {"false", "0", "no", "n", "non", "faux", ""}
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
THOUSANDS = re.compile(r"^[+-]?[1-9]\d{0,2}(?:,\d{3})+$")  # "1,234", "12,500,000"


def text(row: dict[str, str | None], column: str) -> str:
    return (row.get(column) or "").strip()


def required(row: dict[str, str | None], column: str) -> str:
    value = text(row, column)
    if not value:
        raise ValueError(f"{column} is empty")
    return value


def integer(row: dict[str, str | None], column: str, *, default: int | None = None, minimum: int = 0) -> int:
    raw = text(row, column).replace("\u00a0", "").replace(" ", "")
    if not raw:
        if default is None:
            raise ValueError(f"{column} is empty")
        return default
    if not re.fullmatch(r"[+-]?\d+", raw):
        raise ValueError(f"{column} is not a whole number: {raw!r}")
    value = int(raw)
    if value < minimum:
        raise ValueError(f"{column} must be at least {minimum}: {value}")
    return value


def amount(row: dict[str, str | None], column: str, *, optional: bool = False) -> Decimal | None:
    raw = re.sub(r"\s*(?:€|eur|euros?)\s*$", "", text(row, column), flags=re.I)
    if not raw:
        if optional:
            return None
        raise ValueError(f"{column} is empty")
    if THOUSANDS.match(raw):
        # "1,234" is 1234 to an English spreadsheet and 1,234 to a French one: refused, not guessed
        raise ValueError(f"{column} {raw!r} looks like a thousands separator: write 1234 or 1.234")
    try:
        value = to_decimal(raw)
    except CommerceError:
        raise ValueError(f"{column} is not an amount: {raw!r}") from None
    if value < 0:
        raise ValueError(f"{column} is negative: {raw}")
    return value


def boolean(row: dict[str, str | None], column: str) -> bool:
    raw = text(row, column).lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise ValueError(f"{column} is not true/false: {raw!r}")


def iso_date(row: dict[str, str | None], column: str) -> date | None:
    raw = text(row, column)
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise ValueError(f"{column} is not an ISO date (YYYY-MM-DD): {raw!r}") from None


def email(row: dict[str, str | None], column: str) -> str:
    value = required(row, column).lower()
    if not EMAIL.match(value):
        raise ValueError(f"{column} is not an email address: {value!r}")
    return value
