"""Every header we write passes here: one boundary, so that no value a sender chose can break it.

A subject or a threading header copied from a buyer's mail may decode to a line break (CR, LF,
a form feed, NEL, U+2028...) or carry control characters; written as is, it makes the message
unserialisable (every delivery raises) or, worse, adds headers. Text headers keep their words
on one line; message-id headers keep only well-formed ids.
"""

from __future__ import annotations

import re
import unicodedata
from email.utils import formataddr, parseaddr

MAX_TEXT = 200  # characters of a subject: a longer one is cut, not refused
MAX_IDS = 20  # References keeps the most recent ids
MESSAGE_ID = re.compile(r"<[!-;=?-~]{1,250}@[!-;=?-~]{1,250}>")  # printable ASCII, no '<' '>' inside


def text(value: object) -> str:
    """A one-line header text: every line break and control character becomes a space."""
    out = []
    for ch in str(value or ""):
        category = unicodedata.category(ch)
        out.append(" " if category in ("Cc", "Cf", "Zl", "Zp", "Cs") else ch)
    cleaned = " ".join("".join(out).split())
    return cleaned if len(cleaned) <= MAX_TEXT else cleaned[: MAX_TEXT - 1].rstrip() + "…"


def message_ids(value: object, *, keep: int = MAX_IDS) -> str:
    """Well-formed message ids only, space-separated, the last `keep` of them."""
    found = MESSAGE_ID.findall(str(value or ""))
    return " ".join(found[-keep:])


def address(value: object) -> str:
    """A mailbox as `Name <addr>`, the name made one line, the address without spaces or controls."""
    raw = str(value or "")
    if any(unicodedata.category(c) in ("Cc", "Zl", "Zp") for c in raw):
        raise ValueError(f"a mail address with a line break or a control character: {raw[:80]!r}")
    name, addr = parseaddr(raw)
    addr = addr.strip()
    if not addr or any(c.isspace() or unicodedata.category(c) == "Cc" for c in addr) or "@" not in addr:
        raise ValueError(f"not a mail address: {str(value)[:80]!r}")
    return formataddr((text(name), addr)) if name else addr
