"""place_order: conditions, availability, credit, approval — then confirm, hold or wait.

Nothing is guessed: when the order cannot go through exactly as asked (unknown product,
minimum quantity, monthly limit, partial availability), the buyer is told what *can* be
done and the thread waits for a "oui" (or a change) before anything is reserved.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from assistant.context import HandlerContext
from assistant.handlers.documents import basket_context, document_context
from assistant.messages import Action, Reply
from commerce.accounts import credit_check
from commerce.approvals import ApprovalStatus, approval_reasons, pick_approver
from commerce.customers import Contact, Customer, Role
from commerce.days import local_day
from commerce.errors import ErrorCode
from commerce.on_behalf import with_rep_discount
from commerce.persistence import approvals_store, catalog_store, orders_store, stock_store
from commerce.persistence.tables import ReservationRow
from commerce.pricing import BasketLine, PricedBasket, PricedLine, price_basket
from commerce.services import order_line_issues
from commerce.statuses import OrderStatus
from commerce.stock import split_availability
from commerce.vat import summarize


@dataclass(frozen=True, slots=True)
class WantedLine:
    sku: str
    qty: int
    text: str = ""


def merge_lines(lines: list[WantedLine]) -> list[WantedLine]:
    """The same SKU asked twice is one line with the summed quantity."""
    merged: dict[str, WantedLine] = {}
    for line in lines:
        if line.sku in merged:
            old = merged[line.sku]
            merged[line.sku] = WantedLine(line.sku, old.qty + line.qty, old.text)
        else:
            merged[line.sku] = line
    return list(merged.values())


def _state_lines(lines: list[WantedLine]) -> list[dict]:
    return [{"sku": ln.sku, "qty": ln.qty, "text": ln.text} for ln in lines]


def place_order(
    ctx: HandlerContext,
    customer: Customer,
    lines: list[WantedLine],
    *,
    placed_by: Contact,
    confirmed: bool = False,
    rep: Contact | None = None,
    rep_discount: Decimal | None = None,
    quote_prices: dict[str, PricedLine] | None = None,
    quote_number: str | None = None,
) -> str | None:
    """Returns the order number when an order was created."""
    session, today = ctx.session, local_day(ctx.now)
    lines = merge_lines(lines)
    terms = catalog_store.terms_for(session, customer, today)
    products = catalog_store.get_products(session, (ln.sku for ln in lines))
    base_state = {"intent": "place_order", "customer_id": customer.customer_id,
                  "rep_discount": str(rep_discount) if rep_discount is not None else None,
                  "quote": quote_number}

    # 1. What cannot be ordered as asked: unknown or hidden products, minimums, limits.
    unknown = [ln for ln in lines if ln.sku not in products or not terms.visibility(products[ln.sku]).allowed]
    proposal: list[WantedLine] = []
    adjustments: list[dict] = []
    known = [ln for ln in lines if ln not in unknown]
    issues = {i.sku: i for i in order_line_issues(session, terms, [BasketLine(ln.sku, ln.qty) for ln in known])}
    for line in known:
        issue = issues.get(line.sku)
        if issue is None:
            proposal.append(line)
            continue
        product = products[line.sku]
        if issue.code is ErrorCode.BELOW_MIN_ORDER_QTY:
            adjustments.append({"sku": line.sku, "name": product.name, "asked": line.qty,
                                "code": "min_order_qty", "allowed": issue.allowed, "unit": product.unit})
            proposal.append(WantedLine(line.sku, issue.allowed, line.text))
        elif issue.code is ErrorCode.QUANTITY_LIMIT:
            adjustments.append({"sku": line.sku, "name": product.name, "asked": line.qty,
                                "code": "quantity_limit", "allowed": issue.allowed, "unit": product.unit})
            if issue.allowed:
                proposal.append(WantedLine(line.sku, issue.allowed, line.text))
    if unknown or adjustments:
        ctx.reply("order_adjust", unknown=[ln.text or ln.sku for ln in unknown], adjustments=adjustments,
                  proposal=[{"sku": ln.sku, "qty": ln.qty, "name": products[ln.sku].name} for ln in proposal])
        if proposal:
            ctx.ask({**base_state, "await": "confirm", "lines": _state_lines(proposal)})
        ctx.audit("order_adjust_proposed", customer_id=customer.customer_id,
                  unknown=[ln.sku for ln in unknown], adjustments=adjustments)
        return None

    # 2. Prices: the customer's conditions, a quote's prices, a rep's capped discount.
    if quote_prices:
        priced = tuple(quote_prices[ln.sku] for ln in lines)
        basket = PricedBasket(customer.customer_id, priced,
                              summarize(((p.total_ht, p.vat_rate) for p in priced), customer.regime))
    else:
        basket = price_basket(terms, products, [BasketLine(ln.sku, ln.qty) for ln in lines])
    if rep is not None and rep_discount:
        authority = Decimal(ctx.settings.rep_authority_pct)
        discounted = []
        for line in basket.lines:
            new_line, decision = with_rep_discount(line, rep_discount, authority, rep.name)
            if not decision.allowed:
                ctx.reply("rep_discount_refused", customer=customer.name, asked=rep_discount,
                          authority=authority, sku=line.sku)
                ctx.audit("rep_discount_refused", customer_id=customer.customer_id,
                          asked=str(rep_discount), authority=str(authority))
                return None
            discounted.append(new_line)
        basket = PricedBasket(customer.customer_id, tuple(discounted),
                              summarize(((p.total_ht, p.vat_rate) for p in discounted), customer.regime))

    # 3. Availability: what ships now, what is pre-ordered on incoming stock.
    plan = {}
    short = False
    for line in basket.lines:
        figures = stock_store.figures(session, line.sku)
        split = split_availability(figures, line.qty, preorderable=products[line.sku].preorderable,
                                   today=local_day(ctx.now))
        plan[line.sku] = split
        short = short or split.preorder > 0 or split.missing > 0
    if short and not confirmed:
        feasible = [WantedLine(ln.sku, plan[ln.sku].ship_now + plan[ln.sku].preorder, ln.text) for ln in lines
                    if plan[ln.sku].ship_now + plan[ln.sku].preorder > 0]
        ctx.reply("order_availability",
                  plan=[{"sku": s, "name": products[s].name, "asked": a.requested, "now": a.ship_now,
                         "preorder": a.preorder, "date": a.preorder_date, "missing": a.missing,
                         "unit": products[s].unit} for s, a in plan.items()],
                  can_order=bool(feasible))
        if feasible:
            ctx.ask({**base_state, "await": "confirm", "lines": _state_lines(feasible)})
        return None
    if any(a.missing for a in plan.values()):  # stock moved since the buyer said yes
        ctx.reply("order_stock_changed")
        return None

    # 4. Credit, then the customer's approval policy.
    # orders still waiting for approval count too: two of them together must not pass the limit
    encours = orders_store.credit_exposure(session, customer.customer_id)
    credit = credit_check(encours, customer.credit_limit, basket.total_ttc)
    requester = placed_by if placed_by.role is not Role.SALES_REP else None
    reasons = approval_reasons(customer, basket, products, placed_by=requester)
    approver = None
    if reasons:
        approver = pick_approver(catalog_store.contacts_of(session, customer.customer_id, "approver"),
                                 requester_email=placed_by.email)
    if not credit.allowed or (reasons and approver is None):
        status = OrderStatus.HELD
    elif reasons:
        status = OrderStatus.PENDING_APPROVAL
    else:
        status = OrderStatus.CONFIRMED

    order = orders_store.create_order(
        session, basket, status=status.value, now=ctx.now, placed_by=placed_by.email,
        on_behalf_by=rep.email if rep else None,
        preorder_qty={s: a.preorder for s, a in plan.items()},
    )
    hold_hours = ctx.settings.approval_expiry_hours if status is OrderStatus.PENDING_APPROVAL \
        else ctx.settings.credit_hold_hours
    for line in basket.lines:
        split = plan[line.sku]
        stock_store.reserve(
            session, line.sku, split.ship_now, preorder_qty=split.preorder,
            backorder=products[line.sku].preorderable, now=ctx.now, reference=order.number,
            kind="order" if status is OrderStatus.CONFIRMED else "hold",
            expires_at=None if status is OrderStatus.CONFIRMED else ctx.now + timedelta(hours=hold_hours),
        )
    preorders = {s: (a.preorder, a.preorder_date) for s, a in plan.items() if a.preorder}
    doc = {"number": order.number, "customer": customer.name, **basket_context(basket, preorders),
           # the discount a rep granted is said where the order is confirmed, not only in the prices
           "rep_discount": rep_discount if rep is not None and rep_discount else None,
           "rep_name": rep.name if rep is not None else None}
    ctx.audit("order_created", reference=order.number, customer_id=customer.customer_id,
              status=status.value, total_ht=str(basket.total_ht), reasons=list(reasons),
              on_behalf_by=rep.email if rep else None, quote=quote_number)

    if status is OrderStatus.CONFIRMED:
        ctx.reply("order_confirmed", **doc, on_behalf=bool(rep))
    elif status is OrderStatus.PENDING_APPROVAL:
        request_approval(ctx, order.number, customer, approver, placed_by, reasons, doc)
        ctx.reply("order_pending_approval", **doc, approver=approver.name)
    else:
        reason = "credit" if not credit.allowed else "no_approver"
        ctx.reply("order_held", **doc, reason=reason)
        _tell_rep(ctx, customer, "rep_order_held", {**doc, "reason": reason, "encours": encours,
                                                   "credit_limit": customer.credit_limit,
                                                   "requested_by": placed_by.name})
    if rep is not None:
        for buyer in catalog_store.contacts_of(session, customer.customer_id, "buyer"):
            ctx.speaker.notify(buyer, Reply("order_copy", {"name": buyer.name, "rep": rep.name, **doc,
                                                           "status": status.value}),
                               kind="order_copy")
    return order.number


def _tell_rep(ctx: HandlerContext, customer: Customer, template: str, context: dict) -> None:
    rep = catalog_store.get_contact(ctx.session, customer.sales_rep_email) if customer.sales_rep_email else None
    if rep is None:
        return
    ctx.speaker.notify(rep, Reply(template, {"name": rep.name, "customer": customer.name,
                                             "customer_id": customer.customer_id, **context}),
                       kind=template)


def request_approval(ctx: HandlerContext, order_number: str, customer: Customer, approver: Contact,
                     requester: Contact, reasons, doc: dict) -> None:
    remind = ctx.settings.approval_reminder_hours
    approval = approvals_store.create(
        ctx.session, order_number=order_number, customer_id=customer.customer_id,
        approver_email=approver.email, requested_by=requester.email, reasons=tuple(reasons),
        now=ctx.now, remind_at=ctx.now + timedelta(hours=remind) if remind else None,
        expires_at=ctx.now + timedelta(hours=ctx.settings.approval_expiry_hours),
    )
    send_approval_request(ctx.speaker, ctx.links, approval, approver, requester_name=requester.name,
                          doc=doc, reasons=list(reasons), template="approval_request")


def send_approval_request(speaker, links, approval, approver: Contact, *, requester_name: str, doc: dict,
                          reasons: list[str], template: str, key: str | None = None) -> int:
    actions = (
        Action("approve", "approve", url=links.url(approval.id, "approve"), value=str(approval.id)),
        Action("reject", "reject", url=links.url(approval.id, "reject"), value=str(approval.id)),
    )
    reply = Reply(template, {"name": approver.name, "requester": requester_name, "reasons": reasons,
                             "expires_at": approval.expires_at, **doc}, actions)
    return speaker.notify(approver, reply, kind=template,
                          key=key or f"approval:{approval.id}:{template}:{approval.reminders_sent}",
                          extra_payload={"approval_id": approval.id, "order_number": approval.order_number})


def release_held_order(ctx: HandlerContext, number: str) -> None:
    """A sales rep unblocks an order held for credit (or for a missing approver)."""
    session = ctx.session
    order = orders_store.get_order(session, number)
    if order is None or order.status != OrderStatus.HELD.value:
        ctx.reply("not_found", ref=number)
        return
    customer = catalog_store.get_customer(session, order.customer_id)
    if (customer.sales_rep_email or "").lower() != ctx.identity.address.lower():
        # a credit hold is released by the account's own rep only
        ctx.audit("order_release_refused", reference=number, customer_id=order.customer_id)
        ctx.reply("rep_not_your_account", ref=number, customer=customer.name, rep=customer.sales_rep_email or "")
        return
    holds = list(session.scalars(select(ReservationRow).where(ReservationRow.reference == number,
                                                              ReservationRow.status == "active")))
    # a hold that lapsed while the order waited is taken again from stock, or the rep is told what is short
    held: dict[str, int] = {}
    for hold in holds:
        held[hold.sku] = held.get(hold.sku, 0) + hold.qty + hold.preorder_qty
    gaps = {line.sku: line.qty - held.get(line.sku, 0) for line in order.lines if line.qty > held.get(line.sku, 0)}
    short = [{"sku": line.sku, "name": line.name, "wanted": gap, "available": max(0, available)}
             for line in order.lines if (gap := gaps.get(line.sku)) and
             (available := stock_store.figures(session, line.sku).available) < gap]
    if short:
        ctx.audit("order_release_short", reference=number, customer_id=order.customer_id,
                  short=[s["sku"] for s in short])
        ctx.reply("release_short", ref=number, lines=short)
        return
    orders_store.set_order_status(session, order, OrderStatus.CONFIRMED.value, now=ctx.now)
    for hold in holds:
        stock_store.confirm_hold(session, hold.id)
    for sku, gap in gaps.items():
        stock_store.reserve(session, sku, gap, now=ctx.now, kind="order", reference=number)
    ctx.audit("order_released", reference=number, customer_id=order.customer_id, retaken=sorted(gaps))
    ctx.reply("rep_done", ref=number)
    buyer = catalog_store.get_contact(session, order.placed_by) if order.placed_by else None
    customer = catalog_store.get_customer(session, order.customer_id)
    if buyer is not None and buyer.email != ctx.identity.address:
        ctx.speaker.notify(buyer, Reply("order_confirmed", {"name": buyer.name, "customer": customer.name,
                                                            "on_behalf": False, **document_context(order)}),
                           kind="order_released")


CANCELLABLE = {OrderStatus.DRAFT.value, OrderStatus.HELD.value, OrderStatus.PENDING_APPROVAL.value,
               OrderStatus.CONFIRMED.value}


def cancel_order(ctx: HandlerContext, customer: Customer, number: str) -> None:
    """A buyer cancels an order that has not left: the reservation is released, the rep told."""
    session = ctx.session
    order = orders_store.get_order(session, number)
    if order is None or order.customer_id != customer.customer_id:
        ctx.reply("not_found", ref=number)
        return
    if order.status not in CANCELLABLE:
        ctx.reply("cancel_refused", number=number, status=order.status)
        return
    orders_store.set_order_status(session, order, OrderStatus.CANCELLED.value, now=ctx.now)
    held = session.scalars(select(ReservationRow).where(ReservationRow.reference == number,
                                                        ReservationRow.status == "active"))
    for reservation in list(held):
        stock_store.release(session, reservation.id, now=ctx.now)
    approval = approvals_store.for_order(session, number)
    if approval is not None and approval.status == "pending":
        approvals_store.settle(session, approval.id, ApprovalStatus.REJECTED, by=ctx.identity.address,
                               via="cancelled", now=ctx.now, reason="cancelled by the customer")
    ctx.audit("order_cancelled", reference=number, customer_id=customer.customer_id)
    ctx.reply("order_cancelled", number=number)
    _tell_rep(ctx, customer, "rep_order_cancelled", {"number": number, "by": ctx.identity.name})
