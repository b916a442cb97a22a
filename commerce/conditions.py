"""Commercial conditions and how they resolve for one customer.

A condition targets *who* (a customer, a segment, or everyone) and *what* (a SKU, a
category, or every product), may need a minimum quantity, and may be bounded by dates.

Precedence (documented in README.md, "Commercial conditions"):
- specificity is compared as (who, what, dated): customer > segment > everyone, then
  SKU > category > all products, then a dated rule (a promotion) over an undated one;
- among equally specific rules of one kind, the highest `min_qty` reached wins
  (quantity breaks);
- `price_ht` sets a net price; `discount_pct` applies to the list price, or on top of the
  net price when the discount rule is strictly more specific than the price rule
  (a customer's own discount on top of a segment price list); one discount at most;
- visibility: `hidden` denies the products it covers; `visible_only` allows the products
  it covers and denies the others at the same "who" level; the most specific decision
  wins and a tie denies;
- `max_qty` caps the quantity a customer orders of the covered products, cumulated over
  the rule's date window (calendar month when undated).
Two equally specific rules of one kind that overlap in time and disagree are refused
at import (`find_conflicts`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import combinations

from commerce.accounts import LoyaltyTier
from commerce.catalog import Product
from commerce.customers import Customer
from commerce.money import apply_discount, fmt, net_unit_price


class ConditionKind(StrEnum):
    PRICE_HT = "price_ht"
    DISCOUNT_PCT = "discount_pct"
    HIDDEN = "hidden"
    VISIBLE_ONLY = "visible_only"
    MAX_QTY = "max_qty"


VISIBILITY_KINDS = frozenset({ConditionKind.HIDDEN, ConditionKind.VISIBLE_ONLY})


@dataclass(frozen=True, slots=True)
class Condition:
    kind: ConditionKind
    value: Decimal | None = None
    customer_id: str | None = None
    segment: str | None = None
    sku: str | None = None
    category: str | None = None
    min_qty: int = 0
    starts_on: date | None = None
    ends_on: date | None = None
    rule_id: int | None = None
    best_price: bool = False  # a price or discount that wins when it is lower, however specific the others

    @property
    def who_rank(self) -> int:
        return 2 if self.customer_id else 1 if self.segment else 0

    @property
    def what_rank(self) -> int:
        return 2 if self.sku else 1 if self.category else 0

    @property
    def dated(self) -> bool:
        return self.starts_on is not None or self.ends_on is not None

    @property
    def specificity(self) -> tuple[int, int, int]:
        return (self.who_rank, self.what_rank, int(self.dated))

    def targets(self, customer: Customer) -> bool:
        if self.customer_id:
            return self.customer_id == customer.customer_id
        if self.segment:
            return self.segment == customer.segment
        return True

    def covers(self, product: Product) -> bool:
        if self.sku:
            return self.sku == product.sku
        if self.category:
            return self.category == product.category
        return True

    def active_on(self, day: date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or day <= self.ends_on
        )

    def overlaps(self, other: Condition) -> bool:
        lo = max(self.starts_on or date.min, other.starts_on or date.min)
        hi = min(self.ends_on or date.max, other.ends_on or date.max)
        return lo <= hi

    def window(self, day: date) -> tuple[date, date]:
        """The period a `max_qty` counts over: its dates, else the calendar month of `day`."""
        if self.dated:
            return (self.starts_on or date.min, self.ends_on or date.max)
        last = calendar.monthrange(day.year, day.month)[1]
        return (day.replace(day=1), day.replace(day=last))

    def scope(self) -> str:
        who = (
            f"customer {self.customer_id}"
            if self.customer_id
            else f"segment {self.segment}"
            if self.segment
            else "everyone"
        )
        what = (
            f"SKU {self.sku}"
            if self.sku
            else f"category {self.category}"
            if self.category
            else "all products"
        )
        parts = [who, what]
        if self.min_qty > 1:
            parts.append(f"from {self.min_qty} units")
        if self.dated:
            parts.append(f"{self.starts_on or '…'} to {self.ends_on or '…'}")
        return ", ".join(parts)

    def identity(self) -> tuple:
        """What makes two rows the same rule (re-importing it updates its value)."""
        return (
            self.kind,
            self.customer_id or "",
            self.segment or "",
            self.sku or "",
            self.category or "",
            self.min_qty,
            self.starts_on,
            self.ends_on,
        )


def _family(kind: ConditionKind) -> str:
    return "visibility" if kind in VISIBILITY_KINDS else kind.value


def find_conflicts(conditions: Iterable[Condition]) -> list[tuple[Condition, Condition]]:
    """Pairs of equally specific rules that overlap in time and disagree."""
    groups: dict[tuple, list[Condition]] = {}
    for cond in conditions:
        key = (
            _family(cond.kind),
            cond.customer_id or "",
            cond.segment or "",
            cond.sku or "",
            cond.category or "",
            cond.min_qty if cond.kind not in VISIBILITY_KINDS else 0,
            cond.dated,
        )
        groups.setdefault(key, []).append(cond)
    conflicts = []
    for group in groups.values():
        for a, b in combinations(group, 2):
            if a.overlaps(b) and (a.kind, a.value) != (b.kind, b.value):
                conflicts.append((a, b))
    return conflicts


@dataclass(frozen=True, slots=True)
class Visibility:
    allowed: bool
    reason: str  # a reason code: "default", "hidden", "visible_only", "not_in_visible_only"
    rule: Condition | None = None


@dataclass(frozen=True, slots=True)
class UnitPrice:
    list_price: Decimal
    unit_price_ht: Decimal
    explain: tuple[str, ...]
    price_rule: Condition | None = None
    discount_rule: Condition | None = None
    outranked_discount: Condition | None = None  # a discount the net price was at least as specific as
    loyalty: LoyaltyTier | None = None  # the tier whose discount was applied last


def _best(rules: Sequence[Condition], qty: int | None = None) -> Condition | None:
    eligible = [r for r in rules if qty is None or r.min_qty <= qty]
    if not eligible:
        return None
    return max(eligible, key=lambda r: (r.specificity, r.min_qty))


class CustomerTerms:
    """The conditions of one customer on one day: the strategy every check goes through."""

    def __init__(self, customer: Customer, conditions: Iterable[Condition], day: date, *,
                 loyalty: LoyaltyTier | None = None) -> None:
        self.customer = customer
        self.day = day
        self.loyalty = loyalty  # its discount, if any, applies on top of every net price
        self._by_kind: dict[ConditionKind, list[Condition]] = {k: [] for k in ConditionKind}
        # Indexed by what they cover, so a 500-line basket does not scan every rule per line.
        self._index: dict[tuple[ConditionKind, str, str], list[Condition]] = {}
        for cond in conditions:
            if cond.targets(customer) and cond.active_on(day):
                self._by_kind[cond.kind].append(cond)
                key = (cond.kind, "sku" if cond.sku else "cat" if cond.category else "all",
                       cond.sku or cond.category or "")
                self._index.setdefault(key, []).append(cond)

    def _covering(self, kind: ConditionKind, product: Product) -> list[Condition]:
        empty: list[Condition] = []
        return [
            *self._index.get((kind, "sku", product.sku), empty),
            *self._index.get((kind, "cat", product.category), empty),
            *self._index.get((kind, "all", ""), empty),
        ]

    def visibility(self, product: Product) -> Visibility:
        if not product.active:
            return Visibility(False, "inactive")
        decisions: list[tuple[tuple[int, int, int], bool, str, Condition]] = []
        for rule in self._covering(ConditionKind.HIDDEN, product):
            decisions.append((rule.specificity, False, "hidden", rule))
        allow_lists = self._by_kind[ConditionKind.VISIBLE_ONLY]
        for rule in allow_lists:
            if rule.covers(product):
                decisions.append((rule.specificity, True, "visible_only", rule))
            else:
                # An allow-list denies what it does not list, below any explicit rule.
                decisions.append(((rule.who_rank, -1, int(rule.dated)), False, "not_in_visible_only", rule))
        if not decisions:
            return Visibility(True, "default")
        top = max(d[0] for d in decisions)
        winners = [d for d in decisions if d[0] == top]
        allowed = all(d[1] for d in winners)  # a tie between allow and deny denies
        if allowed:
            return Visibility(True, winners[0][2], winners[0][3])
        denial = next(d for d in winners if not d[1])
        return Visibility(False, denial[2], denial[3])

    def unit_price(self, product: Product, qty: int) -> UnitPrice:
        list_price = net_unit_price(product.price_ht)
        steps = [f"list price {fmt(list_price)}"]
        price_rule = _best(self._covering(ConditionKind.PRICE_HT, product), qty)
        discount_rule = _best(self._covering(ConditionKind.DISCOUNT_PCT, product), qty)
        price = list_price
        if price_rule is not None and price_rule.value is not None:
            price = net_unit_price(price_rule.value)
            steps.append(f"net price {fmt(price)} ({price_rule.scope()})")
        if discount_rule is not None and discount_rule.value is not None:
            if price_rule is None or discount_rule.specificity > price_rule.specificity:
                price = apply_discount(price, discount_rule.value)
                steps.append(
                    f"discount {discount_rule.value.normalize():f} % ({discount_rule.scope()})"
                    f" -> {fmt(price)}"
                )
            else:
                steps.append(
                    f"discount {discount_rule.value.normalize():f} % not applied: the net price is "
                    f"at least as specific ({discount_rule.scope()})"
                )
                return self._loyal(self._best_price(product, qty, UnitPrice(list_price, price, tuple(steps),
                                                                            price_rule, None, discount_rule)))
        return self._loyal(self._best_price(product, qty, UnitPrice(list_price, price, tuple(steps), price_rule,
                                                                    discount_rule)))

    def _loyal(self, found: UnitPrice) -> UnitPrice:
        """The loyalty tier's discount, on top of the price the rules made."""
        tier = self.loyalty
        if tier is None or not tier.discount_pct:
            return found
        price = apply_discount(found.unit_price_ht, tier.discount_pct)
        step = f"loyalty {tier.name_in('en')} {tier.discount_pct.normalize():f} % -> {fmt(price)}"
        return UnitPrice(found.list_price, price, (*found.explain, step), found.price_rule, found.discount_rule,
                         found.outranked_discount, tier)

    def _best_price(self, product: Product, qty: int, found: UnitPrice) -> UnitPrice:
        """A rule marked best_price wins when it gives less than the most specific rules did."""
        best = found
        for rule in self._covering(ConditionKind.PRICE_HT, product) + self._covering(ConditionKind.DISCOUNT_PCT,
                                                                                    product):
            if not rule.best_price or rule.value is None or rule.min_qty > qty:
                continue
            if rule.kind is ConditionKind.PRICE_HT:
                price, step = net_unit_price(rule.value), f"net price {fmt(net_unit_price(rule.value))}"
            else:
                price = apply_discount(found.list_price, rule.value)
                step = f"discount {rule.value.normalize():f} % on the list price -> {fmt(price)}"
            if price < best.unit_price_ht:
                steps = (*found.explain, f"best price: {step} ({rule.scope()}) is lower and wins")
                best = UnitPrice(found.list_price, price, steps,
                                 rule if rule.kind is ConditionKind.PRICE_HT else None,
                                 rule if rule.kind is ConditionKind.DISCOUNT_PCT else None)
        return best

    def quantity_limit(self, product: Product) -> Condition | None:
        return _best(self._covering(ConditionKind.MAX_QTY, product))
