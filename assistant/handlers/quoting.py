"""request_quote and accept_quote."""

from __future__ import annotations

from decimal import Decimal

from assistant.context import HandlerContext
from assistant.handlers.documents import document_context
from assistant.handlers.ordering import WantedLine, merge_lines, place_order
from assistant.messages import Reply
from commerce.customers import Contact, Customer
from commerce.days import local_day
from commerce.errors import ErrorCode
from commerce.persistence import catalog_store, quotes_store, stock_store
from commerce.pricing import BasketLine, PricedLine, price_basket
from commerce.quotes import QuotePolicy, is_expired, review_reason, valid_until
from commerce.services import order_line_issues
from commerce.statuses import QuoteStatus
from commerce.stock import split_availability


def policy(ctx: HandlerContext) -> QuotePolicy:
    return QuotePolicy(validity_days=ctx.settings.quote_validity_days,
                       review_threshold_ht=Decimal(ctx.settings.quote_review_threshold_ht))


def request_quote(ctx: HandlerContext, customer: Customer, lines: list[WantedLine], *, requested_by: Contact) -> str | None:
    session, today = ctx.session, local_day(ctx.now)
    lines = merge_lines(lines)
    terms = catalog_store.terms_for(session, customer, today)
    products = catalog_store.get_products(session, (ln.sku for ln in lines))
    unknown = [ln for ln in lines if ln.sku not in products or not terms.visibility(products[ln.sku]).allowed]
    if unknown:
        ctx.reply("order_adjust", unknown=[ln.text or ln.sku for ln in unknown], adjustments=[], proposal=[])
        return None
    # the checks of an order: a quote promises only what could be ordered (the minimum, what the
    # period's limit leaves), and says what it changed
    adjusted = quoted_quantities(session, terms, products, lines)
    lines = [WantedLine(ln.sku, qty, ln.text) for ln, (qty, _) in zip(lines, adjusted, strict=True) if qty]
    adjustments = [note for _, note in adjusted if note]
    if not lines:
        ctx.reply("order_adjust", unknown=[], adjustments=adjustments, proposal=[])
        return None
    basket = price_basket(terms, products, [BasketLine(ln.sku, ln.qty) for ln in lines])
    rules = policy(ctx)
    reason = review_reason(rules, customer, basket, products)
    status = QuoteStatus.TO_REVIEW if reason else QuoteStatus.SENT
    quote = quotes_store.create_quote(session, basket, requested_by=requested_by.email, status=status.value,
                                      valid_until=valid_until(rules, today), now=ctx.now, review_reason=reason)
    doc = {**document_context(quote), "valid_until": quote.valid_until, "customer": customer.name,
           "availability": quote_availability(session, products, lines), "adjustments": adjustments}
    ctx.audit("quote_created", reference=quote.number, customer_id=customer.customer_id, status=status.value,
              review_reason=reason)
    if reason:
        ctx.reply("quote_in_review", **doc, reason=reason)
        rep = catalog_store.get_contact(session, customer.sales_rep_email) if customer.sales_rep_email else None
        if rep is not None:
            ctx.speaker.notify(rep, Reply("rep_quote_review", {"name": rep.name, "reason": reason,
                                                               "requested_by": requested_by.name, **doc}),
                               kind="rep_quote_review")
    else:
        ctx.reply("quote_sent", **doc)
    return quote.number


def quoted_quantities(session, terms, products: dict, lines: list[WantedLine]) -> list[tuple[int, dict | None]]:
    """Each line's quantity as it could be ordered, with a note when it is not the one asked."""
    issues = {i.sku: i for i in order_line_issues(session, terms, [BasketLine(ln.sku, ln.qty) for ln in lines])}
    out: list[tuple[int, dict | None]] = []
    for line in lines:
        issue, product = issues.get(line.sku), products[line.sku]
        if issue is None or issue.allowed is None:
            out.append((line.qty, None))
            continue
        code = "min_order_qty" if issue.code is ErrorCode.BELOW_MIN_ORDER_QTY else "quantity_limit"
        out.append((issue.allowed, {"sku": line.sku, "name": product.name, "asked": line.qty, "code": code,
                                    "allowed": issue.allowed, "unit": product.unit}))
    return out


