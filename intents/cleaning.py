"""Email clean-up: the new text, apart from the quoted previous message and the signature.

Rules cover French and English clients: `Le lun. 3 nov. 2026 à 10:12, X a écrit :`,
`On Mon, Nov 3, 2026 at 10:12 AM X wrote:`, `>` lines, Outlook blocks (`De :` /
`Envoyé :` / `À :` / `Objet :`, also with a non-breaking space before the colon, and
`From:` / `Sent:`), `-----Original Message-----`, and signatures (`--`, closing words,
phone and address lines). A bullet list is never taken for a signature: a line with a
quantity and a product word survives the cut (see `keep_order_lines`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

QUOTE_HEADERS = [
    re.compile(r"^\s*le\b.{0,120}\b[ée]crit\s*:?\s*$", re.I),
    re.compile(r"^\s*on\b.{0,160}\bwrote\s*:?\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*(?:original message|message d'origine|message original|forwarded message|"
               r"message transf[ée]r[ée])\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*_{8,}\s*$"),
    re.compile(r"^\s*(?:de|from)\s*[:\u00a0\u202f]\s*.+$", re.I),
]
OUTLOOK_FIELDS = re.compile(r"^\s*(?:envoy[ée]|sent|[àa]|to|objet|subject|date|cc)\s*[\u00a0\u202f ]?:", re.I)
SIGNATURE_START = re.compile(
    r"^\s*(?:--\s*|cordialement|bien cordialement|tr[eè]s cordialement|bien [àa] vous|bonne (?:journ[ée]e|"
    r"soir[ée]e)|salutations|sinc[eè]res salutations|meilleures salutations|best regards|kind regards|"
    r"regards|best|cheers|thanks(?: again)?|many thanks|thank you|merci(?: beaucoup| d'avance| par avance)?|"
    r"envoy[ée] de mon \w+|sent from my \w+)\s*[,.!]*\s*$",
    re.I,
)
HAS_QTY_AND_WORD = re.compile(r"\d+\s*\w{3,}|\w{3,}\s*[:x×]?\s*\d+", re.I)


@dataclass(frozen=True, slots=True)
class CleanedText:
    body: str
    quoted: str
    signature: str = ""


def _quote_start(lines: list[str]) -> int | None:
    for index, line in enumerate(lines):
        if line.lstrip().startswith(">"):
            return index
        for pattern in QUOTE_HEADERS[:4]:
            if pattern.match(line):
                return index
        if QUOTE_HEADERS[4].match(line):
            # "De : X" starts a quoted Outlook block only when its usual fields follow.
            following = lines[index + 1 : index + 5]
            if sum(bool(OUTLOOK_FIELDS.match(f)) for f in following) >= 2:
                return index
    # "Le ... a" on one line and "écrit :" on the next (long names wrap)
    for index in range(len(lines) - 1):
        joined = f"{lines[index]} {lines[index + 1]}"
        if QUOTE_HEADERS[0].match(joined) or QUOTE_HEADERS[1].match(joined):
            return index
    return None


SIGN_OFF_LINE = re.compile(
    r"^\s*(?:[A-ZÉÈÀÂÎÔÛÇ][\w'’.-]*(?:[\s,|/-]+[\w'’.&()-]+){0,6}|[\w.+-]+@[\w.-]+|(?:t[ée]l|tel|phone|mobile|fax|"
    r"portable)\b.*|\+?\d[\d\s.()/-]{7,}|.*\b(?:rue|avenue|bd|boulevard|quai|chemin|route|place|street|road)\b.*)\s*$")


SENTENCE_WORDS = re.compile(r"\b(?:que|qui|est|sont|merci|nous|vous|je|il|elle|pour|sur|avec|pareil|idem|"
                            r"please|we|is|are|the|for|with|same|need|thanks)\b", re.I)


def _strip_sign_off(lines: list[str]) -> tuple[list[str], list[str]]:
    """Trailing name, title, company, phone or address lines: a signature without a marker."""
    body = [line for line in lines]
    tail: list[str] = []
    while len(body) > 1 and len(tail) < 5:
        line = body[-1].strip()
        if not line:
            tail.insert(0, body.pop())
            continue
        contact_line = re.search(r"t[ée]l|phone|fax|mobile|rue|avenue|street|road|@|\+\d|\d{2}[\s.]\d{2}[\s.]\d{2}",
                                 line, re.I)
        sentence = re.search(r"[.!?:;]$", line) or SENTENCE_WORDS.search(line)
        if (re.search(r"\d", line) and not contact_line) or (sentence and not contact_line) \
                or not SIGN_OFF_LINE.match(line) or len(line.split()) > 6:
            break
        tail.insert(0, body.pop())
    if not any(line.strip() for line in body):
        return lines, []
    return body, tail


def clean_message(text: str) -> CleanedText:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _quote_start(lines)
    quoted = ""
    if start is not None:
        quoted = "\n".join(re.sub(r"^\s*>+ ?", "", line) for line in lines[start:])
        lines = lines[:start]
    signature_at = None
    for index, line in enumerate(lines):
        if index > 0 and SIGNATURE_START.match(line):
            signature_at = index
            break
    signature = ""
    if signature_at is not None:
        kept, signature_lines = keep_order_lines(lines[signature_at:])
        signature = "\n".join(signature_lines)
        lines = lines[:signature_at] + kept
    else:
        lines, tail = _strip_sign_off(lines)
        signature = "\n".join(tail)
    return CleanedText(body="\n".join(lines).strip(), quoted=quoted.strip(), signature=signature)


def keep_order_lines(tail: list[str]) -> tuple[list[str], list[str]]:
    """Lines after a signature marker that still look like order lines (bullets, tables)."""
    kept, dropped = [], []
    for line in tail:
        stripped = line.strip()
        bullet = re.match(r"^[-*•·–]\s+", stripped) or re.match(r"^\d+[.)]\s+", stripped)
        if bullet and HAS_QTY_AND_WORD.search(stripped) and not re.search(r"@|\+\d{2}|t[ée]l|phone", stripped, re.I):
            kept.append(line)
        else:
            dropped.append(line)
    return kept, dropped
