"""What a handler works with: one transaction, the clock, who wrote, and a way to speak.

Everything a handler says goes to the outbox in the handler's transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from assistant import audit, outbox
from assistant.config import Settings
from assistant.identity import Identity
from assistant.links import ApprovalLinks
from assistant.messages import Action, Reply
from assistant.rendering import Renderer, language_of
from commerce.customers import Contact


@dataclass
class Speaker:
    """Renders replies and notifications into outbox rows with stable keys."""

    session: Session
    renderer: Renderer
    settings: Settings
    now: datetime
    key_prefix: str
    sent: list[int] = field(default_factory=list)
    _count: int = 0

    def channel_for(self, contact: Contact) -> str:
        if contact.slack_user_id and self.settings.slack_enabled:
            return "slack"
        return "email"

    def send(
        self,
        *,
        channel: str,
        recipient: str,
        reply: Reply,
        lang: str,
        kind: str,
        thread_key: str | None = None,
        key: str | None = None,
        extra_payload: dict[str, Any] | None = None,
        subject: str | None = None,
    ) -> int:
        lang = language_of(lang)
        rendered = self.renderer.render(reply, lang)
        self._count += 1
        payload = {
            "template": reply.template,
            "actions": [_action(a) for a in reply.actions],
            **(extra_payload or {}),
        }
        key = key or f"{self.key_prefix}:{self._count}:{kind}:{recipient}"
        row = outbox.enqueue(
            self.session,
            key=key,
            message_id=outbox.make_message_id(key, self.settings.mail_domain) if channel == "email" else None,
            channel=channel,
            recipient=recipient,
            kind=kind,
            language=lang,
            subject=subject or rendered.subject,
            text=rendered.text,
            now=self.now,
            thread_key=thread_key,
            payload=payload,
        )
        self.sent.append(row.id)
        return row.id

    def notify(self, contact: Contact, reply: Reply, *, kind: str, key: str | None = None,
               extra_payload: dict[str, Any] | None = None) -> int:
        channel = self.channel_for(contact)
        recipient = contact.slack_user_id if channel == "slack" else contact.email
        return self.send(channel=channel, recipient=recipient or contact.email, reply=reply,
                         lang=contact.language, kind=kind, key=key, extra_payload=extra_payload,
                         thread_key=f"notify:{contact.email}")


# answers that say nothing of an account, a price or an order: fine in a shared channel
PUBLIC_TEMPLATES = frozenset({"help", "technical_problem", "answered_privately"})


def _action(action: Action) -> dict[str, Any]:
    return {"kind": action.kind, "label": action.label, "url": action.url, "value": action.value}


@dataclass
class HandlerContext:
    session: Session
    now: datetime
    identity: Identity
    channel: str
    thread_key: str
    lang: str
    settings: Settings
    speaker: Speaker
    links: ApprovalLinks
    inbound_id: int | None = None
    inbound_subject: str = ""
    inbound_headers: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] | None = None
    next_state: dict[str, Any] | None = None
    _told_privately: bool = False

    def reply(self, template: str, actions: tuple[Action, ...] = (), **context: Any) -> int:
        """Answer the person who wrote, on their channel and thread, in their language.

        An email answer is threaded: In-Reply-To / References of the message it answers and
        a `Re:` subject (RFC 5322 3.6.4).
        """
        extra, subject = {}, None
        recipient = self.identity.address
        if self.channel == "slack" and self.inbound_headers.get("slack-public") \
                and self.inbound_headers.get("slack-user") and template not in PUBLIC_TEMPLATES:
            # asked in a shared channel: account, price and order details go to the person only,
            # and the channel is told once that the answer was given privately
            if not self._told_privately:
                self._told_privately = True
                self.speaker.send(channel="slack", recipient=self.inbound_headers["slack-channel"],
                                  reply=Reply("answered_privately", {"name": self.identity.name}), lang=self.lang,
                                  kind="answered_privately", thread_key=self.thread_key,
                                  extra_payload={"thread_ts": self.inbound_headers.get("slack-thread-ts")})
            recipient = self.inbound_headers["slack-user"]
        elif self.channel == "slack":  # answer in the conversation (and thread) it came from
            recipient = self.inbound_headers.get("slack-channel") or recipient
            if self.inbound_headers.get("slack-thread-ts"):
                extra["thread_ts"] = self.inbound_headers["slack-thread-ts"]
        message_id = self.inbound_headers.get("message-id")
        if self.channel == "email":
            if message_id:
                refs = [*self.inbound_headers.get("references", []), message_id]
                extra = {"in_reply_to": message_id, "references": " ".join(refs[-20:])}
            original = (self.inbound_subject or "").strip()
            if original:
                subject = original if original.lower().startswith(("re:", "re :")) else f"Re: {original}"
        return self.speaker.send(
            channel=self.channel,
            recipient=recipient,
            reply=Reply(template, {"name": self.identity.name, **context}, actions),
            lang=self.lang,
            kind=template,
            thread_key=self.thread_key,
            extra_payload=extra,
            subject=subject,
        )

    def audit(self, action: str, *, reference: str | None = None, customer_id: str | None = None,
              **details: Any) -> None:
        audit.record(self.session, at=self.now, actor=self.identity.address, action=action,
                     reference=reference, customer_id=customer_id, **details)

    def ask(self, state: dict[str, Any]) -> None:
        """Keep what this thread now waits for (a clarification or a confirmation)."""
        self.next_state = state
