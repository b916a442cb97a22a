"""Assistant.handle: persist first, then understand and act in one transaction.

1. `receive` stores the message (unique on channel + external id: a redelivery is a
   no-op) and commits, so the channel can acknowledge it: nothing accepted is lost.
2. `process` claims it, resolves who wrote, reads it, runs the handler, and writes
   replies to the outbox — all in one transaction. A lost stock race is retried; a crash
   leaves the message `failed` with its error, for `process_pending` to pick up again.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from assistant import audit, conversation, outbox
from assistant.catalog_index import CatalogIndex
from assistant.clock import Clock
from assistant.config import Settings
from assistant.context import HandlerContext, Speaker
from assistant.database import Database
from assistant.handlers.approval_flow import Decision, decide, sweep
from assistant.handlers.approval_flow import state as approval_state
from assistant.identity import Identity, resolve
from assistant.links import ApprovalLinks
from assistant.messages import InboundMessage, OutboundMessage, Reply
from assistant.rendering import Renderer
from assistant.routing import route
from assistant.tables import InboundRow, OutboxRow
from commerce.customers import Role
from commerce.errors import CommerceError, ErrorCode
from commerce.persistence import catalog_store, stock_store
from commerce.persistence.database import transaction
from commerce.persistence.tables import LeadRow

log = logging.getLogger("comptoir.assistant")

# A worker holds a message for LEASE and renews the hold while it works; a lapsed hold (the
# worker died) is taken back by any server. A failed message is retried after each delay,
# then dead-lettered: the admin sees it (`comptoir inbox --failed`) and can retry it.
LEASE = timedelta(seconds=60)
RETRY_DELAYS = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30))
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# parts of a mail we could not read (a spreadsheet attachment without order lines we can read, too)
UNREAD = frozenset({"PartUnreadable", "TooDeep", "TooManyParts", "AttachmentUnreadable"})


def _due(now: datetime):
    """The messages a worker may take now."""
    return or_(InboundRow.status == "received",
               (InboundRow.status == "failed") & (InboundRow.next_attempt_at <= now),
               (InboundRow.status == "processing") & or_(
                   InboundRow.lease_until < now,
                   InboundRow.lease_until.is_(None) & (InboundRow.processed_at < now - LEASE)))


class _Heartbeat:
    """Renews a message's lease while its worker is alive (a thread; stops with the work)."""

    def __init__(self, assistant: Assistant, inbound_id: int) -> None:
        self.assistant, self.inbound_id = assistant, inbound_id
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"lease-{inbound_id}", daemon=True)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while not self._stop.wait(LEASE.total_seconds() / 3):
            try:
                with transaction(self.assistant.db.sessions) as session:
                    session.execute(update(InboundRow).where(
                        InboundRow.id == self.inbound_id, InboundRow.status == "processing")
                        .values(lease_until=self.assistant.clock.now() + LEASE))
            except Exception:  # a missed renewal only shortens the hold
                log.warning("could not renew the lease of message %s", self.inbound_id, exc_info=True)


@dataclass(frozen=True, slots=True)
class HandleResult:
    inbound_id: int | None
    duplicate: bool
    status: str
    intent: str | None = None
    outbox_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class ClaimOutcome:
    status: str  # "claimed" | "taken" (by someone else first) | "refused" (not a rep) | "unknown" (no such lead)
    holder: str | None  # who holds the lead now (email)
    holder_name: str | None = None


