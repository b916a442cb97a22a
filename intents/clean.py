"""Stage 1 — clean: the new text of a message, apart from the quoted thread, the signature
and the legal disclaimer.

French and English mail clients: `Le lun. 3 nov. 2026 à 10:12, X a écrit :`,
`On Mon, Nov 3, 2026 at 10:12 AM X wrote:`, `>` lines, Outlook blocks (`De :` / `Envoyé :` /
`À :` / `Objet :`, with a non-breaking space before the colon too, and `From:` / `Sent:`),
`-----Original Message-----`, forwarded-message banners. The quoted part is kept: a new text
that points at it ("same as below", "please process the request below") takes its lines.

A signature is cut at a closing word (`Cordialement`, `Best regards`...) or, without one, as
the run of short name, title, company, phone and address lines at the end. A bullet list is
never taken for a signature: a line holding a quantity and a word survives the cut.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intents.normalize import APPROX_WORDS, DOZEN, WORDS_EN, WORDS_FR, strip_accents

QUOTE_HEADERS = [
    re.compile(r"^\s*le\b.{0,160}\b[ée]crit\s*:?\s*$", re.I),
    re.compile(r"^\s*on\b.{0,200}\bwrote\s*:?\s*$", re.I),
    re.compile(r"^\s*-{2,}\s*(?:original message|message d'origine|message original|forwarded message|"
               r"message transf[ée]r[ée]|original e-?mail|e-?mail d'origine)\s*-{2,}\s*$", re.I),
    re.compile(r"^\s*_{8,}\s*$"),
    re.compile(r"^\s*(?:de|from)\s*[:\u00a0\u202f]\s*.+$", re.I),
]
OUTLOOK_FIELDS = re.compile(r"^\s*(?:envoy[ée]|sent|[àa]|to|objet|subject|date|cc)\s*[\u00a0\u202f ]?:", re.I)
SIGNATURE_START = re.compile(
    r"^\s*(?:--\s*|cordialement|bien cordialement|tr[eè]s cordialement|bien [àa] vous|bonne (?:journ[ée]e|"
    r"soir[ée]e|fin de journ[ée]e)|salutations|sinc[eè]res salutations|meilleures salutations|"
    r"avec nos meilleures salutations|best regards|kind regards|warm regards|regards|best|cheers|many thanks|"
    r"thanks(?: again| a lot)?|thank you|merci(?: beaucoup| d'avance| par avance| encore)?|yours (?:sincerely|"
    r"faithfully)|best wishes|bien [àa] toi|a\+|envoy[ée] de mon \w+|sent from my \w+)\s*[,.!]*\s*$",
    re.I,
)
DISCLAIMER = re.compile(
    r"(?:confidenti|intended solely|destinataires?|addressee|pi[èe]ces? jointes?.*(?:confidenti|erreur)|"
    r"attachments?.*(?:confidential|error)|penser? [àa] l'environnement|think before you print|"
    r"registered in england|rcs [a-z]+ \d)",
    re.I,
)
HAS_QTY_AND_WORD = re.compile(r"\d+\s*\w{3,}|\w{3,}\s*[:x×]?\s*\d+", re.I)
CONTACT_LINE = re.compile(
    r"t[ée]l\b|t[ée]l[ée]phone|phone|fax|mobile|portable|port\.|\bt\s*[:.]?\s*\+|@|(?<![\w+])\+\d{2}[\s\d().]{6,}|"
    r"\d{2}[\s.]\d{2}[\s.]\d{2}|"
    r"\b(?:rue|avenue|av\.|bd|boulevard|quai|chemin|route|all[ée]e|impasse|place|street|road|lane|way|cours)\b|"
    r"\b\d{5}\b|\bsiret\b|\bsiren\b|\btva\b|\bvat\b|\bbtw\b|\brcs\b|\bape\b|www\.|https?://|\bche-\d|"
    r"(?-i:\b[A-Z]{1,2}\d{1,2}[A-Z]?\s\d[A-Z]{2}\b)|\bposte\s+\d",  # a UK postcode is written in capitals: not "T45 5kg"
    re.I,
)
SENTENCE_WORDS = re.compile(r"\b(?:que|qui|est|sont|merci|nous|vous|je|il|elle|pour|sur|avec|pareil|idem|pouvez|"
                            r"please|we|is|are|the|for|with|same|need|thanks|can|could|would|will|do|does|pls|svp|"
                            r"stp|besoin|faut)\b", re.I)
TITLE_LINE = re.compile(r"^[\w'’.&()/|,–—-]+(?:[\s,|/–—-]+[\w'’.&()/|,–—-]+){0,8}$")
# a figure said in words opens a line of the order, not of a signature ("une douzaine de dévidoirs", "two boxes")
_COUNT_WORDS = (set(WORDS_FR) | set(WORDS_EN) | DOZEN | {w.rstrip("?") for w in APPROX_WORDS}) - {"one"}


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
            following = lines[index + 1 : index + 6]
            if sum(bool(OUTLOOK_FIELDS.match(f)) for f in following) >= 2:
                return index
    # "Le ... a" on one line and "écrit :" on the next (long names wrap)
    for index in range(len(lines) - 1):
        joined = f"{lines[index]} {lines[index + 1]}"
        if QUOTE_HEADERS[0].match(joined) or QUOTE_HEADERS[1].match(joined):
            return index
    return None


def _disclaimer_start(lines: list[str]) -> int | None:
    """The first line of a trailing legal notice (long, about confidentiality or errors)."""
    for index, line in enumerate(lines):
        if index and DISCLAIMER.search(line) and (len(line) > 60 or re.search(r"confidenti|rcs", line, re.I)) \
                and not HAS_QTY_AND_WORD.search(re.sub(r"\b\d{3}\s?\d{3}\s?\d{3}\b|\b\d{4,}\b", "", line)):
            return index
    return None


def _strip_sign_off(lines: list[str]) -> tuple[list[str], list[str]]:
    """Trailing name, title, company, phone or address lines: a signature without a marker."""
    body = list(lines)
    tail: list[str] = []
    kept = 0
    while len(body) > 1 and kept < 9:
        line = body[-1].strip()
        if not line:
            tail.insert(0, body.pop())
            continue
        contact = bool(CONTACT_LINE.search(line))
        sentence = bool(re.search(r"[.!?:;]$", line) or SENTENCE_WORDS.search(line))
        digits = bool(re.search(r"\d", line))
        if contact and not (sentence and HAS_QTY_AND_WORD.search(line)
                            and not re.search(r"@|(?<![\w+])\+\d{2}|t[ée]l", line, re.I)):
            pass
        elif digits or sentence or _says_a_count(line) or not TITLE_LINE.match(line) or len(line.split()) > 8 or line.startswith(("-", "*", "•")):
            break
        tail.insert(0, body.pop())
        kept += 1
    if not any(line.strip() for line in body):
        return lines, []
    return body, tail


def _says_a_count(line: str) -> bool:
    words = strip_accents(line.lower()).split()
    return len(words) >= 2 and any(word in _COUNT_WORDS for word in words[:2])


def clean_message(text: str) -> CleanedText:
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = _quote_start(lines)
    quoted = ""
    if start is not None:
        quoted = "\n".join(re.sub(r"^\s*>+ ?", "", line) for line in lines[start:])
        lines = lines[:start]
    signature_lines: list[str] = []
    legal = _disclaimer_start(lines)
    if legal is not None:
        signature_lines = lines[legal:]
        lines = lines[:legal]
    signature_at = None
    for index, line in enumerate(lines):
        if index > 0 and SIGNATURE_START.match(line):
            signature_at = index
            break
    if signature_at is not None:
        kept, dropped = keep_order_lines(lines[signature_at:])
        signature_lines = dropped + signature_lines
        lines = lines[:signature_at] + kept
    lines, tail = _strip_sign_off(lines)
    signature_lines = tail + signature_lines
    return CleanedText(body="\n".join(lines).strip(), quoted=quoted.strip(), signature="\n".join(signature_lines))


def keep_order_lines(tail: list[str]) -> tuple[list[str], list[str]]:
    """Lines after a signature marker that still look like order lines (bullets, tables)."""
    kept, dropped = [], []
    for line in tail:
        stripped = line.strip()
        bullet = re.match(r"^[-*•·–]\s+", stripped) or re.match(r"^\d+[.)]\s+", stripped)
        if bullet and HAS_QTY_AND_WORD.search(stripped) and not CONTACT_LINE.search(stripped):
            kept.append(line)
        else:
            dropped.append(line)
    return kept, dropped
