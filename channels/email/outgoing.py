"""Outbound email: one MIME message per outbox row (text + HTML alternative).

Delivered to the configured relay (aiosmtplib, STARTTLS/auth) or, without a relay, to a
Maildir under var/ that a person can open. The Message-ID comes from the outbox row and
is stable, so a retried delivery is the same message; the Maildir file name is stable
too, so a redelivery overwrites nothing.
"""

from __future__ import annotations

import asyncio
import hashlib
import html
import os
import re
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from urllib.parse import urlparse

from assistant.dispatcher import DeliveryError
from assistant.messages import OutboundMessage
from assistant.outbox import make_message_id
from channels.email import headers

URL = re.compile(r"https?://[^\s<>\"]+")


def text_to_html(text: str) -> str:
    escaped = html.escape(text)
    linked = URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)
    return (
        "<!doctype html><html><body>"
        "<div style=\"font-family:Arial,Helvetica,sans-serif;font-size:14px;white-space:pre-wrap\">"
        f"{linked}</div></body></html>"
    )


def build_email(message: OutboundMessage, *, sender: str, domain: str) -> EmailMessage:
    # every value through `headers`: a buyer's subject or ids may hold line breaks or controls
    try:
        recipient = headers.address(message.recipient)
    except ValueError as error:
        raise DeliveryError(str(error), permanent=True) from error
    mail = EmailMessage()
    mail["From"] = headers.address(sender)
    mail["To"] = recipient
    mail["Subject"] = headers.text(message.subject)
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = headers.message_ids(message.message_id, keep=1) \
        or make_message_id(message.idempotency_key, domain)
    in_reply_to = headers.message_ids(message.payload.get("in_reply_to"), keep=1)
    # RFC 3834: say that we are automatic, so that other robots do not answer us.
    mail["Auto-Submitted"] = "auto-replied" if in_reply_to else "auto-generated"
    mail["Content-Language"] = headers.text(message.language)[:35] or "fr"
    if in_reply_to:
        mail["In-Reply-To"] = in_reply_to
        mail["References"] = headers.message_ids(message.payload.get("references")) or in_reply_to
    mail.set_content(message.text)
    mail.add_alternative(message.html or text_to_html(message.text), subtype="html")
    return mail


class MaildirWriter:
    def __init__(self, directory: str | Path, *, sender: str, domain: str) -> None:
        self.root = Path(directory)
        for sub in ("tmp", "new", "cur"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.sender, self.domain = sender, domain

    def __call__(self, message: OutboundMessage) -> None:
        name = hashlib.sha256(message.idempotency_key.encode()).hexdigest()[:40] + ".eml"
        target = self.root / "new" / name
        if target.exists() or (self.root / "cur" / name).exists():
            return
        data = build_email(message, sender=self.sender, domain=self.domain).as_bytes()
        temp = self.root / "tmp" / f"{name}.{os.getpid()}"
        temp.write_bytes(data)
        os.replace(temp, target)


class RelaySender:
    """`COMPTOIR_SMTP_RELAY` = smtp://user:pass@host:587?starttls=1 (or smtps:// for TLS)."""

    def __init__(self, relay_url: str, *, sender: str, domain: str, timeout: float = 30) -> None:
        parsed = urlparse(relay_url if "://" in relay_url else f"smtp://{relay_url}")
        self.host = parsed.hostname or "localhost"
        self.port = parsed.port or (465 if parsed.scheme == "smtps" else 25)
        self.username, self.password = parsed.username, parsed.password
        self.use_tls = parsed.scheme == "smtps"
        self.start_tls = "starttls=1" in (parsed.query or "") or (parsed.port == 587)
        self.sender, self.domain, self.timeout = sender, domain, timeout

    def __call__(self, message: OutboundMessage) -> None:
        asyncio.run(self._send(message))

    async def _send(self, message: OutboundMessage) -> None:
        import aiosmtplib

        mail = build_email(message, sender=self.sender, domain=self.domain)
        try:
            await aiosmtplib.send(
                mail, hostname=self.host, port=self.port, username=self.username, password=self.password,
                use_tls=self.use_tls, start_tls=self.start_tls if not self.use_tls else False,
                timeout=self.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as error:
            raise DeliveryError(f"recipient refused: {error}", permanent=True) from error
        except aiosmtplib.SMTPResponseException as error:
            raise DeliveryError(f"{error.code} {error.message}", permanent=500 <= error.code < 600) from error
        except (aiosmtplib.SMTPException, OSError) as error:
            raise DeliveryError(str(error)) from error
