"""'Pourquoi ce prix ?' / 'why this price?': the chain of rules behind a price, in the person's language.

Asked by a buyer about their own prices, or by a sales rep about a customer they name. The
product is the one the message names, else the lines of the customer's latest quote; the
answer walks the same steps the pricing took (list price, net price rule, discount), each
rule said by whom and what it covers, so that a buyer can check it and a rep can defend it.
"""

from __future__ import annotations

import re

from assistant.context import HandlerContext
from commerce.conditions import Condition
from commerce.customers import Customer
from commerce.days import local_day
from commerce.persistence import catalog_store, quotes_store

ASKS = re.compile(
    r"\bpourquoi\s+(?:ce|le|un tel|cet|ces|les)\s+prix\b|\bcomment\s+(?:est\s+)?calcul\w*\s+(?:ce|le|mon|votre)\s+prix\b"
    r"|\bd'o[uù]\s+vient\s+(?:ce|le)\s+prix\b|\bexpliqu\w*\s+(?:ce|le|mon)\s+prix\b"
    r"|\bwhy\s+(?:this|that|the|these|such a)\s+prices?\b|\bhow\s+(?:is|was)\s+(?:this|that|the)\s+price\s+"
    r"(?:calculated|computed|made|worked out)\b|\bexplain\s+(?:this|that|the|my|our)\s+price\b",
    re.I,
)


def asks_why_price(text: str) -> bool:
    return bool(ASKS.search(text or ""))


def explain_prices(ctx: HandlerContext, customer: Customer, wanted: list[tuple[str, int | None]]) -> None:
    session = ctx.session
    if not wanted:
        quote = quotes_store.latest_quote(session, customer.customer_id)
        wanted = [(line.sku, line.qty) for line in quote.lines] if quote is not None else []
    terms = catalog_store.terms_for(session, customer, local_day(ctx.now))
    products = catalog_store.get_products(session, (sku for sku, _ in wanted))
    lines = []
    for sku, qty in wanted:
        product = products.get(sku)
        if product is None or not terms.visibility(product).allowed:
            continue
        price = terms.unit_price(product, qty or 1)
        discount = price.discount_rule
        lines.append({
            "sku": sku, "name": product.name, "qty": qty, "list_price": price.list_price,
            "unit_price": price.unit_price_ht,
            "net": _rule(price.price_rule, customer) if price.price_rule is not None else None,
            "discount": _rule(discount, customer) if discount is not None else None,
            "outranked": _rule(price.outranked_discount, customer) if price.outranked_discount else None,
            "loyalty": {"name": price.loyalty.name_in(ctx.lang), "pct": price.loyalty.discount_pct}
            if price.loyalty is not None else None,
        })
    if not lines:
        ctx.reply("price_which", customer=customer.name)
        return
    ctx.reply("price_explained", customer=customer.name, lines=lines)


def _rule(rule: Condition, customer: Customer) -> dict:
    """A rule as the answer says it: its value, whom and what it covers, from what quantity, when."""
    return {"value": rule.value, "own": rule.customer_id == customer.customer_id, "segment": rule.segment,
            "sku": rule.sku, "category": rule.category, "min_qty": rule.min_qty if rule.min_qty > 1 else None,
            "starts_on": rule.starts_on, "ends_on": rule.ends_on}
