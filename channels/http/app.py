"""The aiohttp application of `comptoir serve`.

Approval links: GET shows the order and a confirmation button, POST decides. A GET never
decides, because mail security gateways open every link of a message on their own.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import select, text

from assistant.core import Assistant
from assistant.links import BadLink
from assistant.rendering import LOCALES, moment, money
from channels.http.erp_api import add_routes
from commerce.persistence.database import transaction
from commerce.persistence.tables import ApprovalRow, ContactRow, OrderRow

log = logging.getLogger("comptoir.http")
ASSISTANT = web.AppKey("assistant", Assistant)

TEXT = {
    "fr": {
        "title": "Commande {number}", "approve": "Valider la commande", "reject": "Refuser la commande",
        "reason": "Motif du refus", "approved": "Commande {number} validée. Merci !",
        "rejected": "Commande {number} refusée. Le demandeur est prévenu.",
        "already_decided": "Cette commande a déjà été traitée ({status}) par {by} le {at}.",
        "not_allowed": "Seul le valideur désigné peut décider.", "expired": "Cette demande a expiré.",
        "unknown": "Demande introuvable.", "bad": "Ce lien n'est pas valide.", "late": "Ce lien a expiré.",
        "total": "Total HT {ht} — TTC {ttc}", "confirm_q": "Confirmez-vous votre décision ?",
    },
    "en": {
        "title": "Order {number}", "approve": "Approve the order", "reject": "Reject the order",
        "reason": "Reason", "approved": "Order {number} approved. Thank you!",
        "rejected": "Order {number} rejected. The requester has been told.",
        "already_decided": "This order was already decided ({status}) by {by} on {at}.",
        "not_allowed": "Only the designated approver can decide.", "expired": "This request has expired.",
        "unknown": "Request not found.", "bad": "This link is not valid.", "late": "This link has expired.",
        "total": "Total excl. VAT {ht} — incl. VAT {ttc}", "confirm_q": "Do you confirm your decision?",
    },
}


def _page(title: str, body: str, status: int = 200) -> web.Response:
    document = (
        "<!doctype html><html><head><meta charset='utf-8'><meta name='robots' content='noindex'>"
        f"<title>{html.escape(title)}</title></head><body style='font-family:sans-serif;max-width:40em;margin:2em auto'>"
        f"<h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return web.Response(text=document, content_type="text/html", status=status)


def _load(assistant: Assistant, approval_id: int):
    with transaction(assistant.db.sessions) as session:
        approval = session.get(ApprovalRow, approval_id)
        if approval is None:
            return None, None, "fr"
        order = session.scalars(select(OrderRow).where(OrderRow.number == approval.order_number)).first()
        contact = session.get(ContactRow, approval.approver_email)
        lines = [(ln.qty, ln.name, ln.sku, ln.total_ht) for ln in order.lines] if order else []
        return approval, (order, lines), (contact.language if contact else "fr")


async def approval_page(request: web.Request) -> web.Response:
    assistant: Assistant = request.app[ASSISTANT]
    try:
        claim = assistant.links.read(request.match_info["token"])
    except BadLink as error:
        t = TEXT["fr"]
        return _page("Comptoir", f"<p>{t['late' if error.reason == 'expired' else 'bad']}</p>",
                     410 if error.reason == "expired" else 400)
    approval, found, lang = await asyncio.to_thread(_load, assistant, claim.approval_id)
    lang = lang if lang in TEXT else "fr"
    t, locale = TEXT[lang], LOCALES[lang]
    if approval is None:
        return _page("Comptoir", f"<p>{t['unknown']}</p>", 404)
    order, lines = found
    title = t["title"].format(number=approval.order_number)
    if approval.status != "pending":
        return _page(title, "<p>" + html.escape(t["already_decided"].format(
            status=approval.status, by=approval.decided_by, at=moment(approval.decided_at, locale))) + "</p>")
    # money and dates written as the emails write them (Babel, the approver's language)
    rows = "".join(f"<li>{q} x {html.escape(n)} ({html.escape(s)}) — {html.escape(money(tot, locale))} HT</li>"
                   if lang == "fr" else
                   f"<li>{q} x {html.escape(n)} ({html.escape(s)}) — {html.escape(money(tot, locale))}</li>"
                   for q, n, s, tot in lines)
    total = t["total"].format(ht=money(order.total_ht, locale), ttc=money(order.total_ttc, locale)) if order else ""
    reason_field = (f"<p><label>{t['reason']}<br><textarea name='reason' rows='3' cols='50'></textarea></label></p>"
                    if claim.decision == "reject" else "")
    form = (f"<form method='post'><p>{t['confirm_q']}</p>{reason_field}"
            f"<button type='submit'>{t[claim.decision]}</button></form>")
    return _page(title, f"<ul>{rows}</ul><p>{html.escape(total)}</p>{form}")


async def approval_decide(request: web.Request) -> web.Response:
    assistant: Assistant = request.app[ASSISTANT]
    try:
        claim = assistant.links.read(request.match_info["token"])
    except BadLink as error:
        return _page("Comptoir", f"<p>{TEXT['fr']['late' if error.reason == 'expired' else 'bad']}</p>",
                     410 if error.reason == "expired" else 400)
    form = await request.post()
    reason = (form.get("reason") or "").strip() or None
    approval, _found, lang = await asyncio.to_thread(_load, assistant, claim.approval_id)
    t = TEXT[lang if lang in TEXT else "fr"]
    if approval is None:
        return _page("Comptoir", f"<p>{t['unknown']}</p>", 404)
    # The signed link is the approver's credential: the decision is theirs.
    decision = await asyncio.to_thread(
        assistant.decide_approval, claim.approval_id, approve=claim.decision == "approve",
        by=approval.approver_email, via="email_link", reason=reason)
    title = t["title"].format(number=approval.order_number)
    if decision.outcome in ("approved", "rejected"):
        return _page(title, "<p>" + html.escape(t[decision.outcome].format(number=decision.order_number)) + "</p>")
    if decision.outcome == "already_decided":
        text = t["already_decided"].format(status=decision.status, by=decision.decided_by, at=decision.decided_at)
        return _page(title, f"<p>{html.escape(text)}</p>", 409)
    return _page(title, f"<p>{t.get(decision.outcome, t['unknown'])}</p>", 409)


# name -> a check that answers True when that part is up (the database here; serve adds its listeners)
CHECKS: web.AppKey[dict[str, Callable[[], Awaitable[bool]]]] = web.AppKey("checks", dict)


async def _results(app: web.Application) -> dict[str, bool]:
    async def run(check) -> bool:
        try:
            return bool(await asyncio.wait_for(check(), timeout=2.0))
        except Exception:  # a part that cannot answer is down, whatever the reason
            log.warning("health check failed", exc_info=True)
            return False

    checks = app[CHECKS]
    return dict(zip(checks, await asyncio.gather(*(run(c) for c in checks.values())), strict=True))


async def healthz(request: web.Request) -> web.Response:
    """Up only when the database answers and every listener is up (a load balancer reads the status)."""
    results = await _results(request.app)
    if all(results.values()):
        return web.json_response({"status": "ok"})
    return web.json_response({"status": "unavailable", "down": sorted(k for k, up in results.items() if not up)},
                             status=503)


async def readyz(request: web.Request) -> web.Response:
    """The same checks, one by one, for an admin."""
    results = await _results(request.app)
    return web.json_response({"status": "ok" if all(results.values()) else "unavailable",
                              "checks": {k: "up" if up else "down" for k, up in results.items()}},
                             status=200 if all(results.values()) else 503)


def database_check(engine) -> Callable[[], Awaitable[bool]]:
    def ping() -> bool:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1")).scalar_one() == 1

    async def check() -> bool:
        return await asyncio.to_thread(ping)

    return check


async def _no_server_header(_request: web.Request, response: web.StreamResponse) -> None:
    response.headers.pop("Server", None)  # no version to fingerprint


def build_app(assistant: Assistant) -> web.Application:
    app = web.Application(client_max_size=2 * 1024 * 1024)
    app.on_response_prepare.append(_no_server_header)
    app[ASSISTANT] = assistant
    app[CHECKS] = {"database": database_check(assistant.db.engine)}
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/readyz", readyz)
    app.router.add_get("/approvals/{token}", approval_page)
    app.router.add_post("/approvals/{token}", approval_decide)
    add_routes(app, assistant)
    return app
