"""From raw SMTP bytes to what the assistant needs: sender, thread, clean text, lines.

Bytes are parsed with `email.policy.default` (encoded headers, charsets); a part whose
charset is wrong or unknown is decoded leniently rather than refused. text/plain is
preferred; HTML is converted to text (inscriptis keeps table layout readable).
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr

from assistant.messages import Attachment

MAX_PARTS = 200  # a hostile message can nest thousands of parts: stop looking after this many
log = logging.getLogger("comptoir.email")
SKU_HEADERS = {"sku", "ref", "réf", "reference", "référence", "code", "code article", "réf. article", "ref article",
               "article", "product", "produit", "item", "part number"}
QTY_HEADERS = {"qty", "quantity", "quantité", "quantite", "qte", "qté", "qté commandée", "quantité commandée",
               "nombre", "quantités"}


@dataclass
class ParsedEmail:
    sender: str
    sender_name: str
    recipients: list[str]
    subject: str
    message_id: str
    in_reply_to: str
    references: list[str]
    text: str
    attachments: list[Attachment] = field(default_factory=list)
    structured_lines: list[tuple[str, int]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    defects: list[str] = field(default_factory=list)


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
        return str(value).strip() if value is not None else ""
    except Exception:  # a header too broken to decode is treated as absent
        return ""


def _ids(value: str) -> list[str]:
    return re.findall(r"<[^<>\s]+>", value or "")


def _decode(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        raw = part.get_payload()
        return raw if isinstance(raw, str) else ""
    charset = part.get_content_charset() or "utf-8"
    for candidate in (charset, "utf-8", "windows-1252", "latin-1"):
        try:
            return payload.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return payload.decode("utf-8", errors="replace")


def html_to_text(html: str) -> str:
    try:
        from inscriptis import get_text

        return get_text(html)
    except Exception:  # malformed HTML: drop the tags rather than the message
        return re.sub(r"<[^>]+>", " ", html)


MAX_DEPTH = 20  # multiparts inside multiparts: deeper ones are not read


def _parts(message: Message, defects: list[str]):
    """The leaf parts, depth first, without recursion (1,000 nested multiparts must not crash)."""
    stack, count = [(message, 0)], 0
    while stack:
        part, depth = stack.pop()
        count += 1
        if count > MAX_PARTS:
            defects.append("TooManyParts")
            return
        if part.is_multipart():
            if depth >= MAX_DEPTH:
                defects.append("TooDeep")
                continue
            children = part.get_payload()
            stack.extend((child, depth + 1) for child in reversed(children if isinstance(children, list) else []))
        else:
            yield part


def _body_and_attachments(message: Message, defects: list[str] | None = None) -> tuple[str, list[Attachment]]:
    """Part by part: one part that cannot be read is skipped (and said in `defects`), the rest is read."""
    defects = [] if defects is None else defects
    plain, html, attachments = [], [], []
    for part in _parts(message, defects):
        try:
            disposition = (part.get_content_disposition() or "").lower()
            filename = part.get_filename()
            content_type = part.get_content_type()
            if disposition == "attachment" or (filename and content_type not in ("text/plain", "text/html")):
                data = part.get_payload(decode=True) or b""
                attachments.append(Attachment(filename or "attachment", content_type, data))
            elif content_type == "text/plain":
                plain.append(_decode(part))
            elif content_type == "text/html":
                html.append(_decode(part))
        except Exception:  # a broken part: the others are still read
            log.info("an unreadable MIME part was skipped", exc_info=True)
            defects.append("PartUnreadable")
    text = "\n".join(plain) if any(p.strip() for p in plain) else "\n".join(html_to_text(h) for h in html)
    return text, attachments


def _tables(attachment: Attachment) -> list[list[list[str]]]:
    """Candidate tables of an attachment: a CSV read with each usual delimiter, or a sheet."""
    name = attachment.filename.lower()
    if name.endswith(".csv") or attachment.content_type in ("text/csv", "application/csv"):
        return [list(csv.reader(io.StringIO(_csv_text(attachment.data)), delimiter=d)) for d in (";", ",", "\t")]
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(attachment.data), read_only=True, data_only=True)
        sheet = book.worksheets[0]
        return [[["" if c is None else str(c) for c in row] for row in sheet.iter_rows(values_only=True)]]
    return []


def _is_sheet(attachment: Attachment) -> bool:
    name = attachment.filename.lower()
    return name.endswith((".csv", ".xlsx")) or attachment.content_type in ("text/csv", "application/csv")


def _csv_text(data: bytes) -> str:
    """A CSV as French Excel writes it (Windows-1252) or as anything else does (UTF-8, with or without BOM)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _quantity(text: str) -> int | None:
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        value = float(cleaned)  # a spreadsheet cell, not money: "12.0" is a count
    except ValueError:
        return None
    return int(value) if value > 0 and value == int(value) else None


