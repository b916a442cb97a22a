"""Decisions asked by someone not entitled to them: refused before any handler runs.

One rule whatever the decision (approve or reject an order, cancel it, release a credit
hold, accept a quote): only the person entitled decides. Anyone else gets the same answer
as for a reference that does not exist (nothing leaks about another customer's documents),
nothing changes, and the attempt is in the audit log. The entitled paths stay in their
handlers, which check again.
"""

from __future__ import annotations

import re

from assistant.context import HandlerContext
from commerce.persistence import approvals_store, catalog_store, orders_store, quotes_store
from intents.answers import read_approval
from intents.model import Intent, IntentKind

ORDER_REF = re.compile(r"\bC-?(\d{4})-?(\d{2,6})\b", re.I)
CANCEL = re.compile(r"\bannul|\bcancel", re.I)
LIFT_HOLD = re.compile(r"d[ée]bloqu|lib[ée]r|\brelease|\bunblock", re.I)


def order_number(text: str) -> str | None:
    """Our order number as the buyer wrote it ("c-2026-12", "C2026-0012"), in its stored form."""
    found = ORDER_REF.search(text or "")
    return f"C-{found.group(1)}-{int(found.group(2)):04d}" if found else None


def refused(ctx: HandlerContext, intent: Intent, text: str) -> bool:
    """True when the message asks a decision its sender may not take (then it is answered)."""
    identity, session = ctx.identity, ctx.session
    number = order_number(text)
    decision, reference, allowed = None, None, True
    if number and read_approval(text) is not None and identity.contact is None:
        approval = approvals_store.for_order(session, number)
        decision, reference, allowed = "approval", number, approval is None
    elif number and CANCEL.search(text) and intent.kind in (IntentKind.NONE, IntentKind.ORDER_STATUS):
        order = orders_store.get_order(session, number)
        decision, reference = "cancel_order", number
        allowed = order is None or (identity.customer is not None and order.customer_id == identity.customer.customer_id)
    elif number and LIFT_HOLD.search(text) and not identity.is_rep and intent.kind in (
            IntentKind.NONE, IntentKind.ORDER_STATUS, IntentKind.PLACE_ORDER):
        order = orders_store.get_order(session, number)
        decision, reference, allowed = "release_order", number, order is None or order.status != "held"
    elif intent.kind is IntentKind.ACCEPT_QUOTE and intent.ref and not identity.is_rep:
        quote = quotes_store.get_quote(session, intent.ref)
        decision, reference = "accept_quote", intent.ref
        allowed = quote is None or (identity.customer is not None and quote.customer_id == identity.customer.customer_id)
    if decision is None or allowed:
        return False
    order = orders_store.get_order(session, reference) if reference.startswith("C-") else None
    quote = quotes_store.get_quote(session, reference) if reference.startswith("D-") else None
    owner = (order or quote).customer_id if (order or quote) else None
    ctx.audit("decision_refused", reference=reference, customer_id=owner, decision=decision,
              sender_customer=identity.customer.customer_id if identity.customer else None)
    own = identity.customer is not None and owner == identity.customer.customer_id
    if decision == "release_order" and own:
        # the customer's own buyer: the hold is theirs to know about, not theirs to lift
        rep = catalog_store.get_customer(session, owner).sales_rep_email
        ctx.reply("release_by_rep_only", ref=reference, rep=rep or "")
    else:
        ctx.reply("not_found", ref=reference)
    return True
