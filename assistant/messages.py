"""Channel-neutral messages: what comes in, what the assistant says, what goes out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class InboundMessage:
    channel: str  # "email" | "slack" | "terminal" | "http"
    sender: str  # an email address, or a channel user id (Slack "U123")
    external_id: str  # Message-ID (+ hash), Slack event_id...: the dedupe key with channel
    thread_key: str
    text: str
    received_at: datetime
    subject: str = ""
    attachments: tuple[Attachment, ...] = ()
    headers: dict[str, str] = field(default_factory=dict)
    raw: bytes | None = None
    # Set by a channel that already knows who wrote (e.g. Slack user -> contact email).
    sender_email: str | None = None
    # Order lines a channel read from a structured attachment (CSV/XLSX): (sku, qty).
    structured_lines: tuple[tuple[str, int], ...] = ()
    # Set when the message must be recorded but never answered (auto-reply, bounce, list).
    ignore_reason: str | None = None


@dataclass(frozen=True, slots=True)
class Action:
    """A button or link: the channel renders it (Slack button, email link, printed URL)."""

    kind: str  # "approve" | "reject" | "claim" | "link"
    label: str
    url: str | None = None
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """What the assistant wants to say: a template, its context, and actions."""

    template: str
    context: dict[str, Any]
    actions: tuple[Action, ...] = ()


@dataclass(frozen=True, slots=True)
class OutboundMessage:
    id: int
    channel: str
    recipient: str
    thread_key: str | None
    kind: str
    language: str
    subject: str
    text: str
    html: str | None
    payload: dict[str, Any]
    idempotency_key: str
    attempts: int = 0
    message_id: str | None = None
