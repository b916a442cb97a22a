"""Quantities in a message, and the numbers that are not quantities.

Phone numbers, dates, times, amounts, postal codes, SIRET/SIREN, document references and
the customer's own PO numbers are masked before quantities are read. Number words are
turned into digits (text2num), "une douzaine" / "a dozen" are 12, and approximations
("une trentaine", "about 30") are kept but flagged, so that the order is confirmed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MASK = "\u00a7"  # stands for a number that is not a quantity

MONTHS = (r"janv(?:ier)?|f[ée]v(?:rier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept(?:embre)?|"
          r"oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|january|february|march|april|may|june|july|august|"
          r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec")
UNITS_AFTER = (r"mm|cm|m|km|g|gr|kg|mg|l|ml|cl|go|gb|to|tb|mo|mb|pouces?|inch(?:es)?|in|\"|w|v|mah|%|€|eur|euros?|"
               r"k€|ht|ttc|h|heures?|hours?|min|minutes?|jours?|days?|semaines?|weeks?|mois|months?|ans?|years?|"
               r"rue|avenue|av|bd|boulevard|chemin|all[ée]e|place|route|impasse|quai|cedex|feuilles|pages|"
               r"couleurs?|colou?rs?|microns?|µm|plis|ply|x\d")

PATTERNS = [
    re.compile(r"\b[DC]-?\d{4}-?\d{2,6}\b", re.I),  # our own quote / order references
    re.compile(r"(?:\+|00)\d{2}[\s.]?\(?0?\)?\d(?:[\s.-]?\d{2}){4}"),  # +33 1 23 45 67 89
    re.compile(r"\b0\d(?:[\s.-]?\d{2}){4}\b"),  # 01 23 45 67 89
    re.compile(r"\b\d{3}\s?\d{3}\s?\d{3}(?:\s?\d{5})?\b"),  # SIREN / SIRET
    re.compile(r"\b\d{1,2}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b"),  # 15/12, 15/12/2026
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # ISO dates
    re.compile(r"\b(?:[01]?\d|2[0-3])(?::|\s?h\s?)[0-5]\d\b", re.I),  # 10h30, 10:12 (not "80 : 12")
    re.compile(r"^[ \t]*\d{1,2}[.)](?=[ \t]+\D)", re.M),  # "1. A4 copy paper": list numbering
    re.compile(rf"\b\d{{1,2}}(?:er)?\s+(?:{MONTHS})\.?(?:\s+\d{{4}})?\b", re.I),  # 3 décembre 2026
    re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.I),  # December 3
    re.compile(r"(?:€|\$|£)\s?\d[\d\s.,]{0,16}"),  # € 2 000
    re.compile(r"\b\d[\d\s.,]{0,16}\s?(?:€|eur\b|euros?\b|k€|\$|£)", re.I),  # 2 000 € HT
    re.compile(r"\b(?:budget|montant|amount|total|prix|price|co[uû]t|cost)\s*(?:de|of|:)?\s*\d[\d\s.,]{0,16}", re.I),
    re.compile(r"\b\d{5}\s+(?=[A-ZÉÈ][a-zéèêàç]|CEDEX)"),  # postal code before a city
    re.compile(r"\b(?:n°|no\.?|num(?:[ée]ro)?|bc|po|p\.o\.|bon de commande|purchase order|order number|"
               r"r[ée]f(?:[ée]rence)?\.?|ticket|dossier|facture|invoice|contrat|contract|affaire|projet|"
               r"siret|siren|tva|vat|tel|t[ée]l[ée]?phone|fax|mobile|portable|cp|bp)(?![\w])"
               r"\s*(?:n°|no\.?|num(?:[ée]ro)?|:|#)?\s*(?:[A-Z]{1,4}[-\s]?)?\d[\d\s-]{0,20}", re.I),
    re.compile(r"\b(?:19|20)\d{2}\b"),  # years
    # places: "bureau 312", "quai 3", "3e étage", "room 12", "dock 4"
    re.compile(r"\b(?:bureau|salle|b[âa]timent|b[âa]t\.?|quai|porte|code|digicode|[ée]tage|room|floor|suite|"
               r"building|dock|gate|bay|all[ée]e|hall|zone|stand|lot n°|semaine|sem\.|week|wk|kw|s)\s*(?:n°\s*)?\d+\b",
               re.I),
    re.compile(r"\b\d+\s*(?:e|er|[èe]me|st|nd|rd|th)\s+(?:[ée]tage|floor)\b", re.I),
]
# Numbers that describe a product (sizes, dimensions): never quantities, but product words.
DESCRIPTIVE = [
    re.compile(r"\b(?:taille|pointure|size|format|t\.)\s*\d+", re.I),
    re.compile(rf"\b\d+(?:[.,]\d+)?\s?-?\s?(?:{UNITS_AFTER})(?![^\W\d_])", re.I),  # 80 mm, 24-inch, 5 %
    re.compile(r"\b\d+(?:[.,]\d+)?\s?(?:x|×)\s?\d+(?:[.,]\d+)?(?:\s?(?:x|×)\s?\d+)?\s?(?:mm|cm|m)?\b", re.I),
]

APPROX_WORDS = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "quarantaine": 40,
    "cinquantaine": 50, "soixantaine": 60, "centaine": 100, "millier": 1000,
}
EXACT_WORDS = {"douzaine": 12, "dozen": 12, "demi-douzaine": 6, "half-dozen": 6, "score": 20}
APPROX_MARKERS = re.compile(r"\b(?:environ|approx(?:imativement)?|about|around|roughly|à peu près|"
                            r"quelque|some|une? bonne)\s*$|~\s*$", re.I)


@dataclass(frozen=True, slots=True)
class Number:
    value: int
    start: int  # character offsets in the masked text
    end: int
    approximate: bool = False


def mask(text: str, *, descriptive: bool = True) -> str:
    """The text with non-quantity numbers replaced by MASK characters (same length).

    With `descriptive=False`, numbers that describe a product ("80 mm", "taille 42") stay:
    that text is the one product words are read from.
    """
    text = _apply(PATTERNS, text)
    return mask_descriptive(text) if descriptive else text


def mask_descriptive(readable: str) -> str:
    """`mask(text)` from `mask(text, descriptive=False)`, without masking the rest twice."""
    return _apply(DESCRIPTIVE, readable)


def _apply(patterns: list[re.Pattern[str]], text: str) -> str:
    for pattern in patterns:
        text = pattern.sub(lambda m: re.sub(r"\d", MASK, m.group(0)), text)
    return text


def words_to_digits(text: str, lang: str) -> str:
    """`vingt-cinq` -> `25`, `a dozen` -> `12` (text2num), keeping articles as words."""
    text = re.sub(r"\b(?:une|a|one)\s+(demi-douzaine|half-dozen|half a dozen)\b", "6", text, flags=re.I)
    text = re.sub(r"\b(?:une|a|one)\s+(douzaine|dozen)\b", "12", text, flags=re.I)
    text = re.sub(r"\b(\d+)\s+(douzaines?|dozens?)\b", lambda m: str(int(m.group(1)) * 12), text, flags=re.I)
    # Articles stay words: "une boîte" is not "1 boîte" unless the context says so.
    protected = re.sub(r"\b(un|une|one|a|an)\b", lambda m: "\u2063" + m.group(1) + "\u2063", text, flags=re.I)
    try:
        from text_to_num import alpha2digit

        converted = alpha2digit(protected, "fr" if lang == "fr" else "en", threshold=2)
    except Exception:  # text2num cannot read this: keep the words
        converted = protected
    return converted.replace("\u2063", "")


NUMBER = re.compile(r"(?<![\w§.,])(\d{1,3}(?:(?:[\s\u00a0\u202f]|[.,](?=\d{3}\b))\d{3})+|\d+)(?![\w§]|[.,]\d)")
APPROX = re.compile(r"\b(?:une|un|a|an)\s+(" + "|".join(APPROX_WORDS) + r")\b", re.I)


MULTIPLY = [
    (re.compile(r"(?<![\w§])[x×]\s?(\d+)\b", re.I), r" \1 "),  # x10
    (re.compile(r"\b(\d+)\s?[x×](?=\s|$|[,;:.])(?!\s?\d)", re.I), r"\1 "),  # 10x, 10 x
]


def plain_multipliers(text: str) -> str:
    for pattern, repl in MULTIPLY:
        text = pattern.sub(lambda m, r=repl: r.replace("\\1", m.group(1)).ljust(len(m.group(0))), text)
    return text


def find_numbers(masked: str) -> list[Number]:
    numbers = []
    for m in APPROX.finditer(masked):
        numbers.append(Number(APPROX_WORDS[m.group(1).lower()], m.start(), m.end(), approximate=True))
    taken = [(n.start, n.end) for n in numbers]
    for m in NUMBER.finditer(masked):
        if any(a <= m.start() < b for a, b in taken):
            continue
        digits = re.sub(r"\D", "", m.group(1))
        if not digits or len(digits) > 7:
            continue
        value = int(digits)
        if value <= 0:
            continue
        approximate = bool(APPROX_MARKERS.search(masked[max(0, m.start() - 40) : m.start()]))
        numbers.append(Number(value, m.start(), m.end(), approximate))
    return sorted(numbers, key=lambda n: n.start)
