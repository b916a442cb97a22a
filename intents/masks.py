"""Numbers that are never quantities: references, phones, dates, times, money, postcodes,
company and document numbers, street and place numbers, durations, week numbers.

Patterns run over the original text; the tokens they cover are masked for the quantity
reader (the linker still sees them: "6/10" may be a date or a gravel grading).
"""

from __future__ import annotations

import re

from intents.literals import Literals, openings, starts_with_word_digit
from intents.tokens import Token

MONTHS = (r"janv(?:ier)?|f[ée]v(?:rier)?|mars|avr(?:il)?|mai|juin|juil(?:let)?|ao[uû]t|sept(?:embre)?|"
          r"oct(?:obre)?|nov(?:embre)?|d[ée]c(?:embre)?|january|february|march|april|may|june|july|august|"
          r"september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|oct|nov|dec")
DAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday"

# words that say what a figure counts: "livrer mardi 4 sacs" is four bags on Tuesday
COUNTED = (r"sacs?|bags?|cartons?|bo[iî]tes?|box(?:es)?|palettes?|pallets?|paquets?|packs?|rouleaux|rouleau|rolls?|"
           r"seaux|seau|bidons?|pi[eè]ces?|pcs|units?|unit[ée]s?|kits?|jeux|jeu|lots?|f[uû]ts?|kegs?|colis|"
           r"caisses?|casiers?|cases?|flacons?|bouteilles?|bottles?|sachets?|drums?|tins?|couronnes?|barres?")

