"""Short answers in a conversation: a choice, a quantity, yes or no, an approver's verdict."""

from __future__ import annotations

import re
from collections.abc import Sequence

from intents.catalog import CatalogEntry
from intents.masks import masked_tokens
from intents.normalize import STOP, strip_accents
from intents.quantities import numbers
from intents.segment import segment
from intents.tokens import features

YES = re.compile(r"^\W*(?:oui|ouais|yes|yep|yeah|ok|okay|d'accord|dac|parfait|c'est bon|go|vas-y|allez-y|"
                 r"valid[ée]?|je confirme|confirm(?:é|e|ed)?|sure|of course|bien s[uû]r|tout à fait|exactement|"
                 r"absolument|please do|correct|affirmative|ça marche|ca marche|top)\b", re.I)
NO = re.compile(r"^\W*(?:non|no|nope|pas maintenant|not now|annul(?:e|ez|er)|cancel|laisse[sz]? tomber|stop|"
                r"surtout pas|negative|never ?mind)\b", re.I)
APPROVE = re.compile(r"^\W*(?:approuv[ée]e?s?|approved?|valid[ée]e?s?|accept[ée]e?s?|accepted|ok(?:ay)? (?:valid|pour|for)|"
                     r"bon pour accord|je valide|i approve|go)\b", re.I)
REJECT = re.compile(r"^\W*(?:refus[ée]e?s?|rejet[ée]e?s?|rejected?|declined?|non valid[ée]|je refuse|i reject|"
                    r"not approved|pas valid[ée])\b\s*[:\-–—,]?\s*(.*)", re.I | re.S)
ORDINALS = {"premier": 1, "premiere": 1, "1er": 1, "1ere": 1, "first": 1, "deuxieme": 2, "second": 2, "seconde": 2,
            "2e": 2, "2eme": 2, "2nd": 2, "troisieme": 3, "third": 3, "3e": 3, "3eme": 3, "3rd": 3,
            "quatrieme": 4, "fourth": 4, "4e": 4, "4eme": 4, "4th": 4, "dernier": -1, "derniere": -1, "last": -1}


def read_yes_no(text: str) -> bool | None:
    first = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    if NO.match(first):
        return False
    if YES.match(first):
        return True
    return None


def read_quantity(text: str) -> int | None:
    """A bare quantity answer: "50", "cinquante", "a dozen", "30 boîtes"."""
    seg = segment((text or "")[:500])
    _, roles = features(seg.tokens)
    found = [n for n in numbers(seg, masked_tokens(seg.text, seg.tokens), set(), roles, "fr")
             if not n.approximate and n.value == int(n.value) and n.value > 0]
    return int(found[0].value) if len(found) == 1 else None


def key_words(text: str) -> list[str]:
    """The product words of a short answer ("le noir", "taille L", "305XL")."""
    tokens = segment(text or "").tokens
    out = []
    for t in tokens:
        if t.kind == "num" or (t.kind == "word" and t.norm not in STOP):
            out.append(t.norm)
    return out


def match_choice(text: str, candidates: Sequence[CatalogEntry]) -> CatalogEntry | None:
    """Which of the offered products the answer points at; None when still unclear."""
    if not candidates:
        return None
    folded = strip_accents((text or "").lower())
    for word, position in ORDINALS.items():
        if re.search(rf"\b{word}\b", folded):
            index = position - 1 if position > 0 else len(candidates) - 1
            return candidates[index] if 0 <= index < len(candidates) else None
    for candidate in candidates:
        if candidate.sku.lower() in folded:
            return candidate
    said = set(key_words(text or ""))
    if not said:
        return None
    # The words that tell the candidates apart (colour, size...): the answer must name them.
    own = {c.sku: set().union(*(set(key_words(t)) for t in (c.name, *c.aliases))) for c in candidates}
    # a feminine or plural form of a catalog word ("la noire", "les blanches") names it too
    known = set().union(*own.values())
    said |= {w for s in said if len(s) >= 4 and s not in known
             for w in known if len(w) >= 3 and s.startswith(w) and len(s) - len(w) <= 3}
    common = set.intersection(*own.values()) if own else set()
    scores = {sku: len((words - common) & said) for sku, words in own.items()}
    best = max(scores.values())
    if best == 0:
        return None
    winners = [c for c in candidates if scores[c.sku] == best]
    if len(winners) == 1:
        return winners[0]
    # "le noir" among 305 noir and 305XL noir: prefer the one with nothing extra unsaid.
    leftover = {c.sku: len(own[c.sku] - common - said) for c in winners}
    least = min(leftover.values())
    narrowest = [c for c in winners if leftover[c.sku] == least]
    return narrowest[0] if len(narrowest) == 1 else None


def read_approval(text: str) -> tuple[bool, str | None] | None:
    """`APPROUVÉ`, `REFUSÉ : motif`, `APPROVED`, `REJECTED: reason` -> (approved, reason)."""
    first = (text or "").strip()
    rejected = REJECT.match(first)
    if rejected:
        reason = rejected.group(1).strip().splitlines()[0] if rejected.group(1).strip() else None
        if reason:
            reason = re.sub(r"\s*(?:pour|for)?\s*\b[CD]-\d{4}-\d+\b\s*", " ", reason).strip(" .,;:") or None
        return False, reason
    if APPROVE.match(first):
        return True, None
    return None
