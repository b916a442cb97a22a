"""From an Intent (and the thread's state) to the handler that answers it.

Order of precedence: an approver's decision; the short answer to a pending question
(clarification or confirmation); then a new request by intent. Prospects can ask
about products but never order; sales reps order on behalf of a named customer.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from assistant.context import HandlerContext
from assistant.handlers import queries
from assistant.handlers.approval_flow import decide
from assistant.handlers.entitlement import CANCEL, order_number, refused
from assistant.handlers.ordering import WantedLine, cancel_order, place_order, release_held_order
from assistant.handlers.pending_approvals import asks_pending_approvals, list_pending_approvals
from assistant.handlers.price_explanation import asks_why_price, explain_prices
from assistant.handlers.quoting import accept_quote, release_reviewed_quote, request_quote
from assistant.messages import Action, Reply
from commerce.customers import Role
from commerce.persistence import approvals_store, catalog_store, leads_store
from intents import Intent, IntentKind, Parser
from intents.answers import match_choice, read_approval, read_quantity, read_yes_no

# a rep's release may also say "valide" or "confirm"; a customer's cannot (see entitlement.LIFT_HOLD)
RELEASE = re.compile(r"d[ée]bloqu|lib[ée]r|\bvalid|\brelease|\bunblock|\bapprove|\bconfirm", re.I)
LINE_INTENTS = {IntentKind.PLACE_ORDER, IntentKind.REQUEST_QUOTE, IntentKind.CHECK_STOCK}
LEAD_POINTS = {IntentKind.PLACE_ORDER: 30, IntentKind.REQUEST_QUOTE: 25, IntentKind.CHECK_STOCK: 10}
LEAD_ALERT_SCORE = 25


def _lines_state(intent: Intent) -> list[dict[str, Any]]:
    out = []
    for ln in intent.lines:
        line = {"sku": ln.sku, "qty": ln.qty, "text": ln.text, "candidates": list(ln.candidates),
                "approximate": ln.approximate, "issue": ln.issue}
        if ln.issue == "approximate" and ln.sku and ln.said:
            # "une trentaine": proposed as 30, and confirmed before anything is ordered
            line.update(qty=ln.said, approximate=True, issue=None)
        if intent.confirm:
            line["approximate"] = True  # not surely an order: confirmed before it is placed
        out.append(line)
    return out


SECONDARY = {IntentKind.CHECK_ENCOURS, IntentKind.ORDER_STATUS, IntentKind.CHECK_STOCK, IntentKind.PLACE_ORDER}


def _answer_secondary(ctx: HandlerContext, intent: Intent, handled: str) -> None:
    """The second request of a message ("… et au passage, notre encours ?"), after the main one."""
    second, customer = intent.secondary, ctx.identity.customer
    if second is None or second not in SECONDARY or customer is None or second.value == handled:
        return
    if second is IntentKind.CHECK_ENCOURS:
        queries.check_encours(ctx, customer)
    elif second is IntentKind.ORDER_STATUS:
        queries.order_status(ctx, customer, intent.ref if intent.ref and intent.ref.startswith("C-") else None)
    elif second is IntentKind.CHECK_STOCK and handled in ("place_order", "request_quote"):
        lines = [(ln.sku, ln.qty, ln.text) for ln in intent.lines if ln.sku]
        if lines:
            queries.check_stock(ctx, customer, lines)
    elif second is IntentKind.PLACE_ORDER and handled == "check_stock" and ctx.next_state is None:
        # "… en stock ? Si oui, merci de nous les livrer": the order, once confirmed
        lines = [ln for ln in _lines_state(intent) if ln["sku"] and ln["qty"]]
        if lines and len(lines) == len(intent.lines) and not ctx.identity.is_rep:
            ctx.reply("confirm_order", lines=[{"sku": ln["sku"], "qty": ln["qty"], "name": _name(ctx, ln["sku"])}
                                              for ln in lines])
            ctx.ask({"intent": "place_order", "customer_id": customer.customer_id, "on_behalf": None,
                     "rep_discount": None, "await": "confirm", "lines": lines})


NAMED = re.compile(r"\b(?:pour|for|chez|de|of)\s+((?:[A-Z0-9][\w&'.-]*)(?:\s+[A-Z0-9][\w&'.-]*){0,3})")


def _why_price(ctx: HandlerContext, intent: Intent, text: str) -> str:
    """A buyer about their own prices; a rep about the customer they name (their own accounts or not:
    explaining a price decides nothing)."""
    customer = ctx.identity.customer
    if ctx.identity.is_rep:
        named = [intent.on_behalf_of] if intent.on_behalf_of else []
        named += [" ".join(words[:n]) for m in NAMED.finditer(text) for words in [m.group(1).split()]
                  for n in range(len(words), 0, -1)]  # "pour Boulangerie Martin sur les…": longest first
        customer = next((c for name in named if (c := catalog_store.find_customer(ctx.session, name))), None)
        if customer is None:
            ctx.reply("price_which", customer=None)
            return "price_explained"
    explain_prices(ctx, customer, [(line.sku, line.qty) for line in intent.lines if line.sku])
    return "price_explained"


def route(ctx: HandlerContext, intent: Intent, *, parser: Parser, catalog, text: str,
          structured: list[tuple[str, int]]) -> str:
    identity = ctx.identity
    if structured and intent.kind in (IntentKind.NONE, IntentKind.PLACE_ORDER, IntentKind.REQUEST_QUOTE):
        kind = intent.kind if intent.kind is not IntentKind.NONE else IntentKind.PLACE_ORDER
        lines = [{"sku": s, "qty": q, "text": s, "candidates": []} for s, q in structured]
        return _request(ctx, kind.value, lines, on_behalf=intent.on_behalf_of, discount=intent.discount_pct)

    if refused(ctx, intent, text):
        return "decision_refused"
    if asks_pending_approvals(ctx, text) and not any(line.sku for line in intent.lines):
        list_pending_approvals(ctx)
        return "approvals_pending"
    if asks_why_price(text) and (identity.customer is not None or identity.is_rep):
        return _why_price(ctx, intent, text)
    if identity.contact is not None and _maybe_decide(ctx, intent, text):
        return "approval_decision"

    number = order_number(text)
    if identity.customer is not None and number and CANCEL.search(text) and intent.kind in (
            IntentKind.NONE, IntentKind.ORDER_STATUS):
        if _unverified(ctx, "cancel_order", number):
            return "unverified"
        cancel_order(ctx, identity.customer, number)
        return "cancel_order"
    if identity.is_rep and number and RELEASE.search(text):
        if _unverified(ctx, "release_order", number):
            return "unverified"
        release_held_order(ctx, number)
        return "release_order"

    if ctx.state and _answers_pending(intent):
        return _continue(ctx, intent, parser=parser, catalog=catalog, text=text)

    if intent.kind in LINE_INTENTS:
        handled = _request(ctx, intent.kind.value, _lines_state(intent), on_behalf=intent.on_behalf_of,
                           discount=intent.discount_pct, ref=intent.ref)
        _answer_secondary(ctx, intent, handled)
        return handled
    if identity.is_prospect:
        return _prospect(ctx, intent)
    customer = identity.customer
    if intent.kind is IntentKind.ACCEPT_QUOTE and (identity.is_rep or customer is not None) \
            and _unverified(ctx, "accept_quote", intent.ref):
        return "unverified"
    if intent.kind is IntentKind.ACCEPT_QUOTE and identity.is_rep and intent.ref:
        release_reviewed_quote(ctx, intent.ref)
        return "release_quote"
    if customer is None:
        ctx.reply("help")
        return "help"
    if intent.kind is IntentKind.CHECK_ENCOURS:
        queries.check_encours(ctx, customer)
    elif intent.kind is IntentKind.ORDER_STATUS:
        queries.order_status(ctx, customer, intent.ref)
    elif intent.kind is IntentKind.QUOTE_STATUS:
        queries.quote_status(ctx, customer, intent.ref)
    elif intent.kind is IntentKind.ACCEPT_QUOTE:
        accept_quote(ctx, customer, intent.ref, placed_by=identity.contact)
    else:
        if intent.secondary in SECONDARY - {IntentKind.PLACE_ORDER, IntentKind.CHECK_STOCK}:
            _answer_secondary(ctx, intent, "none")  # "merci pour la livraison ; au fait, notre encours ?"
            return intent.secondary.value
        if ctx.channel != "email" and not _is_thanks(text):
            ctx.reply("help")
            return "help"
        return "ignored"
    _answer_secondary(ctx, intent, intent.kind.value)
    return intent.kind.value


def _unverified(ctx: HandlerContext, decision: str, reference: str | None) -> bool:
    """A decision in a mail whose sender we could not authenticate is not executed: the person
    is told, in their own mailbox, to decide from a channel that proves who they are."""
    if not ctx.inbound_headers.get("x-unauthenticated"):
        return False
    ctx.audit("decision_unauthenticated", reference=reference, details_kind=decision)
    ctx.reply("unverified_decision", decision=decision, ref=reference or "")
    return True


def _is_thanks(text: str) -> bool:
    lowered = text.strip().lower()
    return read_yes_no(lowered) is True or any(w in lowered for w in ("merci", "thank", "thx", "parfait", "super"))


def _answers_pending(intent: Intent) -> bool:
    """A short answer completes the pending request; a full new request replaces it."""
    if intent.kind in LINE_INTENTS and intent.lines and all(ln.sku and ln.qty for ln in intent.lines):
        return False
    return intent.kind in (IntentKind.NONE, *LINE_INTENTS)


def _request(ctx: HandlerContext, kind: str, lines: list[dict], *, on_behalf: str | None = None,
             discount: Decimal | None = None, ref: str | None = None, confirmed: bool = False) -> str:
    identity = ctx.identity
    if identity.is_prospect:
        if kind == "check_stock":
            if any(not ln["sku"] and ln.get("candidates") for ln in lines):
                # "des cartouches HP 305": which one? (a prospect is asked like a customer)
                _ask_clarify(ctx, {"intent": kind, "customer_id": None, "on_behalf": None, "rep_discount": None},
                             lines)
                return kind
            _run_lines(ctx, kind, lines, customer=None)
        _record_lead(ctx, kind, lines)
        return kind
    customer = identity.customer
    rep = identity.contact if identity.is_rep else None
    if rep is not None and kind != "check_stock" and _unverified(ctx, "order_on_behalf", on_behalf):
        return "unverified"
    if rep is not None:
        if on_behalf:
            customer = catalog_store.find_customer(ctx.session, on_behalf)
            if customer is None:
                ctx.reply("unknown_customer", customer=on_behalf)
                return "unknown_customer"
            holder = (customer.sales_rep_email or "").lower()
            if kind != "check_stock" and holder and holder != rep.email.lower():
                # an order or a quote on behalf commits the account: its own rep's decision
                ctx.audit("order_on_behalf_refused", reference=customer.customer_id,
                          customer_id=customer.customer_id, kind=kind)
                ctx.reply("rep_other_account", customer=customer.name, rep=holder)
                return "decision_refused"
        elif kind != "check_stock":
            ctx.reply("rep_which_customer")
            return "rep_which_customer"
    state = {"intent": kind, "customer_id": customer.customer_id if customer else None,
             "on_behalf": on_behalf if rep else None, "rep_discount": str(discount) if discount else None}
    pending = [ln for ln in lines if not ln["sku"] or (kind != "check_stock" and not ln["qty"])]
    if not lines:
        ctx.reply("clarify", pending=[], certain=[], nothing=True)
        ctx.ask({**state, "await": "clarify", "lines": []})
        return kind
    if pending:
        _ask_clarify(ctx, state, lines)
        return kind
    return _run_lines(ctx, kind, lines, customer=customer, rep=rep, discount=discount, confirmed=confirmed)


def _ask_clarify(ctx: HandlerContext, state: dict, lines: list[dict]) -> None:
    entries = {}
    for line in lines:
        for sku in [*(line.get("candidates") or []), *([line["sku"]] if line["sku"] else [])]:
            entries[sku] = sku
    products = catalog_store.get_products(ctx.session, entries)
    pending, certain = [], []
    for line in lines:
        product = products.get(line["sku"]) if line["sku"] else None
        if line["sku"] and (state["intent"] == "check_stock" or line["qty"]):
            certain.append({**line, "name": product.name if product else line["sku"]})
        else:
            # why the quantity is asked ("contradictory", "not_whole"), in the product's own sale unit
            pending.append({**line, "names": [products[s].name for s in line.get("candidates") or [] if s in products],
                            "name": product.name if product else None,
                            "unit": product.unit if product else None})
    ctx.reply("clarify", pending=pending, certain=certain, nothing=False)
    ctx.ask({**state, "await": "clarify", "lines": lines})


def _name(ctx: HandlerContext, sku: str) -> str:
    products = catalog_store.get_products(ctx.session, [sku])
    return products[sku].name if sku in products else sku


def _run_lines(ctx: HandlerContext, kind: str, lines: list[dict], *, customer, rep=None, discount=None,
               confirmed: bool = False) -> str:
    wanted = [WantedLine(ln["sku"], int(ln["qty"] or 0), ln.get("text") or "") for ln in lines]
    approximate = any(ln.get("approximate") for ln in lines)
    if kind == "place_order" and not confirmed and (approximate or ctx.inbound_headers.get("x-unauthenticated")):
        # "une trentaine", "actually make it 80", or a sender we cannot authenticate: ask first.
        # Sender not authenticated (no dkim/spf pass from our trusted server): ask first.
        ctx.reply("confirm_order", lines=[{"sku": w.sku, "qty": w.qty, "name": _name(ctx, w.sku)} for w in wanted])
        ctx.ask({"intent": kind, "customer_id": customer.customer_id if customer else None,
                 "on_behalf": None, "rep_discount": str(discount) if discount else None,
                 "await": "confirm", "lines": [{**ln, "approximate": False} for ln in lines]})
        return kind
    if kind == "check_stock":
        queries.check_stock(ctx, customer, [(w.sku, w.qty or None, w.text) for w in wanted])
    elif kind == "request_quote":
        request_quote(ctx, customer, wanted, requested_by=ctx.identity.contact)
    else:
        place_order(ctx, customer, wanted, placed_by=ctx.identity.contact, confirmed=confirmed, rep=rep,
                    rep_discount=discount)
    return kind


def _continue(ctx: HandlerContext, intent: Intent, *, parser: Parser, catalog, text: str) -> str:
    state = dict(ctx.state)
    kind = state["intent"]
    discount = Decimal(state["rep_discount"]) if state.get("rep_discount") else None
    if state.get("await") == "confirm":
        answer = read_yes_no(text)
        if answer is True:
            return _request(ctx, kind, state["lines"], on_behalf=state.get("on_behalf"), discount=discount,
                            confirmed=True)
        if answer is False:
            ctx.reply("cancelled")
            return "cancelled"
        qty = read_quantity(text)
        if qty and len(state["lines"]) == 1:
            lines = [{**state["lines"][0], "qty": qty}]
            return _request(ctx, kind, lines, on_behalf=state.get("on_behalf"), discount=discount)
        ctx.reply("confirm_again")
        ctx.ask(state)
        return "confirm_again"

    lines = [dict(ln) for ln in state.get("lines", [])]
    if not lines and intent.lines:  # "what do you need?" answered with products
        lines = _lines_state(intent)
    answered = {ln.sku: ln for ln in intent.lines if ln.sku}
    progress = False
    spare = [ln for ln in intent.lines if ln.sku and ln.sku not in {x["sku"] for x in lines}]
    for line in lines:
        if not line["sku"] and not line.get("candidates") and spare:
            # "I cannot find 'stapler'": the answer names the product (and maybe the quantity).
            named = spare.pop(0)
            line["sku"], line["qty"], progress = named.sku, named.qty or line["qty"], True
            continue
        candidates = line.get("candidates") or []
        if not line["sku"] and candidates:
            hit = next((answered[s] for s in candidates if s in answered), None)
            choice = hit.sku if hit else chosen(text, catalog.entries(candidates))
            if choice is None and len(candidates) == 1 and read_yes_no(text) is False:
                line["candidates"] = []  # "do you mean X?" - "no": the product is to be named again
            if choice:
                line["sku"], line["candidates"], progress = choice, [], True
                if hit and hit.qty and not line["qty"]:
                    line["qty"] = hit.qty
        if line["sku"] and not line["qty"] and kind != "check_stock":
            same = answered.get(line["sku"])
            qty = same.qty if same and same.qty else read_quantity(text)
            if qty:
                line["qty"], progress = qty, True
    if not progress and intent.kind in LINE_INTENTS and intent.lines:
        return _request(ctx, intent.kind.value, _lines_state(intent), on_behalf=intent.on_behalf_of,
                        discount=intent.discount_pct)
    return _request(ctx, kind, lines, on_behalf=state.get("on_behalf"), discount=discount)


def chosen(text: str, candidates: list) -> str | None:
    """The SKU an answer picks among the products asked about: named ("taille L", "the second"), or
    a yes to the one product proposed ("do you mean X?" - "oui")."""
    picked = match_choice(text, candidates)
    if picked is not None:
        return picked.sku
    if len(candidates) == 1 and read_yes_no(text) is True:
        return candidates[0].sku
    return None


def _maybe_decide(ctx: HandlerContext, intent: Intent, text: str) -> bool:
    verdict = read_approval(text)
    if verdict is None:
        return False
    approvals = approvals_store.pending_for_approver(ctx.session, ctx.identity.address)
    target = None
    if intent.ref:
        target = approvals_store.for_order(ctx.session, intent.ref)
    elif ctx.inbound_headers.get("x-approval-id"):  # a reply to our approval request
        target = approvals_store.get(ctx.session, int(ctx.inbound_headers["x-approval-id"]))
    elif len(approvals) == 1:
        target = approvals[0]
    if target is None:
        if ctx.identity.role is Role.APPROVER:
            ctx.reply("approval_which", pending=[a.order_number for a in approvals])
            return True
        return False
    approved, reason = verdict
    if ctx.inbound_headers.get("x-unauthenticated"):
        # a decision in a mail we cannot prove came from its sender: nothing is decided; the
        # approver's own mailbox gets the signed single-use links to decide
        ctx.audit("decision_unauthenticated", reference=target.order_number, details_kind="approval")
        ctx.reply("approval_by_link", number=target.order_number, actions=(
            Action("approve", "approve", url=ctx.links.url(target.id, "approve"), value=str(target.id)),
            Action("reject", "reject", url=ctx.links.url(target.id, "reject"), value=str(target.id))))
        return True
    outcome = decide(ctx.session, ctx.speaker, approval_id=target.id, approve=approved, by=ctx.identity.address,
                     via=ctx.channel, now=ctx.now, reason=reason)
    ctx.reply("approval_ack", outcome=outcome.outcome, number=outcome.order_number,
              decided_by=outcome.decided_by, decided_at=outcome.decided_at, status=outcome.status)
    return True


def _prospect(ctx: HandlerContext, intent: Intent) -> str:
    if intent.kind is IntentKind.NONE:
        return "ignored"
    ctx.reply("prospect_unknown")
    return "prospect"


def _record_lead(ctx: HandlerContext, kind: str, lines: list[dict]) -> None:
    # the request as the prospect wrote it, and the name their From header gives
    request = ", ".join(ln.get("text") or ln["sku"] or "" for ln in lines)
    if ctx.inbound_subject and ctx.inbound_subject.lower() not in request.lower():
        request = f"{ctx.inbound_subject} — {request}" if request else ctx.inbound_subject
    lead = leads_store.record_lead(ctx.session, ctx.identity.address, points=LEAD_POINTS.get(IntentKind(kind), 5),
                                   message=request, now=ctx.now,
                                   name=str(ctx.inbound_headers.get("sender-name") or ""))
    ctx.audit("lead_recorded", details_kind=kind, score=lead.score)
    if kind != "check_stock":
        ctx.reply("prospect_welcome", kind=kind)
    if lead.score >= LEAD_ALERT_SCORE and lead.status == "new":
        lead.status = "alerted"
        context = {"lead": lead.email, "who": lead.name, "score": lead.score, "last": lead.last_message,
                   "reasons": [kind]}
        leads_channel = ctx.settings.slack_leads_channel
        if ctx.settings.slack_enabled and leads_channel:
            ctx.speaker.send(channel="slack", recipient=leads_channel,
                             reply=Reply("rep_new_lead", {"name": "", **context},
                                         (Action("claim", "claim", value=lead.email),)),
                             lang="fr", kind="rep_new_lead", key=f"lead:{lead.email}:alert")
            return
        reps = catalog_store.sales_reps(ctx.session)
        if reps:
            ctx.speaker.notify(reps[0], Reply("rep_new_lead", {"name": reps[0].name, **context}),
                               kind="rep_new_lead", key=f"lead:{lead.email}:alert")
