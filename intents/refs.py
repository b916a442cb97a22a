"""Our own quote (D-YYYY-NNNN) and order (C-YYYY-NNNN) numbers, wherever the message names them.

A customer's PO, a delivery note or an invoice number is never one of ours. A partial
number said with its kind ("devis 0211", "commande 0412") is ours, in the current year.
When the writer corrects a number ("C-2026-0231... wait no, C-2026-0235"), the last one
said counts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FULL = re.compile(r"\b([DC])-?(\d{4})-?(\d{2,6})\b", re.I)
PARTIAL = re.compile(r"(?<!bon de )(?<!purchase )\b(devis|quote|quotation|offre|proposition|commande|order|cde|cmd)"
                     r"\s+(?:n°\s*|no\.?\s*|#)?(?!(?:19|20)\d\d\b)(\d{4,5})\b(?![-/.]\w)(?!\s*(?:€|eur|x\b))"
                     r"(?!\s+(?!stp|svp|please|pls|merci|thanks)[^\W\d_]{3,})", re.I)
CORRECTED = re.compile(r"\b(?:non|no|pardon|sorry|wait|plut[ôo]t|i mean|je veux dire|en fait|actually)\b", re.I)


@dataclass(frozen=True, slots=True)
class Refs:
    quotes: tuple[str, ...]  # in the order said, body first, then subject, then quoted text
    orders: tuple[str, ...]

    def first(self, kind: str) -> str | None:
        found = self.quotes if kind == "D" else self.orders
        return found[0] if found else None


def find_refs(body: str, subject: str, quoted: str, *, year: int) -> Refs:
    quotes: list[str] = []
    orders: list[str] = []
    for part in (body, subject, quoted):
        found = _in(part, year)
        if len([r for r in found if r.startswith("C")]) > 1 and CORRECTED.search(part):
            found = found[::-1]  # the correction, said last, comes first
        for ref in found:
            target = quotes if ref.startswith("D") else orders
            if ref not in target:
                target.append(ref)
    return Refs(tuple(quotes), tuple(orders))


def _in(text: str, year: int) -> list[str]:
    out: list[tuple[int, str]] = []
    for m in FULL.finditer(text or ""):
        out.append((m.start(), f"{m.group(1).upper()}-{m.group(2)}-{int(m.group(3)):04d}"))
    for m in PARTIAL.finditer(text or ""):
        if any(a <= m.start() < a + 20 for a, _ in out):
            continue
        kind = "D" if m.group(1).lower() in ("devis", "quote", "quotation", "offre", "proposition") else "C"
        out.append((m.start(), f"{kind}-{year}-{int(m.group(2)):04d}"))
    return [ref for _, ref in sorted(out)]