def _lines_of(rows: list[list[str]]) -> list[tuple[str, int]] | None:
    for index, row in enumerate(rows[:10]):
        names = [c.strip().lower() for c in row]
        sku_col = next((i for i, n in enumerate(names) if n in SKU_HEADERS), None)
        qty_col = next((i for i, n in enumerate(names) if n in QTY_HEADERS), None)
        if sku_col is None or qty_col is None:
            continue
        lines = []
        for data in rows[index + 1 :]:
            if max(sku_col, qty_col) >= len(data) or not data[sku_col].strip():
                continue
            qty = _quantity(data[qty_col])
            if qty is not None:
                lines.append((data[sku_col].strip(), qty))
        return lines
    return None


def order_lines_from(attachment: Attachment) -> list[tuple[str, int]]:
    """`sku/ref, qty` columns of a CSV or XLSX attachment, as (sku, qty) lines."""
    try:
        tables = _tables(attachment)
    except Exception:  # an unreadable spreadsheet is kept as an attachment, not read
        return []
    for rows in tables:
        lines = _lines_of(rows)
        if lines is not None:
            return lines
    return []


MAX_HEADER = 4_000  # bytes of one header (unfolded) that we decode; the rest is cut
MAX_HEADERS = 200  # header lines kept


def bounded_headers(data: bytes) -> tuple[bytes, bool]:
    """The message with every header cut to MAX_HEADER bytes and at most MAX_HEADERS of them.

    Decoding a Subject of 48,000 encoded words takes the standard parser half a minute and
    gigabytes; no buyer writes one. The body is left as it is. Returns (data, whether cut)."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        head, found, body = data.partition(separator)
        if found:
            break
    else:
        head, separator, body = data, b"", b""
    newline = b"\r\n" if separator == b"\r\n\r\n" else b"\n"
    fields: list[bytes] = []
    for line in head.split(newline):
        if line[:1] in (b" ", b"\t") and fields:
            fields[-1] += newline + line  # a folded continuation
        else:
            fields.append(line)
    cut = len(fields) > MAX_HEADERS or any(len(f) > MAX_HEADER for f in fields)
    if not cut:
        return data, False
    kept = []
    for line in fields[:MAX_HEADERS]:
        if len(line) > MAX_HEADER:
            line = line[:MAX_HEADER].rsplit(b" ", 1)[0].rstrip(b"\r\n\t ")
        kept.append(line)
    return newline.join(kept) + (separator or newline + newline) + body, True


TEXT_PART = re.compile(rb"content-type:\s*text/plain[^\r\n]*(?:\r?\n[ \t][^\r\n]*)*((?:\r?\n[^\r\n]+)*)\r?\n\r?\n"
                       rb"(.*?)(?=\r?\n--|\Z)", re.I | re.S)


def _salvaged(data: bytes) -> EmailMessage:
    """A message the standard parser cannot walk (it recurses: 1,000 nested multiparts): its
    headers, and its first plain-text part found in the bytes, so that it can still be answered."""
    from email.parser import BytesHeaderParser

    headers = BytesHeaderParser(policy=policy.default).parsebytes(data)
    message = EmailMessage(policy=policy.default)
    for name in ("From", "To", "Cc", "Subject", "Message-ID", "In-Reply-To", "References", "Date",
                 "Auto-Submitted", "Precedence", "List-Id", "Authentication-Results", "Return-Path"):
        try:
            if headers.get(name) is not None:
                message[name] = str(headers.get(name))
        except Exception:  # a header that cannot be carried over is left out
            continue
    found = TEXT_PART.search(data[:2_000_000])
    message.set_content(found.group(2).decode("utf-8", errors="replace") if found else "")
    return message


def parse_email(data: bytes, *, envelope_from: str = "") -> ParsedEmail:
    data, cut = bounded_headers(data)
    salvaged, read_defects = False, []
    try:  # parsing and walking recurse as deep as the nesting
        message: EmailMessage = BytesParser(policy=policy.default).parsebytes(data)  # type: ignore[assignment]
        text, attachments = _body_and_attachments(message, read_defects)
    except RecursionError:
        message, salvaged, read_defects = _salvaged(data), True, []
        text, attachments = _body_and_attachments(message, read_defects)
    name, address = parseaddr(_header(message, "From"))
    sender = (address or envelope_from or "").strip().lower()
    recipients = [a.lower() for _, a in getaddresses([_header(message, "To"), _header(message, "Cc")]) if a]
    lines: list[tuple[str, int]] = []
    for attachment in attachments:
        found = order_lines_from(attachment)
        if not found and _is_sheet(attachment):
            read_defects.append("AttachmentUnreadable")  # a spreadsheet we could not read: said, never silence
        lines.extend(found)
    interesting = ("Auto-Submitted", "Precedence", "List-Id", "List-Unsubscribe", "X-Autoreply",
                   "X-Autorespond", "X-Auto-Response-Suppress", "Authentication-Results", "Return-Path",
                   "Date")
    return ParsedEmail(
        sender=sender,
        sender_name=name,
        recipients=recipients,
        subject=_header(message, "Subject"),
        message_id=_header(message, "Message-ID"),
        in_reply_to=(_ids(_header(message, "In-Reply-To")) or [""])[0],
        references=_ids(_header(message, "References")),
        text=text,
        attachments=attachments,
        structured_lines=lines,
        headers={h.lower(): _header(message, h) for h in interesting if _header(message, h)},
        defects=[type(d).__name__ for d in getattr(message, "defects", [])] + (["HeaderTooLong"] if cut else [])
        + sorted(set(read_defects)) + (["TooDeep"] if salvaged else []),
    )


def raw_body(data: bytes) -> bytes:
    """The bytes after the header block: relays add headers (Received), never change these."""
    for separator in (b"\r\n\r\n", b"\n\n"):
        _head, found, body = data.partition(separator)
        if found:
            return body
    return data


def dedupe_key(parsed: ParsedEmail, data: bytes = b"") -> str:
    """What identifies a message: its Message-ID and sender, with a digest of what it says.

    The digest is over the *decoded* subject, text and attachments, so that a relay that
    re-encodes the body (8bit -> quoted-printable) or adds headers delivers the same key; a
    reused Message-ID with other content is another message. Without a Message-ID the Date
    header joins the digest (two identical mails sent apart are two), and when nothing could
    be decoded the raw body stands for the content, so that two unreadable mails stay two.
    """
    digest = hashlib.sha256()
    digest.update(parsed.subject.encode("utf-8", "replace") + b"\n" + parsed.text.encode("utf-8", "replace"))
    for attachment in parsed.attachments:
        digest.update(b"\n" + attachment.filename.encode("utf-8", "replace") + b"\0"
                      + hashlib.sha256(attachment.data).digest())
    if not parsed.message_id:
        digest.update(b"\ndate:" + parsed.headers.get("date", "").encode("utf-8", "replace"))
    if not parsed.text.strip() and not parsed.attachments:
        digest.update(b"\nraw:" + (raw_body(data) if data else b""))
    return f"{parsed.message_id or 'no-id'}|{parsed.sender}|{digest.hexdigest()[:24]}"[:500]
