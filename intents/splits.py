"""A total shared out over variants, said as one line per variant before linking.

"12 vestes softshell classe 3 : 4 en M, 5 en L, 3 en XL" is three lines of one product
family: the buyer names the family once, then each variant by its size alone. Written out
("4 vestes softshell classe 3 en M, 5 vestes …"), each line names its product in full and is
linked like any other. Only when the parts add up to the total (a total that does not add up
is the buyer's to explain) and there are at least two of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_SIZE_WORD = r"(?:en\s+taille|en\s+pointure|in\s+size|en|in|taille|size|pointure|sz)"
# a garment size said alone ("20 M, 10 L"): letters only, so that "10 L" of a bottle stays litres elsewhere
_LETTER_SIZE = r"(?:[2-5]?XL|XXL|XXXL|XXS|XS|S|M|L)\b"
# a size that is a measure: "20 en 1 m et 20 en 3 m", "10 in 2.5 mm"
_MEASURE_UNITS = r"(?:ml|cl|l|mm|cm|m|kg|g|mm²|mm2|m²|m2|kw|w|kva|v|ah|a|bar)"
_MEASURE = rf"\d+(?:[.,]\d+)?[ \t]?{_MEASURE_UNITS}(?![\w²])"
# a figure of the family after "de" / "of": "5 disques : 2 de 125 et 3 de 230", "2 of 35 kg and 1 of 25 kg"
_OF_FIGURE = rf"(?:de|of)\s+(?:{_MEASURE}|\d+(?:[.,]\d+)?(?![\w.,]))"
# "10 in S, 15 in M and the rest in L": what the total leaves
_REST = r"(?:the\s+rest|the\s+remainder|le\s+reste|le\s+solde)"
_PART = rf"(?:\d+|{_REST})\s*(?:x\s+)?(?:(?:[^\W\d]+\s+)?{_SIZE_WORD}\s+(?:{_MEASURE}|[A-Za-z0-9]+(?:/[A-Za-z0-9]+)?)|{_LETTER_SIZE}" \
        rf"|{_OF_FIGURE})"
_JOIN = r"\s*(?:,|;|&|\+|\bet\b|\band\b)\s*"
SPLIT = re.compile(rf"(?P<total>\b\d+)[ \t]+(?P<phrase>[^\W\d][^\n:;()]{{1,80}}?)[ \t]*(?P<open>[:(,–]|\s-)\s*"
                   rf"(?P<parts>{_PART}(?:{_JOIN}{_PART})+)(?P<close>\))?", re.I)
# no total: the family named alone before a colon, at the start of a line
# ("gants enduits nitrile 4121X : 24 paires en taille 9 et 12 paires en 10")
# (the family is the last few words before the colon: "…, they need cotton lab coats: 2 in S, 2 in M")
LISTED = re.compile(rf"(?m)(?P<lead>(?:^[ \t]*(?:[-*•·]\s*)?)?)"
                    rf"(?P<phrase>[^\W\d][\w'’/.-]*(?:[ \t]+(?:[^\W\d][\w'’/.-]*|\d[\w/.,-]*)){{0,6}}"
                    rf"(?:[ \t]*\([^()\n]*\))?)"
                    rf"[ \t]*:[ \t]*(?P<parts>{_PART}(?:{_JOIN}{_PART})+)")
# what LISTED needs, found from its colon: the family before it is looked for only then
# (searched from every word of a text, LISTED alone would cost more than the rest of this module)
LISTED_PARTS = re.compile(rf"(?m):[ \t]*{_PART}{_JOIN}{_PART}")
PART = re.compile(rf"(?P<qty>\d+|{_REST})\s*(?:x\s+)?(?:(?:(?P<unit>[^\W\d]+)\s+)?(?P<word>{_SIZE_WORD})\s+"
                  rf"(?:(?P<measure>{_MEASURE})|(?P<value>[A-Za-z0-9]+(?:/[A-Za-z0-9]+)?))"
                  rf"|(?-i:(?P<letter>{_LETTER_SIZE}))"
                  rf"|(?:de|of)\s+(?P<figure>{_MEASURE}|\d+(?:[.,]\d+)?(?![\w.,])))", re.I)
# one count for each of several sizes: "2 each in S, M and L", "3 de chaque en 40, 42 et 44"
_EACH = r"(?:each|of\s+each|de\s+chaque|chacun|chacune)"
_VALUE = rf"(?:\d{{1,3}}\b|{_LETTER_SIZE})"
EACH_SIZES = re.compile(rf"\b(?P<qty>\d+)\s+{_EACH}\s+(?P<word>{_SIZE_WORD})\s+(?P<values>{_VALUE}(?:{_JOIN}{_VALUE})+)",
                        re.I)


# the variants first, then one count for each: "cyan and magenta, 3 each", "rouge et bleu, 2 de chaque"
_WORD = r"[^\W\d][\w-]*"
# (the family may follow the values: "red, green and blue microfibre cloths, 4 each")
EACH_AFTER = re.compile(rf"(?P<values>{_WORD}(?:\s*,\s*{_WORD})*\s+(?:and|et|&)\s+{_WORD})"
                        rf"(?P<tail>(?:[ \t]+{_WORD}){{1,3}})?\s*[,:–-]?\s*"
                        rf"(?P<qty>\d+)(?:\s+(?P<unit>{_WORD}))?\s+{_EACH}\b", re.I)  # ("2 couronnes de chaque")

_ASIDE = re.compile(r"\s*\([^()]*\)")

# a total in two halves: "30 casques, moitié blancs (encadrement) moitié jaunes", "12 rolls, half clear half brown"
_HALF = r"(?:moiti[ée]|half)"
_HALF_PART = r"[^\W\d][\w'’-]*(?:[ \t]+\d+(?:[.,]\d+)?[ \t]?%?)?"
HALVES = re.compile(rf"(?P<total>\b\d+)[ \t]+(?P<phrase>[^\W\d][^\n:;()]{{1,60}}?)[ \t]*[,:–-]?[ \t]*{_HALF}[ \t]+"
                    rf"(?P<a>{_HALF_PART})(?:[ \t]*\([^()\n]*\))?[ \t]*(?:,|\bet\b|\band\b)?[ \t]*{_HALF}[ \t]+"
                    rf"(?P<b>{_HALF_PART})(?P<aside>[ \t]*\([^()\n]*\))?", re.I)


def _halves(m: re.Match[str]) -> str:
    total = int(m.group("total"))
    if total % 2:
        return m.group(0)  # an odd total in halves is the buyer's to explain
    phrase = m.group("phrase").strip().rstrip(",")
    return f"{total // 2} {phrase} {m.group('a').strip()}, {total // 2} {phrase} {m.group('b').strip()}"


def _count(part: re.Match[str], rest: int | None) -> str:
    return part.group("qty") if part.group("qty").isdigit() else str(rest) if rest is not None else ""


def _size_word(word: str | None) -> str:
    """'en 42', 'in L' said as the size they are ("taille 42", "size L")."""
    return "size" if word and word.lower().startswith(("in", "size", "sz")) else "taille"


def _each_after(m: re.Match[str], family: Callable[[str, list[str]], bool] | None = None) -> str:
    values = [v for v in re.split(r"\s*,\s*|\s+(?:and|et|&)\s+", m.group("values")) if v]
    unit = f" {m.group('unit')}" if m.group("unit") else ""
    lead = ""
    tail = (m.group("tail") or "").split()
    if tail:
        if family is None or not family(tail[-1], values):
            return m.group(0)  # "… and blue, 2 sizes each"? what follows the values is not their family
        return ", ".join(f"{m.group('qty')}{unit} {' '.join(tail)} {v}" for v in values)
    if family is not None and len(values) > 2 and family(values[0], values[1:]):
        # "microfibre cloths, red and blue, 10 each": the cloths are what every colour is of
        lead, values = values[0] + " ", values[1:]
    return lead + ", ".join(f"{m.group('qty')}{unit} {v}" for v in values)


def _each_size(m: re.Match[str]) -> str:
    values = re.split(_JOIN, m.group("values"))
    return ", ".join(f"{m.group('qty')} {m.group('word')} {v}" for v in values if v)


# sizes listed with their unit said once: "en 0,5 et 2 ml", "in 10, 200 and 1000 µl", "Ø 90 / 125 mm"
_SIZE_UNITS = r"(?:ml|cl|µl|ul|l|mm|cm|m|µm|um|kg|g|mg|v|w|a|ah|bar|mm²|mm2|m²|m2)"
_FIGURE = r"\d+(?:[.,]\d+)?"
_LIST_JOIN = r"(?:\s*,\s+|\s*/\s*|\s+(?:et|and|ou|or)\s+)"  # not the comma of "1,8 kg"
SHARED_UNIT = re.compile(rf"(?<![\w.,])(?P<first>{_FIGURE})(?P<rest>(?:{_LIST_JOIN}{_FIGURE})+)"
                         rf"[ \t]?(?P<unit>{_SIZE_UNITS})(?![\w²])", re.I)
_ONE = re.compile(rf"(?P<join>{_LIST_JOIN})(?P<figure>{_FIGURE})", re.I)


def _share_unit(m: re.Match[str]) -> str:
    unit = m.group("unit")
    rest = _ONE.sub(lambda p: f"{p.group('join')}{p.group('figure')} {unit}", m.group("rest"))
    # the last figure already has its unit after it
    if rest.endswith(f" {unit}"):
        rest = rest[: -len(unit) - 1]
    return f"{m.group('first')} {unit}{rest} {unit}"


# a range of garment sizes: "S to XL", "du S au XL", "M-XL" are every size between
_SIZES = ("XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL")
SIZE_RANGE = re.compile(r"(?<![\w-])(?:(?P<du>du|from)\s+)?(?P<low>XXS|XS|S|M|L|XL)\s*(?P<to>to|à|au|[-–])\s*"
                        r"(?P<high>XS|S|M|L|XL|XXL|XXXL)(?![\w-])")


def _size_range(m: re.Match[str]) -> str:
    low, high = _SIZES.index(m.group("low")), _SIZES.index(m.group("high"))
    if high - low < 1:
        return m.group(0)
    sizes = _SIZES[low:high + 1]
    joiner = " et " if m.group("to") in ("à", "au") or m.group("du") == "du" else " and "
    return ", ".join(sizes[:-1]) + joiner + sizes[-1]


# a table whose quantity column says its unit in the header: "| Qty (cartons) |", "| Quantité (boîtes) |"
_QTY_HEADER = re.compile(r"^\s*(?:qty|qt[ée]|quantit[ée]s?|quantity|quantities|nb|nombre)\s*\(\s*([^\W\d][^\W\d ]{1,15})\s*\)\s*$",
                         re.I)


def column_units(text: str) -> str:
    """Each bare count of such a column said with the header's unit: "| PRE-4127 | … | 12 |" of a
    "Qty (cartons)" column is 12 cartons."""
    if "|" not in text or "(" not in text:
        return text
    lines = text.split("\n")
    column = unit = None
    for i, line in enumerate(lines):
        if "|" not in line:
            column = unit = None
            continue
        cells = line.split("|")
        if column is None:
            found = next(((k, m.group(1)) for k, c in enumerate(cells) if (m := _QTY_HEADER.match(c))), None)
            if found is not None:
                column, unit = found
            continue
        if column < len(cells) and re.fullmatch(r"\s*\d+\s*", cells[column]):
            cells[column] = f" {cells[column].strip()} {unit} "
            lines[i] = "|".join(cells)
    return "\n".join(lines)


def expand_splits(text: str, family: Callable[[str, list[str]], bool] | None = None) -> str:
    """The text with each total shared over variants written as one line per variant, and each
    size of a list given its unit. `family(word, values)`: the word names what all the values are
    variants of (the catalog knows), so it is no value itself."""
    text = column_units(text)
    if "S" in text or "M" in text or "L" in text:
        text = SIZE_RANGE.sub(_size_range, text)
    lowered = text.lower()
    each = "each" in lowered or "chaque" in lowered or "chacun" in lowered  # what _EACH needs
    if any(c.isdigit() for c in text):
        text = SHARED_UNIT.sub(_share_unit, text)
        if each:
            text = EACH_AFTER.sub(lambda m: _each_after(m, family), text)
        if "half" in lowered or "moiti" in lowered:
            text = HALVES.sub(_halves, text)
    if ":" not in text and "(" not in text and "," not in text and "–" not in text:
        return text
    if each:
        text = EACH_SIZES.sub(_each_size, text)

    def lines(phrase: str, parts: list[re.Match[str]], rest: int | None = None) -> str:
        # the family without its asides ("(EN 388 4X42C)"), each variant said as a size
        phrase = _ASIDE.sub("", phrase).strip()
        return ", ".join(" ".join(w for w in (_count(p, rest), p.group("unit"), phrase,
                                                *((p.group("measure") or p.group("figure"),)
                                                  if p.group("measure") or p.group("figure") else
                                                  (_size_word(p.group("word")), p.group("value") or p.group("letter"))))
                                  if w) for p in parts)

    def with_total(m: re.Match[str]) -> str:
        parts = list(PART.finditer(m.group("parts")))
        counted = [int(p.group("qty")) for p in parts if p.group("qty").isdigit()]
        rest = None
        if len(counted) == len(parts) - 1:  # one part is the rest of the total
            rest = int(m.group("total")) - sum(counted)
            if rest <= 0:  # nothing left for the rest: the buyer's to explain, the total a question
                return f"{m.group('total')} {m.group('phrase').strip()} ; {lines(m.group('phrase'), parts)}"
            return lines(m.group("phrase"), parts, rest)
        if len(counted) < len(parts):
            return m.group(0)
        if sum(counted) != int(m.group("total")):
            if all(p.group("measure") or p.group("figure") or p.group("letter")
                   or (p.group("value") and any(c.isdigit() for c in p.group("value"))) for p in parts):
                # "5 disques : 2 en 125 et 2 en 230": a total that does not add up is the buyer's
                # to explain; the total stays a line of the family, which is a question
                return f"{m.group('total')} {m.group('phrase').strip()} ; {lines(m.group('phrase'), parts)}"
            return m.group(0)
        return lines(m.group("phrase"), parts)

    def listed(m: re.Match[str]) -> str:
        parts = list(PART.finditer(m.group("parts")))
        if not all(p.group("qty").isdigit() for p in parts):
            return m.group(0)  # the rest of what? no total was said
        return m.group("lead") + lines(m.group("phrase"), parts)

    text = SPLIT.sub(with_total, text)
    return LISTED.sub(listed, text) if LISTED_PARTS.search(text) else text