class Assistant:
    def __init__(self, db: Database, *, settings: Settings, clock: Clock, renderer: Renderer | None = None,
                 catalog: CatalogIndex | None = None) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock
        self.renderer = renderer or Renderer()
        self.catalog = catalog or CatalogIndex()
        self.links = ApprovalLinks(settings.secret_key, settings.base_url,
                                   max_age_seconds=int(settings.approval_expiry_hours * 3600) + 3600)

    # -- the flow of one message -------------------------------------------------------
    def handle(self, message: InboundMessage) -> HandleResult:
        inbound_id = self.receive(message)
        if inbound_id is None:
            return HandleResult(None, True, "duplicate")
        if message.ignore_reason:
            log.info("recorded, not answered (%s): message %s", message.ignore_reason, inbound_id)
            return HandleResult(inbound_id, False, "ignored")
        return self.process(inbound_id)

    def receive(self, message: InboundMessage) -> int | None:
        """Store the message; None when the same (channel, external id) was already stored."""
        message = _storable(message)
        try:
            with transaction(self.db.sessions) as session:
                row = InboundRow(
                    channel=message.channel, external_id=message.external_id[:500],
                    sender=(message.sender_email or message.sender)[:320], thread_key=message.thread_key[:500],
                    subject=message.subject, text=message.text,
                    attachments=[{"filename": a.filename, "content_type": a.content_type, "size": len(a.data)}
                                 for a in message.attachments],
                    headers={**message.headers,
                             **({"x-structured-lines": [list(ln) for ln in message.structured_lines]}
                                if message.structured_lines else {})},
                    raw=message.raw, received_at=message.received_at,
                    status="ignored" if message.ignore_reason else "received", attempts=0,
                    error=message.ignore_reason,
                )
                session.add(row)
                session.flush()
                return row.id
        except IntegrityError:
            log.info("duplicate delivery ignored: %s %s", message.channel, message.external_id)
            return None

    def process(self, inbound_id: int) -> HandleResult:
        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            claimed = session.execute(
                update(InboundRow)
                .where(InboundRow.id == inbound_id, _due(now))
                .values(status="processing", attempts=InboundRow.attempts + 1, processed_at=now,
                        lease_until=now + LEASE, next_attempt_at=None)
            ).rowcount
        if claimed != 1:
            return HandleResult(inbound_id, True, "already_processed")
        with _Heartbeat(self, inbound_id):
            return self._process_claimed(inbound_id)

    def _process_claimed(self, inbound_id: int) -> HandleResult:
        for _attempt in range(3):
            try:
                with transaction(self.db.sessions) as session:
                    row = session.get(InboundRow, inbound_id)
                    ctx, intent_name = self._run(session, row)
                    row.status, row.intent, row.error = "processed", intent_name, None
                    row.processed_at, row.lease_until = self.clock.now(), None
                    return HandleResult(inbound_id, False, "processed", intent_name, tuple(ctx.speaker.sent))
            except CommerceError as error:
                if error.code is ErrorCode.INSUFFICIENT_STOCK:
                    log.info("stock moved while processing message %s: retrying", inbound_id)
                    continue
                return self._failed(inbound_id, error)
            except Exception as error:  # the admin gets the trace, the person an apology
                log.exception("message %s failed", inbound_id)
                return self._failed(inbound_id, error)
        return self._failed(inbound_id, RuntimeError("stock kept moving; retry later"))

    def _failed(self, inbound_id: int, error: Exception) -> HandleResult:
        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            row = session.get(InboundRow, inbound_id)
            dead = row.attempts >= MAX_ATTEMPTS
            row.error = f"{type(error).__name__}: {error}"[:2000]
            row.status, row.lease_until = ("dead" if dead else "failed"), None
            row.next_attempt_at = None if dead else now + RETRY_DELAYS[max(0, row.attempts - 1)]
            if dead:
                log.error("message %s dead-lettered after %s attempts: %s", inbound_id, row.attempts, row.error)
            identity = resolve(session, row.sender)
            # one honest answer: "it will be retried" at the first failure, "a person will look at
            # it" when it is given up on (never one per retry)
            template = "message_dead" if dead else "technical_problem" if row.attempts == 1 else None
            speaker = Speaker(session, self.renderer, self.settings, now,
                              key_prefix=f"in:{inbound_id}:{template or 'failed'}")
            ctx = self._context(session, row, identity, speaker, lang=identity.language_hint or "fr")
            if template and (row.channel != "email" or identity.contact is not None):
                try:
                    ctx.reply(template)
                except Exception:  # the apology itself must not lose the failure record
                    log.exception("could not write the apology for message %s", inbound_id)
            return HandleResult(inbound_id, False, "dead" if dead else "failed", None, tuple(speaker.sent))

    def retry_failed(self, inbound_id: int | None = None) -> int:
        """The admin's retry: a failed or dead-lettered message (or all of them) is taken again now."""
        with transaction(self.db.sessions) as session:
            query = update(InboundRow).where(InboundRow.status.in_(("failed", "dead")))
            if inbound_id is not None:
                query = query.where(InboundRow.id == inbound_id)
            count = session.execute(query.values(status="received", next_attempt_at=None)).rowcount
        return count

    def _context(self, session, row: InboundRow, identity: Identity, speaker: Speaker, *, lang: str) -> HandlerContext:
        return HandlerContext(session=session, now=speaker.now, identity=identity, channel=row.channel,
                              thread_key=row.thread_key, lang=lang, settings=self.settings, speaker=speaker,
                              links=self.links, inbound_id=row.id, inbound_subject=row.subject or "",
                              inbound_headers=dict(row.headers or {}))

    def _run(self, session, row: InboundRow) -> tuple[HandlerContext, str]:
        now = self.clock.now()
        identity = resolve(session, row.sender)
        parser = self.catalog.parser(session)
        intent = parser.parse(row.text, subject=row.subject or None, lang_hint=identity.language_hint)
        speaker = Speaker(session, self.renderer, self.settings, now, key_prefix=f"in:{row.id}")
        ctx = self._context(session, row, identity, speaker, lang=intent.lang or identity.language_hint or "fr")
        ctx.state = conversation.load(session, row.thread_key, now=now)
        structured = [(sku, int(qty)) for sku, qty in (row.headers or {}).get("x-structured-lines", [])]
        handled = route(ctx, intent, parser=parser, catalog=self.catalog, text=row.text, structured=structured)
        if UNREAD & set((row.headers or {}).get("defects") or ()) and handled not in ("ignored", "help") \
                and identity.contact is not None:
            ctx.reply("parts_unread")  # what could be read is answered above; say what could not
        if ctx.next_state is not None:
            conversation.save(session, row.thread_key, ctx.next_state, participant=identity.address, now=now,
                              ttl_hours=self.settings.conversation_ttl_hours)
        elif handled != "ignored":
            conversation.clear(session, row.thread_key, now=now)
        return ctx, handled

    # -- background work -----------------------------------------------------------------
    def process_pending(self) -> int:
        """Messages accepted but never processed, held by a worker that died, or due for a retry."""
        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            ids = list(session.scalars(select(InboundRow.id).where(_due(now)).order_by(InboundRow.id)))
        for inbound_id in ids:
            self.process(inbound_id)
        return len(ids)

    def maintenance(self) -> dict:
        """Approval reminders and expiries, expired stock holds."""
        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            speaker = Speaker(session, self.renderer, self.settings, now, key_prefix=f"sweep:{now.isoformat()}")
            return sweep(session, speaker, self.links, now=now, reminder_hours=self.settings.approval_reminder_hours)

    def decide_approval(self, approval_id: int, *, approve: bool, by: str, via: str,
                        reason: str | None = None) -> Decision:
        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            speaker = Speaker(session, self.renderer, self.settings, now,
                              key_prefix=f"decide:{approval_id}:{via}:{now.isoformat()}")
            return decide(session, speaker, approval_id=approval_id, approve=approve, by=by, via=via, now=now,
                          reason=reason)

    def approval_state(self, approval_id: int, *, by: str, via: str) -> Decision:
        """Before asking a reason for a rejection: is there still something this person may decide?"""
        with transaction(self.db.sessions) as session:
            return approval_state(session, approval_id=approval_id, by=by, via=via, now=self.clock.now())

    def delivery_failed(self, message: OutboundMessage, error: str) -> None:
        """A message we could not deliver for good: the account's sales rep is told."""

        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            contact = catalog_store.get_contact(session, message.recipient) if "@" in message.recipient else None
            customer = catalog_store.get_customer(session, contact.customer_id) \
                if contact is not None and contact.customer_id else None
            rep = catalog_store.get_contact(session, customer.sales_rep_email) \
                if customer is not None and customer.sales_rep_email else None
            audit.record(session, at=now, actor="system", action="delivery_failed", reference=str(message.id),
                         customer_id=customer.customer_id if customer else None, recipient=message.recipient,
                         error=error)
            if rep is None or rep.email == message.recipient:
                return
            speaker = Speaker(session, self.renderer, self.settings, now, key_prefix=f"bounce:{message.id}")
            speaker.notify(rep, Reply("rep_delivery_failed", {
                "name": rep.name, "recipient": message.recipient, "subject": message.subject, "error": error,
                "customer": customer.name if customer else ""}), kind="rep_delivery_failed",
                key=f"bounce:{message.id}")

    def claim_lead(self, email: str, *, by: str) -> ClaimOutcome:
        """Only a sales rep claims a lead, and the first one gets it (one conditional UPDATE:
        two reps clicking at once cannot both win). Every attempt is audited."""
        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            contact = catalog_store.get_contact(session, by)
            lead = session.get(LeadRow, email.lower())
            if lead is None:
                outcome = ClaimOutcome("unknown", None)
            elif contact is None or contact.role is not Role.SALES_REP:
                outcome = ClaimOutcome("refused", lead.claimed_by)
            else:
                session.execute(update(LeadRow).where(LeadRow.email == email.lower(), LeadRow.claimed_by.is_(None))
                                .values(claimed_by=contact.email, status="claimed"))
                session.refresh(lead)
                holder = catalog_store.get_contact(session, lead.claimed_by) if lead.claimed_by else None
                outcome = ClaimOutcome("claimed" if lead.claimed_by == contact.email else "taken", lead.claimed_by,
                                       holder.name if holder else lead.claimed_by)
            audit.record(session, at=now, actor=by, action=f"lead_claim_{outcome.status}", reference=email.lower())
            return outcome

    def stock_alerts(self) -> int:
        """Tell purchasing about stock that crossed a threshold (once per crossing), in the
        Slack channel and by mail, with the quantity to order and how to order it."""
        channel = self.settings.slack_purchasing_channel if self.settings.slack_enabled else None
        mailbox = self.settings.purchasing_email
        if not (channel or mailbox):
            return 0
        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            alerts = stock_store.pending_alerts(session)
            speaker = Speaker(session, self.renderer, self.settings, now, key_prefix="stock-alert")
            for alert in alerts:
                product = catalog_store.get_product(session, alert.sku)
                figures = stock_store.figures(session, alert.sku)
                reply = Reply("stock_alert", {"name": "", "sku": alert.sku, "product": product.name,
                                              "level": alert.level, "available": alert.available,
                                              "threshold": figures.alert_threshold,
                                              "safety": figures.safety_stock,
                                              "incoming": figures.incoming,
                                              "incoming_date": figures.incoming_date,
                                              "preordered": figures.preordered,
                                              "suggested": stock_store.suggested_restock(session, alert.sku),
                                              "alert_id": alert.id})
                for where, recipient in (("slack", channel), ("email", mailbox)):
                    if recipient:
                        speaker.send(channel=where, recipient=recipient, lang="fr", kind="stock_alert",
                                     key=f"stock-alert:{alert.id}" + (":email" if where == "email" else ""),
                                     reply=reply)
                alert.notified_at = now
            return len(alerts)

    def outbox_for(self, *, channel: str, thread_key: str | None = None, recipient: str | None = None,
                   mark_sent: bool = True) -> list[OutboxRow]:
        """Pending messages of one conversation (the terminal channel prints them)."""
        now = self.clock.now()
        with transaction(self.db.sessions) as session:
            rows = outbox.pending_for(session, channel=channel, thread_key=thread_key, recipient=recipient)
            if mark_sent:
                for row in rows:
                    outbox.mark_sent(session, row.id, now=now)
            return rows


def _no_nul(value):
    """PostgreSQL text cannot hold NUL characters; hostile mail can. The raw bytes keep them."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_no_nul(k): _no_nul(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_no_nul(v) for v in value]
    return value


def _storable(message: InboundMessage) -> InboundMessage:
    return replace(message, text=_no_nul(message.text), subject=_no_nul(message.subject),
                   sender=_no_nul(message.sender), external_id=_no_nul(message.external_id),
                   thread_key=_no_nul(message.thread_key), headers=_no_nul(dict(message.headers)),
                   sender_email=_no_nul(message.sender_email) if message.sender_email else None,
                   ignore_reason=_no_nul(message.ignore_reason) if message.ignore_reason else None)
