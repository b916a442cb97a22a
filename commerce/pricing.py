"""Price a basket for one customer: lines HT, VAT per rate, totals, and why each price."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from commerce.catalog import Product
from commerce.conditions import CustomerTerms
from commerce.errors import CommerceError, ErrorCode, ProductNotVisible, UnknownProduct
from commerce.money import fmt, line_total
from commerce.vat import VatSummary, summarize


@dataclass(frozen=True, slots=True)
class BasketLine:
    sku: str
    qty: int


@dataclass(frozen=True, slots=True)
class PricedLine:
    sku: str
    name: str
    qty: int
    unit_price_ht: Decimal
    list_price_ht: Decimal
    total_ht: Decimal
    vat_rate: Decimal
    explain: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PricedBasket:
    customer_id: str
    lines: tuple[PricedLine, ...]
    vat: VatSummary

    @property
    def total_ht(self) -> Decimal:
        return self.vat.total_ht

    @property
    def total_vat(self) -> Decimal:
        return self.vat.total_vat

    @property
    def total_ttc(self) -> Decimal:
        return self.vat.total_ttc

    def to_dict(self) -> dict:
        """The `comptoir price --json` shape of DESIGN.md."""
        return {
            "customer": self.customer_id,
            "regime": self.vat.regime.value,
            "mention": self.vat.mention,
            "lines": [
                {
                    "sku": line.sku,
                    "qty": line.qty,
                    "unit_price_ht": fmt(line.unit_price_ht),
                    "total_ht": fmt(line.total_ht),
                    "vat_rate": format_rate(line.vat_rate),
                    "explain": list(line.explain),
                }
                for line in self.lines
            ],
            "vat": [
                {"rate": format_rate(v.rate), "base_ht": fmt(v.base_ht), "amount": fmt(v.amount)}
                for v in self.vat.per_rate
            ],
            "total_ht": fmt(self.total_ht),
            "total_vat": fmt(self.total_vat),
            "total_ttc": fmt(self.total_ttc),
        }


def format_rate(rate: Decimal) -> str:
    """`20`, `5.5`, `2.1`: a VAT rate as people write it."""
    return f"{rate.normalize():f}"


def check_quantity(qty: int) -> int:
    if isinstance(qty, bool) or not isinstance(qty, int) or qty <= 0:
        raise CommerceError(ErrorCode.BAD_QUANTITY, f"quantity must be a positive integer: {qty!r}")
    return qty


def price_line(terms: CustomerTerms, product: Product, qty: int) -> PricedLine:
    check_quantity(qty)
    if not terms.visibility(product).allowed:
        raise ProductNotVisible(product.sku)
    unit = terms.unit_price(product, qty)
    return PricedLine(
        sku=product.sku,
        name=product.name,
        qty=qty,
        unit_price_ht=unit.unit_price_ht,
        list_price_ht=unit.list_price,
        total_ht=line_total(unit.unit_price_ht, qty),
        vat_rate=product.vat_rate,
        explain=unit.explain,
    )


def price_basket(
    terms: CustomerTerms, products: Mapping[str, Product], lines: Sequence[BasketLine]
) -> PricedBasket:
    priced = []
    for line in lines:
        product = products.get(line.sku)
        if product is None:
            raise UnknownProduct(line.sku)
        priced.append(price_line(terms, product, line.qty))
    vat = summarize(((p.total_ht, p.vat_rate) for p in priced), terms.customer.regime)
    return PricedBasket(terms.customer.customer_id, tuple(priced), vat)
