"""Tokens with their offsets, and the product features read from them.

The same reader runs over catalog names and aliases and over messages, so that a
feature found on both sides means the same thing:

- ``w:`` a content word (folded), ``n:`` a number standing on its own,
- ``c:`` a code glued of letters and digits (H7, 5W30, BA13, FFP2; "HA 8" == "HA8"),
- ``b:`` a word next to a number ("parpaing de 15", "Clio V", "4 saisons"),
- ``m:`` a measure in a base unit (55 cm == 550 mm, 2m60 == 2,60 m, 1 000 L),
- ``d:`` a dimension (3,5x25, 20x20x50, 205/55, 15-15-15).

A number that takes part in a measure, a dimension or a code is an attribute of the
product, never a quantity; a ``b:`` or ``n:`` number is one only when the product
linked to it has it (decided later, by the linker).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from functools import lru_cache

from intents.normalize import MEASURE_UNITS, ROMAN, STOP, WEAK_UNITS, fold

TOKEN = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+|[^\w\s]|[^\W_]")
JOINERS = frozenset("-/.+&")
ELIDED = frozenset({"l", "d", "j", "n", "s", "c", "m", "t", "qu", "jusqu", "lorsqu", "puisqu"})
APOSTROPHES = frozenset("'’`")
SPACES_IN_NUMBERS = frozenset(" \u00a0\u202f")


@dataclass(slots=True)
class Token:
    raw: str
    norm: str
    kind: str  # "word" | "num" | "sym"
    start: int
    end: int
    glued: bool  # nothing between this token and the previous one
    upper: bool = False
    line_break: bool = False  # a new line starts with this token

    @property
    def is_word(self) -> bool:
        return self.kind == "word"

    @property
    def is_num(self) -> bool:
        return self.kind == "num"


@dataclass(frozen=True, slots=True)
class Feature:
    key: str
    tokens: tuple[int, ...]  # indices of the tokens it was read from


_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+|\d{1,3}(?:\.\d{3}){2,}")
_THOUSAND_DOT = re.compile(r"\d{1,3}\.\d{3}")
_DIGITS = re.compile(r"\d+")
_DECIMAL = re.compile(r"(\d+)[.,](\d+)")


@lru_cache(maxsize=65536)
def number_value(raw: str) -> str | None:
    """'1 200' / '1,200' / '1.200' -> '1200'; '1,8' -> '1.8'; '2,40' -> '2.4'."""
    text = raw.replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if _THOUSANDS.fullmatch(text):
        return str(int(re.sub(r"\D", "", text)))
    if _THOUSAND_DOT.fullmatch(text) and not text.startswith("0"):
        return str(int(text.replace(".", "")))
    if _DIGITS.fullmatch(text):
        return str(int(text)) if len(text) < 12 else text
    m = _DECIMAL.fullmatch(text)
    if m:
        whole, frac = m.group(1), m.group(2).rstrip("0")
        return f"{int(whole)}.{frac}" if frac else str(int(whole))
    return None


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    previous_end = -1
    for m in TOKEN.finditer(text):
        raw = m.group(0)
        start, end = m.start(), m.end()
        glued = start == previous_end
        broke = "\n" in text[max(0, previous_end):start]
        previous_end = end
        if raw in ("2", "3") and glued and len(tokens) >= 2 and tokens[-1].kind == "word" \
                and tokens[-1].norm in ("m", "cm", "mm") and tokens[-2].kind == "num":
            # "14.4 m2", "3 m3": the square or cubic unit typed without its exponent sign
            last = tokens[-1]
            tokens[-1] = Token(text[last.start:end], last.norm + raw, "word", last.start, end, last.glued)
            continue
        if raw[0] in "0123456789":
            value = number_value(raw)
            if value is None:  # "1.2.3", other scripts' digits: keep its first number
                first = re.match(r"[0-9]+(?:[.,][0-9]+)?", raw)
                value = (number_value(first.group(0)) if first else None) or "0"
            # "1 200": a group of three digits after a short number, one space between, is thousands.
            if (tokens and tokens[-1].kind == "num" and not glued and len(raw) == 3 and raw.isdigit()
                    and text[tokens[-1].end:start] in SPACES_IN_NUMBERS and "." not in tokens[-1].norm
                    and len(tokens[-1].raw) <= 3 and tokens[-1].raw.isdigit() and not tokens[-1].glued
                    and not (len(tokens) > 1 and tokens[-2].kind == "num" and not tokens[-1].glued)):
                last = tokens[-1]
                tokens[-1] = Token(text[last.start:end], str(int(last.norm) * 1000 + int(raw)), "num", last.start,
                                   end, last.glued)
                continue
            tokens.append(Token(raw, value, "num", start, end, glued, line_break=broke))
        elif raw in ("Ø", "ø"):
            tokens.append(Token(raw, raw, "sym", start, end, glued, line_break=broke))
        elif raw in ("µ", "μ"):  # micrometres ("film 23µ"); folded it would be "u", as in "10 u" (units)
            tokens.append(Token(raw, "µ", "word", start, end, glued, line_break=broke))
        elif raw[0].isalpha() or raw[0] in "µ²":
            tokens.append(Token(raw, fold(raw), "word", start, end, glued, upper=raw.isupper(), line_break=broke))
        else:
            tokens.append(Token(raw, raw, "sym", start, end, glued, line_break=broke))
    return tokens


def content(token: Token, next_token: Token | None) -> bool:
    """A word that can name a product: not a function word, not an elided article."""
    if token.kind != "word":
        return False
    if next_token is not None and next_token.kind == "sym" and next_token.raw in APOSTROPHES and next_token.glued \
            and token.norm in ELIDED:
        return False
    if len(token.raw) == 1 and token.raw.isupper() and token.raw != "I" and not (
            token.raw == "A" and next_token is not None and next_token.kind == "word" and next_token.raw.islower()
            and not next_token.line_break):
        return True  # "type A", "taille S": a letter that is a grade, not "à" or "a"
    if token.norm in STOP and len(token.norm) >= 3 and not token.raw.isascii() and token.raw.lower() not in STOP \
            and fold(token.raw) == token.norm:
        return True  # "thé" is tea, not "the": accents folded into a stop word
    return token.norm not in STOP


def _is_unit(token: Token, number: Token | None = None) -> str | None:
    """The measure unit a token spells, if any ("L" after a number, "mm", "Ah", "°C")."""
    if token.kind == "sym":
        return token.raw if token.raw in ('"', "%", "°") else None
    word = token.norm
    if word not in MEASURE_UNITS:
        return None
    if word == "a" and not token.raw.isupper():
        return None
    if word in WEAK_UNITS and number is not None and not token.glued and len(token.raw) == 1 and word == "m" \
            and token.raw == "M":
        return None  # "2 M" is a size more often than two metres
    return word


LETTER_SIZES = frozenset({"XS", "S", "M", "XL", "XXL", "XXXL", "2XL", "3XL"})


def size_letter(tokens: list[Token], i: int) -> bool:
    """'L' after a figure, among other sizes on its line ("gloves M and 4 L"): a size, not litres."""
    t = tokens[i]
    if t.raw != "L" or t.glued or not i or tokens[i - 1].kind != "num":
        return False
    for j in range(max(0, i - 6), i - 1):
        if tokens[j].raw in LETTER_SIZES and tokens[j].kind == "word" \
                and not any(tokens[k].line_break for k in range(j + 1, i + 1)):
            return True
    return False


def _measure(value: str, unit: str) -> str | None:
    dimension, factor = MEASURE_UNITS[unit]
    try:
        amount = float(value) * factor
    except ValueError:
        return None
    return f"m:{dimension}:{_num(amount)}"


@lru_cache(maxsize=16384)
def _num(amount: float) -> str:
    rounded = round(amount, 4)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"



# What a number token is, once read: part of a code or a glued dimension (an attribute for
# sure), part of a measure (an attribute, unless the product is sold in that measure), part
# of a spaced "a x b" (a dimension if the product has it, else maybe a quantity), or a
# quantity marker glued to a count ("x10", "10x", "10pcs").
CODE, DIM, SOFT_DIM, MEASURE, MULTIPLIER = "code", "dim", "dim?", "measure", "multiplier"


def features(tokens: list[Token]) -> tuple[list[Feature], dict[int, str]]:
    """Product features of a token sequence, and the role of the numbers in it."""
    out: list[Feature] = []
    roles: dict[int, str] = {}
    units: set[int] = set()  # unit words inside a measure and letters inside a code: not product words
    n = len(tokens)
    i = 0
    while i < n:
        t = tokens[i]
        nxt = tokens[i + 1] if i + 1 < n else None
        if t.kind == "num":
            i = max(i + 1, _read_number(tokens, i, out, roles, units))
            continue
        if t.kind == "word" and nxt is not None and nxt.kind == "num" and nxt.glued and t.norm != "x":
            # letters then digits: a code (H7, BA13, FFP2, R16, PX26d)
            j = i + 1
            code = t.norm + nxt.norm.replace(".", "")
            idx = [i, j]
            if j + 1 < n and tokens[j + 1].kind == "word" and tokens[j + 1].glued and len(tokens[j + 1].norm) <= 3:
                code += tokens[j + 1].norm
                idx.append(j + 1)
            out.append(Feature("c:" + code, tuple(idx)))
            out.append(Feature("s:" + code, tuple(idx)))
            if len(t.norm) >= 2:
                out.append(Feature(f"b:{t.norm}|{nxt.norm}", (i, j)))
            roles[j] = CODE
            if len(t.norm) <= 3 or len(idx) == 3:
                units.update(k for k in idx if tokens[k].kind == "word")
            i = idx[-1] + 1
            continue
        if t.kind == "word" and nxt is not None and nxt.raw == "-" and nxt.glued and i + 2 < n \
                and tokens[i + 2].kind == "num" and tokens[i + 2].glued and len(t.norm) <= 3 and t.norm != "x":
            out.append(Feature(f"c:{t.norm}{tokens[i + 2].norm.replace('.', '')}", (i, i + 1, i + 2)))
            out.append(Feature(f"s:{t.norm}{tokens[i + 2].norm.replace('.', '')}", (i, i + 1, i + 2)))
            roles[i + 2] = CODE
            units.add(i)
            i += 3
            continue
        if t.kind == "word" and t.norm == "x" and nxt is not None and nxt.kind == "num" and nxt.glued:
            roles[i + 1] = MULTIPLIER  # x10
            i += 2
            continue
        if t.kind == "sym" and t.raw in "øØ⌀" and nxt is not None and nxt.kind == "num":
            idx = (i, i + 1)
            if i + 2 < n and tokens[i + 2].norm == "mm":
                idx = (i, i + 1, i + 2)
                units.add(i + 2)
            out.append(Feature(f"m:len:{_num(float(nxt.norm))}", idx))
            roles[i + 1] = MEASURE
            i = idx[-1] + 1
            continue
        i += 1
    # words, spaced codes ("HA 8", "DOT 4"), word-number pairs, roman numerals ("Clio V")
    previous_content: int | None = None
    for i, t in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < n else None
        if t.kind == "word" and i not in units and content(t, nxt):
            roman = ROMAN.get(t.norm) if t.upper and previous_content is not None and not t.glued else None
            if roman and tokens[previous_content].kind == "word":
                out.append(Feature(f"b:{tokens[previous_content].norm}|{roman}", (previous_content, i)))
                out.append(Feature("n:" + roman, (i,)))
            else:
                out.append(Feature("w:" + t.norm, (i,)))
            previous_content = i
        elif t.kind == "num":
            role = roles.get(i)
            if role in (None, SOFT_DIM):
                out.append(Feature("n:" + t.norm, (i,)))
                before = tokens[i - 1] if i else None
                if before is not None and before.kind == "word" and before.norm in ("taille", "size", "pointure", "t"):
                    out.append(Feature("z:" + t.norm, (i - 1, i)))  # "taille 9" == "size 9"
                after = tokens[i + 1] if i + 1 < n else None
                sized = "." in t.norm or (after is not None and (after.norm in ("x", "×") or after.norm in MEASURE_UNITS))
                if i >= 2 and before is not None and before.norm in ("de", "of") and tokens[i - 2].norm in PACKS \
                        and not sized:  # "boxes of 22 x 22 mm coverslips": a size, not a pack
                    out.append(Feature("k:" + t.norm, (i - 2, i - 1, i)))  # "boîte de 50": how it is packed
                if before is not None and before.norm == "in" and i + 1 < n and tokens[i + 1].norm == "s" \
                        and tokens[i + 1].glued:
                    out.append(Feature("k:" + t.norm, (i - 1, i)))  # "the ones in 50s"
                if before is not None and before.raw == "(" and i + 2 < n and tokens[i + 1].kind == "word" \
                        and tokens[i + 2].raw == ")":
                    out.append(Feature("k:" + t.norm, (i - 1, i, i + 1, i + 2)))  # "the 2-ply (96 rolls)"
            if role in (None, SOFT_DIM) and not t.glued:
                left = _content_before(tokens, i)
                if left is not None and tokens[left].norm not in MEASURE_UNITS and left not in units:
                    out.append(Feature(f"b:{tokens[left].norm}|{t.norm}", (left, i)))
                    if len(tokens[left].norm) <= 3 and left == i - 1 and tokens[left].norm.isalpha() \
                            and tokens[left].norm not in ROMAN:
                        # "HA 8" said for "HA8": the same code, spaced (not a head on its own)
                        out.append(Feature(f"s:{tokens[left].norm}{t.norm.replace('.', '')}", (left, i)))
            if role is None and nxt is not None and nxt.kind == "word" and content(nxt, None) \
                    and nxt.norm not in MEASURE_UNITS:
                out.append(Feature(f"b:{t.norm}|{nxt.norm}", (i, i + 1)))
            previous_content = None
        elif t.kind == "sym" and t.raw not in "-'’":
            previous_content = None
    return out, roles


NEGATORS = frozenset({"san", "sans", "without", "non", "no", "free"})


def x_codes(tokens: list[Token], roles: dict[int, str], known: Container[str] | None = None) -> list[Feature]:
    """'HP 207X', 'toner 26X', 'rack 42U': a figure with a glued X (or a count letter) that names a
    product (a model code), not '207 x' or '42 units'. In a catalog name every such figure is one (`known` None); in a message, only those
    the catalog has, so that '10x gants' stays ten of them. The roles are changed in place."""
    out = []
    for i in range(len(tokens) - 1):
        t, nxt = tokens[i], tokens[i + 1]
        if t.kind != "num" or roles.get(i) != MULTIPLIER or not nxt.glued or not (
                nxt.norm == "x" or nxt.norm in COUNT_GLUED):
            continue  # also "42U" of a 42U rack: in a name, U is no count of units
        if i + 2 < len(tokens) and tokens[i + 2].glued and tokens[i + 2].kind == "num":
            continue  # "10x20": a size
        code = t.norm + nxt.norm
        if known is None or code in known:
            roles[i] = CODE
            out.append(Feature("c:" + code, (i, i + 1)))
    return out


def negated_tokens(tokens: list[Token], *, tight: bool = False) -> set[int]:
    """Words said as what a product has not: "sans soupape", "without lid", "latex-free".
    `tight`: only the forms that cannot take a product away ("non-filtered", "latex-free")."""
    out = set()
    for i, t in enumerate(tokens[:-1]):
        if t.kind == "word" and t.norm in NEGATORS:
            if t.norm == "free" and i:  # "latex-free": the word before
                if not tight or t.glued:
                    out.add(i - 1)
            elif t.norm != "free" and tokens[i + 1].kind == "word":
                if not tight or t.norm == "non":
                    out.add(i + 1)
            elif t.norm == "non" and tokens[i + 1].raw == "-" and i + 2 < len(tokens) \
                    and tokens[i + 2].kind == "word" and tokens[i + 2].glued:
                out.add(i + 2)  # "non-filtered"
    return out


def negated_features(tokens: list[Token], feats: list[Feature], known: Container[str],
                     prefixed: Container[int] = ()) -> list[Feature]:
    """A message's features with each negated word said as such ("x:soupape"): "FFP2 sans
    soupape" names the unvalved mask, as the catalog's own "sans soupape" does. Only where the
    catalog says that absence (`known` keys): "and no hand gel this time" leaves a product out.
    A tight negation ("non-filtered", "unfiltered": `prefixed` tokens lost their "un") is one
    whatever the catalog says: the word then speaks against the products that have it."""
    tight = negated_tokens(tokens, tight=True) | {i for i in range(len(tokens)) if i in prefixed}
    negated = {t for t in negated_tokens(tokens) if f"x:{tokens[t].norm}" in known} | tight
    if not negated:
        return feats
    out = [f for f in feats if not set(f.tokens) & negated]
    out += [Feature(f"x:{tokens[t].norm}", (t,)) for t in sorted(negated)]
    return out


def _content_before(tokens: list[Token], i: int) -> int | None:
    """The content word just before token i, skipping one preposition ("parpaing de 15")."""
    j = i - 1
    if j >= 0 and tokens[j].kind == "word" and tokens[j].norm in ("de", "d", "of", "en", "taille", "size", "pointure"):
        j -= 1
        if j >= 0 and tokens[j].kind == "sym" and tokens[j].raw in "'’":
            j -= 1
    if j >= 0 and tokens[j].kind == "word" and content(tokens[j], None):
        return j
    return None


def _read_number(tokens: list[Token], i: int, out: list[Feature], roles: dict[int, str], units: set[int]) -> int:
    """Measures, dimensions and codes that start with the number at i; returns the next index."""
    n = len(tokens)
    t = tokens[i]

    def at(k: int) -> Token | None:
        return tokens[k] if 0 <= k < n else None

    nxt = at(i + 1)
    # dimensions: 3,5x25 / 20x20x50 (glued: for sure) / 40 x 50 cm, 2 x 10 L (spaced: maybe)
    parts, k, glued = [i], i + 1, True
    # (a "*" that opens a line is a bullet: "taille 9\n* 1 carton" is no 9 x 1)
    while at(k) is not None and at(k).norm in ("x", "×", "*") and at(k + 1) is not None and at(k + 1).kind == "num" \
            and not (at(k).raw == "*" and at(k).line_break):
        if at(k).glued != at(k + 1).glued:
            break  # "4x 225/45": a multiplier, then a size
        glued = glued and at(k).glued and at(k + 1).glued
        parts.append(k + 1)
        k += 2
    if len(parts) >= 2:
        values = [tokens[p].norm for p in parts]
        idx = tuple(range(i, k))
        unit = at(k)
        unit_word = _is_unit(unit, tokens[parts[-1]]) if unit is not None else None
        if unit_word is not None and MEASURE_UNITS[unit_word][0] != "len":
            unit_word = None  # "2 x 10 L": two of ten litres, not a dimension
        if unit_word is not None:
            factor = MEASURE_UNITS[unit_word][1]
            for p in parts:
                out.append(Feature(f"m:len:{_num(float(tokens[p].norm) * factor)}", (p, k)))
            idx = (*idx, k)
            units.add(k)
            k += 1
        out.append(Feature("d:" + "x".join(values), idx))
        for p in parts:
            roles[p] = DIM if glued else SOFT_DIM
        if not glued and unit_word is not None:
            out.append(Feature(f"m:len:{_num(float(tokens[parts[-1]].norm) * MEASURE_UNITS[unit_word][1])}",
                               (parts[-1], k - 1)))
            roles[parts[-1]] = MEASURE
        return k if glued else i + 1
    # gradings and sizes: 0/4, 6/10, 205/55, 15-15-15 (glued)
    k, joined, idx = i + 1, [t.norm], [i]
    while at(k) is not None and at(k).kind == "sym" and at(k).raw in "/-" and at(k).glued and at(k + 1) is not None \
            and at(k + 1).kind == "num" and at(k + 1).glued:
        joined.append(at(k + 1).norm)
        idx += [k, k + 1]
        k += 2
    if len(joined) >= 2:
        sep = "/" if tokens[idx[1]].raw == "/" else "-"
        out.append(Feature("d:" + sep.join(joined), tuple(idx)))
        for p in idx[::2]:
            roles[p] = DIM
        return k
    if nxt is None:
        return i + 1
    # 2m60: two metres sixty
    if nxt.glued and nxt.norm == "m" and at(i + 2) is not None and at(i + 2).kind == "num" and at(i + 2).glued \
            and len(at(i + 2).raw) == 2:
        out.append(Feature(f"m:len:{_num(float(t.norm) * 1000 + float(at(i + 2).norm) * 10)}", (i, i + 1, i + 2)))
        roles[i] = roles[i + 2] = MEASURE
        units.add(i + 1)
        return i + 3
    # "2-way", "3-entrées": a number made an adjective, an attribute
    if nxt.kind == "sym" and nxt.raw == "-" and nxt.glued and at(i + 2) is not None \
            and at(i + 2).kind == "word" and at(i + 2).glued and len(at(i + 2).norm) >= 3:
        out.append(Feature(f"b:{t.norm}|{at(i + 2).norm}", (i, i + 1, i + 2)))
        roles[i] = CODE
        return i + 1
    # 5W30, 5W-30, 0W20, 75W80: a code that starts with digits
    if nxt.kind == "word" and nxt.glued and len(nxt.norm) <= 2 and nxt.norm != "x":
        k = i + 2
        if at(k) is not None and at(k).raw == "-" and at(k).glued:
            k += 1
        if at(k) is not None and at(k).kind == "num" and at(k).glued:
            out.append(Feature("c:" + t.norm + nxt.norm + at(k).norm, tuple(range(i, k + 1))))
            roles[i] = roles[k] = CODE
            units.add(i + 1)
            return k + 1
    # "the 20s": a plural, not a code
    if nxt.kind == "word" and nxt.glued and nxt.norm == "s" and not (at(i + 2) is not None and at(i + 2).glued):
        return i + 2
    # x10 / 10x / 10pcs: a quantity, said as such
    if nxt.kind == "word" and nxt.glued and (nxt.norm == "x" or nxt.norm in COUNT_GLUED):
        roles[i] = MULTIPLIER
        return i + 2
    # number + unit (glued or spaced): 60Ah, 5 L, 500 ml, 1,8 kg, 80 °C
    if nxt.kind == "sym" and nxt.raw == "°" and at(i + 2) is not None and at(i + 2).norm == "c" and at(i + 2).glued:
        out.append(Feature(f"m:temp:{_num(float(t.norm))}", (i, i + 1, i + 2)))
        roles[i] = MEASURE
        units.update((i + 1, i + 2))
        return i + 3
    unit = _is_unit(nxt, t)
    if unit is not None and at(i + 2) is not None and at(i + 2).kind == "num" and at(i + 2).glued:
        unit = None  # "20 W5W": the letter opens a code
    if unit == "l" and size_letter(tokens, i + 1):
        unit = None  # "gloves M and 4 L": a size among sizes, not four litres
    if unit == "bar" and nxt.raw.lower() == "bars" and at(i + 2) is not None and at(i + 2).norm == "of":
        unit = None  # "30 bars of trunking": lengths counted, not a pressure
    if unit is not None:
        measure = _measure(t.norm, unit)
        if measure:
            out.append(Feature(measure, (i, i + 1)))
            if measure.startswith("m:len:"):
                out.append(Feature("m:len~:" + _coarse(measure), (i, i + 1)))
            roles[i] = MEASURE
            units.add(i + 1)
            return i + 2
    if nxt.kind == "word" and nxt.glued and not (nxt.raw == "s" and at(i - 1) is not None and at(i - 1).norm == "in"):
        # 91H, 23G-like grades we have no unit for: a code ("the ones in 50s" is a pack of 50)
        out.append(Feature("c:" + t.norm + nxt.norm, (i, i + 1)))
        roles[i] = CODE
        units.add(i + 1)
        return i + 2
    return i + 1


PACKS = frozenset({"boite", "box", "boxe", "paquet", "pack", "packet", "sachet", "bag", "lot", "botte", "rouleau", "roll",
                   "etui", "blister", "rack", "carton", "case", "bundle", "set", "jeu", "kit", "sac", "colis", "caisse"})
COUNT_GLUED = frozenset({"pcs", "pc", "pce", "u", "bte", "btes", "ex", "ea", "units", "unites"})


@lru_cache(maxsize=16384)
def _coarse(measure: str) -> str:
    """A length to two significant digits: 1 inch (25.4 mm) meets 2,5 cm."""
    value = float(measure.rsplit(":", 1)[1])
    if value <= 0:
        return "0"
    from math import floor, log10

    digits = 2 - floor(log10(abs(value))) - 1
    return _num(round(value, digits))
