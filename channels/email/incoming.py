"""Inbound SMTP (aiosmtpd): a message is stored before we answer 250, then processed.

- recipients outside our domains: 550; over the size limit: 552 (aiosmtpd enforces
  `data_size_limit`); a storage failure: 451 so that the sender retries (nothing lost);
- bytes are kept as received (`decode_data=False`, so 8BITMIME stays advertised);
- auto-replies, bounces and list mail are stored but never answered;
- a reply to one of our messages continues that message's conversation.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from datetime import UTC, datetime

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from assistant.core import Assistant
from assistant.messages import Attachment, InboundMessage
from assistant.outbox import by_message_ids
from channels.email.loops import never_answer_reason
from channels.email.parsing import ParsedEmail, dedupe_key, parse_email
from commerce.persistence.database import transaction

log = logging.getLogger("comptoir.email")

DEFAULT_SIZE_LIMIT = 10 * 1024 * 1024


def _unparseable(data: bytes, envelope_from: str) -> ParsedEmail:
    return ParsedEmail(sender=envelope_from.lower(), sender_name="", recipients=[], subject="", message_id="",
                       in_reply_to="", references=[], text="", headers={}, defects=["unparseable"])


class InboundHandler:
    def __init__(self, assistant: Assistant, *, domains: tuple[str, ...], our_addresses: set[str],
                 trusted_authserv_id: str | None = None, process_queue: queue.Queue | None = None) -> None:
        self.assistant = assistant
        self.domains = {d.lower() for d in domains}
        self.our_addresses = {a.lower() for a in our_addresses}
        self.trusted_authserv_id = trusted_authserv_id
        self.queue = process_queue

    async def handle_RCPT(self, server: SMTP, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:
        domain = address.rpartition("@")[2].strip().lower().rstrip(">")
        if self.domains and domain not in self.domains:
            log.info("refused recipient %s", address)
            return f"550 5.1.1 <{address}>: recipient not accepted here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or envelope.content or b""
        if isinstance(data, str):
            data = data.encode("utf-8", errors="surrogateescape")
        envelope_from = (envelope.mail_from or "").strip()
        # parsing and storing run in a worker thread: one heavy mail never holds the other clients
        try:
            message = await asyncio.to_thread(self.to_inbound, data, envelope_from)
        except Exception:  # never crash on what a sender sends: keep the bytes, answer nothing
            log.exception("unparseable message from %s kept as is", envelope_from)
            parsed = _unparseable(data, envelope_from)
            message = self._inbound(parsed, data, "unparseable message", thread_key=f"email:raw:{id(data)}")
        try:
            inbound_id = await asyncio.to_thread(self.assistant.receive, message)
        except Exception:
            log.exception("could not store a message from %s", envelope_from)
            return "451 4.3.0 Temporary storage failure, please retry"
        if inbound_id is not None and not message.ignore_reason and self.queue is not None:
            self.queue.put(inbound_id)
        return "250 2.0.0 OK: message accepted"

    def to_inbound(self, data: bytes, envelope_from: str) -> InboundMessage:
        parsed = parse_email(data, envelope_from=envelope_from)
        reason = never_answer_reason(parsed, envelope_from=envelope_from, our_addresses=self.our_addresses,
                                     our_domains=self.domains | {self.assistant.settings.mail_domain})
        thread_key, context = self._thread(parsed)
        message = self._inbound(parsed, data, reason, thread_key=thread_key)
        if context:
            message.headers.update(context)
        if reason is None and self.trusted_authserv_id and not self._authenticated(parsed):
            message.headers["x-unauthenticated"] = "1"
        return message

    def _inbound(self, parsed: ParsedEmail, data: bytes, reason: str | None, *, thread_key: str) -> InboundMessage:
        headers = {**parsed.headers, "message-id": parsed.message_id, "references": parsed.references,
                   "in-reply-to": parsed.in_reply_to, "defects": parsed.defects,
                   "sender-name": parsed.sender_name or ""}
        return InboundMessage(
            channel="email", sender=parsed.sender or "unknown@invalid", external_id=dedupe_key(parsed, data),
            thread_key=thread_key[:500], text=parsed.text, subject=parsed.subject[:1000],
            received_at=datetime.now(UTC), raw=data, headers=headers,
            attachments=tuple(Attachment(a.filename, a.content_type, a.data) for a in parsed.attachments),
            structured_lines=tuple(parsed.structured_lines), ignore_reason=reason,
        )

    def _thread(self, parsed: ParsedEmail) -> tuple[str, dict]:
        """Continue the conversation of the message this one answers, when it is ours."""
        candidates = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
        if candidates:
            with transaction(self.assistant.db.sessions) as session:
                ours = by_message_ids(session, candidates)
                if ours is not None and ours.thread_key:
                    context = {}
                    if ours.payload and ours.payload.get("approval_id"):
                        context["x-approval-id"] = ours.payload["approval_id"]
                    return ours.thread_key, context
        root = (parsed.references[0] if parsed.references else parsed.in_reply_to) or parsed.message_id
        return f"email:{root or dedupe_key(parsed, parsed.text.encode())}", {}

    def _authenticated(self, parsed: ParsedEmail) -> bool:
        results = parsed.headers.get("authentication-results", "")
        authserv, _, rest = results.partition(";")
        if authserv.strip().lower() != (self.trusted_authserv_id or "").lower():
            return False
        return "dkim=pass" in rest.lower() or "spf=pass" in rest.lower()


class EmailChannel:
    """The SMTP server and the worker that processes what it stored."""

    def __init__(self, assistant: Assistant, *, host: str, port: int, domains: tuple[str, ...],
                 our_addresses: set[str], size_limit: int = DEFAULT_SIZE_LIMIT,
                 trusted_authserv_id: str | None = None) -> None:
        self.assistant = assistant
        self.queue: queue.Queue[int | None] = queue.Queue()
        self.handler = InboundHandler(assistant, domains=domains, our_addresses=our_addresses,
                                      trusted_authserv_id=trusted_authserv_id, process_queue=self.queue)
        self.controller = Controller(self.handler, hostname=host, port=port, data_size_limit=size_limit,
                                     decode_data=False, ready_timeout=10)
        self._worker = threading.Thread(target=self._work, name="email-worker", daemon=True)

    def start(self) -> None:
        self.controller.start()
        self._worker.start()

    def stop(self) -> None:
        self.controller.stop()
        self.queue.put(None)
        self._worker.join(timeout=30)

    def _work(self) -> None:
        while True:
            inbound_id = self.queue.get()
            if inbound_id is None:
                return
            try:
                self.assistant.process(inbound_id)
            except Exception:  # the message stays stored; process_pending retries it
                log.exception("processing message %s failed", inbound_id)
