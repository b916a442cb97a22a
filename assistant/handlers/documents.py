"""Turning orders, quotes and baskets into plain template contexts."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from commerce.persistence.tables import OrderRow, QuoteRow
from commerce.pricing import PricedBasket, format_rate
from commerce.vat import MENTIONS, Regime, summarize


def basket_context(basket: PricedBasket, preorders: dict[str, tuple[int, Any]] | None = None) -> dict[str, Any]:
    preorders = preorders or {}
    return {
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "qty": line.qty,
                "unit_price": line.unit_price_ht,
                "total": line.total_ht,
                "vat_rate": format_rate(line.vat_rate),
                "preorder_qty": preorders.get(line.sku, (0, None))[0],
                "preorder_date": preorders.get(line.sku, (0, None))[1],
                "explain": list(line.explain),
            }
            for line in basket.lines
        ],
        "vat": [{"rate": format_rate(v.rate), "base": v.base_ht, "amount": v.amount} for v in basket.vat.per_rate],
        "total_ht": basket.total_ht,
        "total_vat": basket.total_vat,
        "total_ttc": basket.total_ttc,
        "mention": basket.vat.mention,
    }


def document_context(doc: OrderRow | QuoteRow) -> dict[str, Any]:
    """Lines and VAT of a stored order or quote (VAT per rate rebuilt from its lines)."""
    regime = Regime(doc.regime)
    summary = summarize(((Decimal(ln.total_ht), Decimal(ln.vat_rate).normalize()) for ln in doc.lines), regime)
    preorder = defaultdict(int)
    for line in doc.lines:
        preorder[line.sku] += getattr(line, "preorder_qty", 0) or 0
    return {
        "number": doc.number,
        "status": doc.status,
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "qty": line.qty,
                "unit_price": Decimal(line.unit_price_ht),
                "total": Decimal(line.total_ht),
                "vat_rate": format_rate(Decimal(line.vat_rate)),
                "preorder_qty": preorder[line.sku],
                "preorder_date": None,
                "explain": [s for s in (line.explain or "").split("\n") if s],
            }
            for line in doc.lines
        ],
        "vat": [{"rate": format_rate(v.rate), "base": v.base_ht, "amount": v.amount} for v in summary.per_rate],
        "total_ht": Decimal(doc.total_ht),
        "total_vat": Decimal(doc.total_vat),
        "total_ttc": Decimal(doc.total_ttc),
        "mention": MENTIONS[regime],
    }
