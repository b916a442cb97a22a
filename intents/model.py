"""What the parser returns: frozen values, and their DESIGN.md JSON form."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any


class IntentKind(StrEnum):
    PLACE_ORDER = "place_order"
    CHECK_STOCK = "check_stock"
    REQUEST_QUOTE = "request_quote"
    CHECK_ENCOURS = "check_encours"
    QUOTE_STATUS = "quote_status"
    ACCEPT_QUOTE = "accept_quote"
    ORDER_STATUS = "order_status"
    NONE = "none"


LINE_KINDS = frozenset({IntentKind.PLACE_ORDER, IntentKind.CHECK_STOCK, IntentKind.REQUEST_QUOTE})


@dataclass(frozen=True, slots=True)
class IntentLine:
    sku: str | None
    qty: int | None
    text: str
    candidates: tuple[str, ...] = ()
    approximate: bool = False  # the figure said was uncertain ("une trentaine"): confirm it
    issue: str | None = None  # why qty is missing or must be asked: approximate, not_whole, ...
    said: int | None = None  # the figure as said, when it could not be taken as it is


@dataclass(frozen=True, slots=True)
class Intent:
    kind: IntentKind
    lines: tuple[IntentLine, ...] = ()
    ref: str | None = None
    clarify: bool = False
    questions: tuple[str, ...] = ()
    lang: str = "fr"
    on_behalf_of: str | None = None
    discount_pct: Decimal | None = None
    secondary: IntentKind | None = None  # a second request in the same message ("and our balance?")
    confirm: bool = False  # the request is read, but not surely an order: confirm before placing it

    def to_dict(self) -> dict[str, Any]:
        """Exactly the Intent JSON of DESIGN.md."""
        return {
            "intent": self.kind.value,
            "lines": [_line(line) for line in self.lines],
            "ref": self.ref,
            "clarify": self.clarify,
            "questions": list(self.questions),
            "lang": self.lang,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


def _line(line: IntentLine) -> dict[str, Any]:
    out: dict[str, Any] = {"sku": line.sku, "qty": line.qty, "text": line.text}
    if line.sku is None:
        out["candidates"] = list(line.candidates)
    return out
