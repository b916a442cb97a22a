"""Outbound email: a MIME message per outbox row, written to a Maildir a person can open.

The Message-ID derives from the outbox idempotency key, so a retried delivery is the same
message (and a Maildir redelivery overwrites nothing: the file name is stable too).
"""

from __future__ import annotations

import hashlib
import os
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from assistant.messages import OutboundMessage


def message_id(key: str, domain: str) -> str:
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}@{domain}>"


def build_email(message: OutboundMessage, *, sender: str, domain: str) -> EmailMessage:
    mail = EmailMessage()
    mail["From"] = sender
    mail["To"] = message.recipient
    mail["Subject"] = message.subject
    mail["Date"] = formatdate(localtime=False)
    mail["Message-ID"] = message_id(message.idempotency_key, domain) if message.idempotency_key else make_msgid()
    mail["Auto-Submitted"] = "auto-replied" if message.payload.get("in_reply_to") else "auto-generated"
    mail["Content-Language"] = message.language
    if message.payload.get("in_reply_to"):
        mail["In-Reply-To"] = message.payload["in_reply_to"]
        mail["References"] = message.payload.get("references") or message.payload["in_reply_to"]
    mail.set_content(message.text)
    if message.html:
        mail.add_alternative(message.html, subtype="html")
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