PATTERNS = [
    re.compile(r"\b[dc]-?\d{4}-?\d{2,6}\b", re.I),  # our own quote / order references
    re.compile(r"https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),
    re.compile(r"(?:\+|00)\d{2,3}[\s.]?\(?0?\)?\d{1,4}(?:[\s.-]?\d{2,4}){2,5}"),  # +33 1 23 45 67 89, +44 23 8000 4400
    re.compile(r"\b0\d(?:[\s.-]?\d{2}){4}\b"),  # 01 23 45 67 89
    re.compile(r"\b\d{3}\s?\d{3}\s?\d{3}(?:\s?\d{5})?\b"),  # SIREN / SIRET
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"),  # 15/12/2026
    re.compile(r"\b(?:0?[1-9]|[12]\d|3[01])/(?:0?[1-9]|1[0-2])\b(?![/\d])"),  # 15/12
    re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),  # ISO dates
    # 10h30, 10:30, 8h; not "80/20 : 30 sachets", where a spaced colon opens the quantity
    re.compile(r"(?<![/\d])\b(?:[01]?\d|2[0-3])(?::|\s?h\s?)[0-5]\d\b|\b(?:[01]?\d|2[0-3])\s?h\b(?!\w)", re.I),
    re.compile(r"\b(?:1[0-2]|0?[1-9])(?::[0-5]\d)?\s?(?:am|pm)\b", re.I),  # 2pm, 7:30 am
    re.compile(rf"\b\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{MONTHS})\.?(?:\s+\d{{4}})?\b", re.I),  # 3 décembre 2026
    re.compile(rf"\b(?:{MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b", re.I),  # December 3
    re.compile(rf"\b(?:{DAYS})\s+\d{{1,2}}\b(?!\s+(?:{COUNTED})\b)", re.I),  # mardi 12; not "mardi 4 sacs de …"
    re.compile(r"\bthe\s+\d{1,2}(?:st|nd|rd|th)\b", re.I),  # the 18th
    re.compile(r"(?:€|\$|£)\s?\d[\d \t\u00a0\u202f.,]{0,16}\d|(?:€|\$|£)\s?\d"),  # € 2 000
    re.compile(r"\b\d[\d \t\u00a0\u202f.,]{0,16}[ \t\u00a0\u202f]?(?:€|eur\b|euros?\b|k€|\$|£|chf\b|usd\b|gbp\b)", re.I),  # 2 000 € HT
    re.compile(r"\b(?:budget|montant|amount|total|prix|price|co[uû]t|cost|enveloppe)\s*(?:de|of|:)?\s*(?:€\s?)?"
               r"(?:\d[\d \t\u00a0\u202f]{0,12}[.,]\d{2}\b|\d[\d \t\u00a0\u202f.,]{0,16}[ \t\u00a0\u202f]?(?:€|eur|euros?|ht|ttc|chf|k€))", re.I),
    re.compile(r"\b\d+(?:[.,]\d+)?\s?%"),  # 5 %
    re.compile(r"\b\d{5}\s+(?=[A-ZÉÈ][\w'’-]+|CEDEX)"),  # postal code before a city
    re.compile(r"\(\s*\d{5}\s*\)|,\s*\d{4}\s+(?=[A-Z][a-zé]+)"),  # (86000), ", 2440 Geel"
    re.compile(r"\b\d{1,4}\s+[A-Z][a-z]+\s+(?:Way|Street|Road|Lane|Avenue|Drive|Close|Place|Court|Park)\b"),
    re.compile(r"\(\d{2}\)|\b(?:lyon|paris|marseille)\s+\d{1,2}(?:e|er)?\b", re.I),  # (24), Lyon 8e
    re.compile(r"\b[A-Z]{1,2}\d{1,2}[A-Z]?\s\d[A-Z]{2}\b"),  # UK postcodes
    re.compile(r"\b(?:n°|no\.?|num(?:[ée]ro)?|bc|bl|po|p\.o\.|bon de commande|bon de livraison|purchase order|"
               r"order number|r[ée]f(?:[ée]rence)?\.?|ticket|dossier|facture|invoice|inv|contrat|contract|affaire|"
               r"siret|siren|tva|vat|btw|tel|t[ée]l[ée]?phone|fax|mobile|portable|port\.?|cp|bp|colis|parcel|"
               r"exp[ée]dition|shipment|tracking|suivi|engagement|imputation|lot|poste|ext\.?)(?![\w])"
               r"\s*(?:n°|no\.?|num(?:[ée]ro)?|:|#)?\s*(?:[a-z]{1,4}-)?\d[\w-]{0,20}(?:\s\d[\w-]{1,20}){0,3}|"
               r"\b(?:bc|po|bl)\s*(?:n°)?\s*\d+", re.I),
    re.compile(r"\b[A-Z]{1,5}(?:-[A-Z]{1,5})?-\d{2,4}-\d{2,6}\b|\b[A-Z]{2,5}-\d{3,6}\b(?!\s*(?:x|:))"),  # NH-FR-26-0877
    # years; 2000 only when said as one ("2000 1.5 ml tubes", "2000 gants" are counts)
    re.compile(r"\b(?:19\d{2}|20(?!00)\d{2})\b"),
    re.compile(r"\b(?:en|in|since|depuis|ann[ée]e|year|l'an)\s+2000\b", re.I),
    re.compile(r"\b[A-Z]{1,4}\d{2,4}-\d{3,7}\b"),  # F26-10874: an invoice, a document
    re.compile(r"\b(?:bo[iî]tes?|box(?:es)?|paquets?|packs?|sachets?|bags?|lots?|cartons?|cases?|rouleaux|rolls?|"
               r"palettes?|pallets?|sacs?)\s+(?:de|of)\s+\d+\b(?!\s*(?:x|bo[iî]tes?|box|cartons?|sacs?|paquets?|"
               r"pi[eè]ces?|pcs|paires?|pairs?|bidons?|rouleaux|rolls?|flacons?|units?|unit[ée]s?))", re.I),
    re.compile(r"\b\d{1,4}(?:\s?(?:bis|ter))?,?\s+(?:rue|avenue|av|bd|boulevard|chemin|all[ée]e|impasse|place|quai|"
               r"route|cours|street|road|lane|way)\b", re.I),  # street numbers
    # the postcode that ends an address on its line ("9 rue du Parlement Saint-Pierre, 33000)")
    re.compile(r"\b(?:rue|avenue|bd|boulevard|chemin|all[ée]e|impasse|quai|route|street|road)\b[^\n\d]{2,60}"
               r"[,\s]\s*\d{5}\b", re.I),
    re.compile(r"\b[A-Z][a-zäöüé]+(?:straat|steenweg|weg|laan|strasse|straße|gasse|street|road|avenue|lane)\s+\d+\b"),
    re.compile(r"\b(?:la|le|une|un|the|a|per|par|each|chaque)\s+(?:bo[iî]te|box|paquet|pack|sachet|bag|lot|carton|case|"
               r"rouleau|roll|palette|pallet|sac)\s+(?:de|of)\s+\d+", re.I),  # "14,20 € la boîte de 100"
    re.compile(r"\b(?:bureau|salle|b[âa]timent|b[âa]t\.?|quai|porte|portail|code|digicode|[ée]tage|room|floor|suite|"
               r"building|dock|gate|bay|all[ée]e|hall|zone|stand|semaine|sem\.?|week|wk|kw|s|theatre|th[ée][âa]tre|"
               r"chambre|bed|lit|ward|unit|site|chantier|pont)\s*(?:n°\s*|code\s+(?:is\s+)?)?\d+\b", re.I),
    re.compile(r"\b\d+\s*(?:e|er|[èe]me|st|nd|rd|th)\s+(?:[ée]tage|floor|fauteuil|chair)\b", re.I),
    re.compile(r"\b\d+(?:[.,]\d+)?\s*(?:-\s*)?(?:jours?|days?|semaines?|weeks?|mois|months?|ans?|years?|heures?|hours?|"
               r"min(?:utes?)?|h|sec(?:ondes)?)\b(?!\s*(?:de|d'|of)\s)", re.I),
    re.compile(r"\b\d+\s*-\s*day\b|\b\d+-bed\b|\b\d+\s*(?:fois|times|drops?|livraisons|deliveries)\b", re.I),
    re.compile(r"\b(?:r|rt)\s?\d+(?:[.,]\d+)?\b(?=\s*(?:$|[,.)]))"),  # R 7 thermal resistance at the end
    re.compile(r"\b(?:ral|ncs|iso|nf|din|art\.?|article|cat[ée]gories?|classe|class)[ \t]*[\d \t,/-]*\d", re.I),  # (on its line)
    re.compile(r"\bEN(?:\s?ISO)?\s?\d{2,5}\b"),  # EN 397, EN ISO 20471
]


