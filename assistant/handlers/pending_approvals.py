"""'Qu'est-ce qui attend ma validation ?': the approver's list, each order with its way to decide.

The summary answers where the question was asked; each order then reaches the approver on
their own channel with the signed links (email) or the buttons (Slack) of an approval
request, so that the decision is taken the usual way, by the person entitled to it.
"""

from __future__ import annotations

import re

from assistant.context import HandlerContext
from assistant.handlers.documents import document_context
from assistant.handlers.ordering import send_approval_request
from commerce.customers import Role
from commerce.persistence import approvals_store, catalog_store, orders_store

ASKS = re.compile(
    r"\b(?:attend\w*|en attente)\s+(?:de\s+)?(?:ma|mon|une|votre|notre)?\s*(?:validation|approbation|d[ée]cision|accord)"
    r"|\b(?:[àa]|en attente de)\s+(?:valider|approuver|signer)\b"
    r"|\b(?:waiting|awaiting|pending)\s+(?:for\s+)?(?:my\s+|an?\s+|your\s+)?(?:approval|sign-?off|decision)"
    r"|\b(?:anything|what|orders?|something)\b[^.?!\n]{0,30}\bto\s+(?:approve|sign off)\b"
    r"|\bpending\s+approvals?\b",
    re.I,
)


def asks_pending_approvals(ctx: HandlerContext, text: str) -> bool:
    """An approver (by role, or with something waiting for them) asking what waits for them."""
    contact = ctx.identity.contact
    if contact is None or not ASKS.search(text or ""):
        return False
    return contact.role is Role.APPROVER or bool(approvals_store.pending_for_approver(ctx.session, contact.email))


def list_pending_approvals(ctx: HandlerContext) -> None:
    approver = ctx.identity.contact
    session = ctx.session
    pending = []
    for approval in approvals_store.pending_for_approver(session, approver.email):
        order = orders_store.get_order(session, approval.order_number)
        if order is None:
            continue
        requester = catalog_store.get_contact(session, approval.requested_by)
        customer = catalog_store.get_customer(session, order.customer_id)
        requester_name = requester.name if requester else approval.requested_by
        pending.append({"number": order.number, "customer": customer.name if customer else order.customer_id,
                        "total_ht": order.total_ht, "requester": requester_name, "since": approval.created_at,
                        "expires_at": approval.expires_at})
        send_approval_request(ctx.speaker, ctx.links, approval, approver, requester_name=requester_name,
                              doc={"customer": order.customer_id, **document_context(order)},
                              reasons=approval.reasons.split("|") if approval.reasons else [],
                              template="approval_reminder", key=f"approval:{approval.id}:listed:{ctx.now.isoformat()}")
    ctx.audit("approvals_listed", count=len(pending))
    ctx.reply("approvals_pending", pending=pending)