def quote_availability(session, products: dict, lines: list[WantedLine]) -> list[dict]:
    """The lines a quote promises beyond today's stock, said when it is issued: what ships
    now, what would be pre-ordered and when, what cannot be supplied."""
    out = []
    for line in lines:
        product = products.get(line.sku)
        if product is None or not line.qty:
            continue
        split = split_availability(stock_store.figures(session, line.sku), line.qty, preorderable=product.preorderable)
        if split.ship_now < line.qty:
            out.append({"sku": line.sku, "name": product.name, "asked": line.qty, "ship_now": split.ship_now,
                        "preorder": split.preorder, "preorder_date": split.preorder_date, "missing": split.missing})
    return out


def release_reviewed_quote(ctx: HandlerContext, ref: str) -> None:
    """A sales rep validates a quote in review: it is sent to the customer."""
    quote = quotes_store.get_quote(ctx.session, ref)
    if quote is None or quote.status != QuoteStatus.TO_REVIEW.value:
        ctx.reply("not_found", ref=ref)
        return
    quotes_store.set_quote_status(ctx.session, quote, QuoteStatus.SENT.value, now=ctx.now)
    requester = catalog_store.get_contact(ctx.session, quote.requested_by)
    doc = {**document_context(quote), "valid_until": quote.valid_until, "customer": quote.customer_id}
    if requester is not None:
        ctx.speaker.notify(requester, Reply("quote_sent", {"name": requester.name, **doc}), kind="quote_sent")
    ctx.audit("quote_released", reference=quote.number, customer_id=quote.customer_id)
    ctx.reply("rep_done", ref=quote.number)


def accept_quote(ctx: HandlerContext, customer: Customer, ref: str | None, *, placed_by: Contact) -> None:
    session, today = ctx.session, local_day(ctx.now)
    quote = quotes_store.get_quote(session, ref) if ref else quotes_store.latest_quote(session, customer.customer_id)
    if quote is None or quote.customer_id != customer.customer_id:
        ctx.reply("not_found", ref=ref)
        return
    if quote.status == QuoteStatus.ACCEPTED.value:
        ctx.reply("quote_status", **document_context(quote), valid_until=quote.valid_until,
                  order_number=quote.order_number)
        return
    if quote.status == QuoteStatus.SENT.value and is_expired(quote.valid_until, today):
        quotes_store.set_quote_status(session, quote, QuoteStatus.EXPIRED.value, now=ctx.now)
    if quote.status == QuoteStatus.EXPIRED.value:
        ctx.audit("quote_acceptance_refused_expired", reference=quote.number, customer_id=customer.customer_id)
        ctx.reply("quote_expired", number=quote.number, valid_until=quote.valid_until)
        request_quote(ctx, customer, [WantedLine(ln.sku, ln.qty) for ln in quote.lines], requested_by=placed_by)
        return
    if quote.status != QuoteStatus.SENT.value:
        ctx.reply("quote_status", **document_context(quote), valid_until=quote.valid_until,
                  order_number=quote.order_number)
        return
    prices = {
        ln.sku: PricedLine(sku=ln.sku, name=ln.name, qty=ln.qty, unit_price_ht=ln.unit_price_ht,
                          list_price_ht=ln.unit_price_ht, total_ht=ln.total_ht, vat_rate=ln.vat_rate,
                          explain=(*[s for s in (ln.explain or "").split("\n") if s], f"quote {quote.number}"))
        for ln in quote.lines
    }
    number = place_order(ctx, customer, [WantedLine(ln.sku, ln.qty) for ln in quote.lines], placed_by=placed_by,
                         confirmed=True, quote_prices=prices, quote_number=quote.number)
    if number:
        quotes_store.set_quote_status(session, quote, QuoteStatus.ACCEPTED.value, now=ctx.now)
        quote.order_number = number
        ctx.audit("quote_accepted", reference=quote.number, customer_id=customer.customer_id, order=number)