def _without_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same pattern for lower-cased text: case-insensitive matching is several times slower."""
    if not pattern.flags & re.I:
        return pattern
    letters = re.sub(r"\\.", "", pattern.pattern)
    assert letters == letters.lower(), f"an upper-case letter in a case-insensitive pattern: {pattern.pattern}"
    return re.compile(pattern.pattern)


CASED = [p for p in PATTERNS if not p.flags & re.I]
UNCASED = [_without_case(p) for p in PATTERNS if p.flags & re.I]
# what each lower-case pattern's matches start with ("janv", "mardi", "bon de commande"):
# a pattern none of whose openings the text has is not run (None: it can start anywhere)
_OPENINGS = [openings(p.pattern) for p in UNCASED]
_OPENED = Literals(set().union(*(o for o in _OPENINGS if o)))
# patterns whose matches open with a digit after no letter or digit ("\b\d{5}", dates, times):
# tried only where such a run of digits starts, not at every character of the text
_CASED_DIGIT = [starts_with_word_digit(p.pattern) for p in CASED]
_UNCASED_DIGIT = [starts_with_word_digit(p.pattern) for p in UNCASED]
_DIGIT_STARTS = re.compile(r"\b(?=\d)")


def _spans(pattern: re.Pattern[str], subject: str, starts: list[int] | None) -> list[tuple[int, int]]:
    """What `finditer` finds, tried only at `starts` (None: everywhere)."""
    if starts is None:
        return [m.span() for m in pattern.finditer(subject)]
    out, end = [], 0
    for at in starts:
        if at < end:
            continue
        m = pattern.match(subject, at)
        if m is not None:
            out.append(m.span())
            end = m.end()
    return out


def masked_tokens(text: str, tokens: list[Token]) -> set[int]:
    """Indices of the number tokens that the patterns cover."""
    if not any(t.kind == "num" for t in tokens):
        return set()
    spans: list[tuple[int, int]] = []
    lowered = text.lower()
    uncased = UNCASED if len(lowered) == len(text) else [p for p in PATTERNS if p.flags & re.I]
    starts = [m.start() for m in _DIGIT_STARTS.finditer(text)]  # (the same in lower case: digits have none)
    for pattern, digit in zip(CASED, _CASED_DIGIT, strict=True):
        spans += _spans(pattern, text, starts if digit else None)
    if uncased is UNCASED:
        present = _OPENED.present(lowered)
        for pattern, opening, digit in zip(UNCASED, _OPENINGS, _UNCASED_DIGIT, strict=True):
            if opening is None or not opening.isdisjoint(present):
                spans += _spans(pattern, lowered, starts if digit else None)
    else:  # lower case changed the text's length ("İ"): the patterns as written, on the text
        for pattern in uncased:
            spans += (m.span() for m in pattern.finditer(text))
    if not spans:
        return set()
    spans.sort()
    out = set()
    k = 0
    for i, t in enumerate(tokens):
        if t.kind != "num":
            continue
        while k < len(spans) and spans[k][1] <= t.start:
            k += 1
        j = k
        while j < len(spans) and spans[j][0] < t.end:
            if spans[j][0] <= t.start and t.end <= spans[j][1] + 0:
                out.add(i)
                break
            if spans[j][0] < t.end and t.start < spans[j][1]:
                out.add(i)
                break
            j += 1
    return out
