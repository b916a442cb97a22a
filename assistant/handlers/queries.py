"""Questions that change nothing: stock, account, order and quote status."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from assistant.context import HandlerContext
from assistant.handlers.documents import document_context
from commerce.customers import Customer
from commerce.days import local_day
from commerce.persistence import (
    catalog_store,
    fulfilment_store,
    orders_store,
    quotes_store,
    stock_store,
)
from commerce.persistence.tables import OrderRow
from commerce.quotes import is_expired
from commerce.services import account_summary
from commerce.stock import split_availability


def check_stock(ctx: HandlerContext, customer: Customer | None, lines: list[tuple[str, int | None, str]]) -> None:
    """Per line: what ships now, what can be pre-ordered and when. Hidden = unknown."""
    session, today = ctx.session, local_day(ctx.now)
    terms = catalog_store.terms_for(session, customer, today) if customer else None
    products = catalog_store.get_products(session, (sku for sku, _, _ in lines))
    answers, unknown = [], []
    for sku, qty, text in lines:
        product = products.get(sku)
        if product is None or (terms is not None and not terms.visibility(product).allowed):
            unknown.append(text or sku)
            continue
        figures = stock_store.figures(session, sku)
        limit_left = None
        if terms is not None:
            rule = terms.quantity_limit(product)
            if rule is not None and rule.value is not None:
                used = orders_store.ordered_quantity(session, customer.customer_id, rule, rule.window(today))
                limit_left = max(0, int(rule.value) - used)
        asked = qty or 0
        split = split_availability(figures, asked, preorderable=product.preorderable, today=today) if asked else None
        answers.append({
            "sku": sku, "name": product.name, "unit": product.unit, "asked": qty,
            "available": max(0, figures.available), "incoming": figures.incoming_free,
            "incoming_date": (split.preorder_date if split and split.preorder else figures.incoming_date),
            "preorderable": product.preorderable,
            "now": split.ship_now if split else None, "preorder": split.preorder if split else None,
            "missing": split.missing if split else None, "limit_left": limit_left,
            "min_order_qty": product.min_order_qty,
        })
    ctx.reply("stock_answer", answers=answers, unknown=unknown, prospect=customer is None)


def check_encours(ctx: HandlerContext, customer: Customer) -> None:
    today = local_day(ctx.now)
    summary = account_summary(ctx.session, customer.customer_id, today)
    invoices = [{"number": inv.number, "order": ctx.session.get(OrderRow, inv.order_id).number,
                 "issued_on": inv.issued_on, "due_on": inv.due_on, "balance": fulfilment_store.balance(inv),
                 "overdue": inv.due_on < today}
                for inv in fulfilment_store.open_invoices(ctx.session, customer.customer_id)]
    overdue = sum((i["balance"] for i in invoices if i["overdue"]), Decimal("0.00"))
    ctx.reply("encours", customer=customer.name, invoices=invoices, overdue=overdue, encours=summary.encours, credit_limit=summary.credit_limit,
              headroom=max(summary.credit_limit - summary.encours, 0), terms=summary.payment_terms_days,
              ytd=summary.ytd_purchases_ht, tier=summary.tier.name_in(ctx.lang), benefit=summary.tier.benefit_in(ctx.lang),
              next_tier=summary.next_tier.name_in(ctx.lang) if summary.next_tier else None,
              next_benefit=summary.next_tier.benefit_in(ctx.lang) if summary.next_tier else None,
              to_next=summary.to_next_tier_ht)


def order_status(ctx: HandlerContext, customer: Customer, ref: str | None) -> None:
    session = ctx.session
    if ref:
        order = orders_store.get_order(session, ref)
        if order is None or order.customer_id != customer.customer_id:
            ctx.reply("not_found", ref=ref)
            return
        orders = [order]
    else:
        orders = list(session.scalars(
            select(OrderRow).where(OrderRow.customer_id == customer.customer_id)
            .order_by(OrderRow.id.desc()).limit(3)))
        if not orders:
            ctx.reply("not_found", ref=None)
            return
    ctx.reply("order_status", orders=[_followed(session, o) for o in orders])


def _followed(session, order: OrderRow) -> dict:
    """An order as the buyer follows it: its lines, what left, when, with whom."""
    context = document_context(order)
    shipped = {line.sku: line.shipped_qty for line in order.lines}
    for line in context["lines"]:
        line["shipped"] = shipped.get(line["sku"], 0)
    return {**context, "created_at": order.created_at, "shipments": [
        {"shipped_at": s.shipped_at, "carrier": s.carrier, "tracking": s.tracking,
         "lines": [{"sku": ln.sku, "qty": ln.qty} for ln in s.lines]}
        for s in fulfilment_store.shipments(session, order.id)]}


def quote_status(ctx: HandlerContext, customer: Customer, ref: str | None) -> None:
    session = ctx.session
    quote = quotes_store.get_quote(session, ref) if ref else quotes_store.latest_quote(session, customer.customer_id)
    if quote is None or quote.customer_id != customer.customer_id:
        ctx.reply("not_found", ref=ref)
        return
    expired = quote.status == "sent" and is_expired(quote.valid_until, local_day(ctx.now))
    if expired:
        quotes_store.set_quote_status(session, quote, "expired", now=ctx.now)
    ctx.reply("quote_status", **document_context(quote), valid_until=quote.valid_until,
              order_number=quote.order_number)
