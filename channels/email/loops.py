"""Mail we must never answer (RFC 3834): auto-replies, bounces, lists, ourselves."""

from __future__ import annotations

import re

from channels.email.parsing import ParsedEmail

ROBOT_SENDERS = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|ne-?pas-?repondre|bounce[s]?|notifications?)([+@.-]|$)",
    re.IGNORECASE,
)
AUTO_SUBJECTS = re.compile(
    r"(r[ée]ponse automatique|absent(e)? du bureau|out of (the )?office|automatic reply|auto[- ]?reply|"
    r"autoreply|undeliverable|delivery status notification|non remis|mail delivery failed|"
    r"accus[ée] de (lecture|r[ée]ception)|^(read|lu)\s*:)",
    re.IGNORECASE,
)


def never_answer_reason(parsed: ParsedEmail, *, envelope_from: str, our_addresses: set[str],
                        our_domains: set[str]) -> str | None:
    """Why this message must not get an automatic answer, or None if it may."""
    headers = parsed.headers
    if envelope_from in ("", "<>"):
        return "null reverse path (bounce)"
    auto = headers.get("auto-submitted", "").strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    if headers.get("precedence", "").strip().lower() in ("bulk", "junk", "list"):
        return f"Precedence: {headers['precedence']}"
    if "list-id" in headers or "list-unsubscribe" in headers:
        return "mailing list"
    if "x-autoreply" in headers or "x-autorespond" in headers:
        return "X-Autoreply"
    local = parsed.sender.partition("@")[0]
    if not parsed.sender or ROBOT_SENDERS.match(local) or ROBOT_SENDERS.match(envelope_from.partition("@")[0]):
        return "robot sender"
    if parsed.sender in our_addresses:
        return "our own message"
    if parsed.message_id and parsed.message_id.rstrip(">").rpartition("@")[2].lower() in our_domains \
            and parsed.sender.rpartition("@")[2] in our_domains:
        return "our own message"
    if AUTO_SUBJECTS.search(parsed.subject or ""):
        return "auto-reply subject"
    return None
