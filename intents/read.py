"""Stages 2 to 4 on one piece of text: segment, link, read quantities.

`read` is what the parser runs on the new text of a message, and again on the quoted
text when the new text points at it ("same as below"); it returns the lines, the
mentions and what the text said around them, for the classifier and the decision.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intents.index import CatalogIndex
from intents.language import ENGLISH, FRENCH
from intents.link import Linker, Mention, context_keys, link, quantity_measures, resolve_by_context
from intents.masks import masked_tokens
from intents.normalize import (
    COUNT_UNITS,
    MEASURE_UNITS,
    PACKAGING,
    STOP,
    fold,
    misspelt_unit,
    unit_classes,
)
from intents.quantities import QuantityReader, Reading, numbers
from intents.segment import Segmented, segment
from intents.splits import expand_splits
from intents.tokens import Feature, Token, features, negated_features, x_codes


@dataclass
class Read:
    seg: Segmented
    feats: list[Feature]
    roles: dict[int, str]
    masked: set[int]
    mentions: list[Mention]
    readings: list[Reading]

    @property
    def wanted(self) -> list[Reading]:
        return [r for r in self.readings if not r.mention.removed]


def _joined(seg, one: Mention, other: Mention) -> bool:
    a, b = sorted((one, other), key=lambda m: m.first)
    first, second = seg.clauses[a.clauses[-1]], seg.clauses[b.clauses[0]]
    return first.sentence == second.sentence and (second.opener in ("et", "and", "+", ",", "") or
                                                  b.clauses[0] - a.clauses[-1] <= 1)


def _counted_apart(seg, mention: Mention) -> bool:
    """A figure opens the mention's own clause: it is a line of its own, not a shared description."""
    clause = seg.clauses[mention.clauses[0]]
    return any(seg.tokens[t].kind == "num" for t in range(clause.start, mention.first))


# the words of the language the detector counts ("livrer", "deliver"): words as written, never a
# catalog word misspelt ("livrer" is no "livre" of a "carton livres")
LANGUAGE_WORDS = FRENCH | ENGLISH


class Reader:
    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        self.linker = Linker(index)
        self.quantities = QuantityReader(index)

    def _family(self, word: str, values: list[str]) -> bool:
        """Each value is a variant of what the word names (products with the word and that value,
        others for each value): the word is their family's, not a value."""
        postings = self.index.postings
        named = set(postings.get(f"w:{fold(word)}", ()))
        variants = [named & set(postings.get(f"w:{fold(v)}", ())) for v in values]
        return all(variants) and len({frozenset(v) for v in variants}) == len(variants)

    def read(self, text: str, *, lang: str = "fr", context: set[str] | None = None) -> Read:
        text = _changed_to(expand_splits(_ditto_lines(text), self._family))
        seg = segment(text)
        repaired = set()
        tokens = seg.tokens
        known = self.index.words
        plurals = self.index.plurals
        prefixed = set()
        for i, token in enumerate(tokens):
            if token.kind == "word" and token.norm not in known and token.norm[:2] == "un" and len(token.norm) >= 7:
                rest = self.index.repair(token.norm[2:], abbreviation=False)
                if rest in known and rest not in STOP:
                    token.norm = rest  # "unfiltered", "unsterile": what the product is not
                    prefixed.add(i)
                    continue
            if token.kind == "word" and token.norm in plurals:
                token.norm = plurals[token.norm]  # the catalog's one form of "plis" / "pli"
            if token.kind == "word" and token.norm not in known and token.norm not in COUNT_UNITS \
                    and token.norm not in PACKAGING and token.norm not in STOP \
                    and token.raw.lower() not in LANGUAGE_WORDS \
                    and not (token.norm in MEASURE_UNITS and i and tokens[i - 1].kind == "num"):
                # "packs" is a unit said, not "packing" misspelt; "notre" is not "note"; "27 pouces"
                # is a size (the catalog writes 27"), not "27 puce"
                # an abbreviation only beside another catalog word or right after a figure ("6 filt huile")
                near = any(0 <= j < len(tokens) and ((tokens[j].norm in known and tokens[j].norm not in STOP)
                                                     or (j == i - 1 and tokens[j].kind == "num"))
                           for j in (i - 1, i + 1))
                beside = tuple(tokens[j].norm for j in (i - 1, i + 1) if 0 <= j < len(tokens)
                               and tokens[j].norm in known)
                fixed = self.index.repair(token.norm, abbreviation=near, beside=beside)
                if fixed == token.norm and i and tokens[i - 1].kind == "num":
                    fixed = misspelt_unit(token.norm) or fixed  # "2 cartosn de Picpoul", "6 boutielles"
                if fixed != token.norm:
                    token.norm = fixed
                    repaired.add(i)
        feats, roles = features(seg.tokens)
        feats += x_codes(seg.tokens, roles, self.index.x_codes)
        feats = negated_features(seg.tokens, feats, self.index.postings, prefixed)
        masked = masked_tokens(text, seg.tokens) - _named_like_money(seg.tokens, known)
        mentions = link(self.index, self.linker, seg, feats, roles, repaired=repaired, masked=masked)
        pool = context_keys(feats, mentions) | (context or set())
        for position, mention in enumerate(mentions):
            if mention.certain or len(mention.skus) < 2:
                continue
            # the rest of the message first, then the product named just before, then just after
            pools = [pool]
            before = next((m for m in reversed(mentions[:position]) if m.certain), None)
            after = next((m for m in mentions[position + 1:] if m.certain), None)
            for other in (before, after):
                # "les disques et plaquettes avant de Clio V": a neighbour in the same sentence, joined to it
                # ("6 tensiomètres et 6 thermomètres électroniques": counted apart, each has its own words)
                if other is not None and _joined(seg, mention, other) \
                        and not (other is after and _counted_apart(seg, other)):
                    pools.append({f.key for f in feats if set(f.tokens) & other.tokens and f.key[0] in "wcbdn"})
            own = {f.key for f in feats if set(f.tokens) & mention.tokens}
            own |= {f.key for c in mention.clauses for f in feats
                    if all(seg.clauses[c].start <= t < seg.clauses[c].end for t in f.tokens)}
            resolved = resolve_by_context(self.index, mention, pools, own)
            if resolved is not None:
                mention.skus, mention.certain, mention.context_resolved = (resolved,), True, True
        for mention in mentions:
            if len(mention.skus) == 1:
                # "…, rack of 96 | 30": how its sale unit is packed, said again, is no count
                vocab = self.index.products[mention.skus[0]].vocab
                packed = {t for f in feats if f.key[0] == "k" and f.key in vocab for t in f.tokens
                          if seg.tokens[t].kind == "num" and any(seg.clauses[c].start <= t < seg.clauses[c].end
                                                                  for c in mention.clauses)}
                if packed - mention.attributes:
                    mention.attributes = mention.attributes | packed
        attributes = set().union(*(m.attributes for m in mentions)) if mentions else set()
        saids = numbers(seg, masked, attributes, roles, lang)
        readings = self.quantities.read(seg, mentions, saids, roles, quantity_measures(seg.tokens, roles, self.index.words))
        readings.sort(key=lambda r: (not r.mention.tokens, r.mention.first))  # lines in the order written
        _as_many(seg, readings)
        _corrected_figure(seg, readings, masked)
        self._aside_counts(seg, readings)
        return Read(seg, feats, roles, masked, mentions, readings)

    def _aside_counts(self, seg, readings: list[Reading]) -> None:
        """'3 cartons of F7 287x592 (12 filters)' of filters packed by 6: 18 or 12? The buyer says."""
        tokens = seg.tokens
        for reading in readings:
            if reading.qty is None or reading.issue is not None or len(reading.mention.skus) != 1 \
                    or not reading.mention.tokens:
                continue
            product = self.index.products[reading.mention.skus[0]]
            if product.entry.pack_size <= 1:
                continue
            end = tokens[reading.mention.last].end
            m = ASIDE_COUNT.match(seg.text, end)
            if m is None:
                continue
            word = fold(m.group("word"))
            if f"w:{word}" not in product.vocab and product.unit not in unit_classes(word):
                continue
            said = int(m.group("count"))
            if said != reading.qty * product.entry.pack_size and said != reading.qty:
                reading.qty, reading.issue, reading.said = None, "contradictory", float(said)


AS_MANY = re.compile(r"(?:\bautant\s+(?:de|d['’])|\bas\s+many(?:\s+of)?|\bthe\s+same\s+number\s+of|"
                     r"\ble\s+m[êe]me\s+nombre\s+(?:de|d['’]))\s*$", re.I)


def _as_many(seg, readings: list[Reading]) -> None:
    """'5 SSD 500 Go et autant de barrettes 8 Go', 'and as many docks': the count said just before."""
    tokens = seg.tokens
    for i, reading in enumerate(readings):
        if i == 0 or reading.qty is not None or not reading.mention.tokens:
            continue
        # the last line counted before it (a code in brackets may say that product again, uncounted)
        previous = next((r for r in reversed(readings[:i]) if r.qty is not None and r.mention.tokens), None)
        if previous is None or previous.issue is not None:
            continue
        if previous.at is not None and tokens[previous.at].kind == "num" \
                and tokens[previous.at].norm != str(previous.qty):
            continue  # "5 clés (lot de 5) et autant de disques": five, or one? the buyer says

        start = tokens[reading.mention.first].start
        before = seg.text[max(tokens[readings[i - 1].mention.last].end, start - 40):start]
        if AS_MANY.search(before):
            reading.qty, reading.issue = previous.qty, None


# "en passant les écrans de 10 à 14", "bump the screens from 10 to 14": the figure it becomes
CHANGED_TO = re.compile(r"(?P<verb>\b(?:pass\w*|augment\w*|r[ée]dui\w*|diminu\w*|chang\w*|modifi\w*|mont\w*|"
                        r"increas\w*|decreas\w*|bump\w*|rais\w*|reduc\w*|lower\w*|go(?:ing)?)\b[^.\n?!]{0,60}?)"
                        r"\b(?:de|from)\s+\d+\s+(?P<to>[àa]|to)\s+(?P<new>\d+)\b", re.I)


def _changed_to(text: str) -> str:
    if not any(c.isdigit() for c in text):
        return text
    return CHANGED_TO.sub(lambda m: f"{m.group('verb')}{m.group('to')} {m.group('new')}", text)


# "- Arcachon : 12 bouteilles de champagne\n- Biarritz : autant": the line above, for another site
DITTO = re.compile(r"(?mi)^(?P<lead>[ \t]*(?:[-*•·][ \t]*)?[^\n:\d]{1,40}:[ \t]*)"
                   r"(?:autant|idem|pareil|la m[êe]me chose|same|the same|ditto|same again)[ \t]*[.!]?[ \t]*$")
_LINE_BODY = re.compile(r"^[ \t]*(?:[-*•·][ \t]*)?[^\n:\d]{1,40}:[ \t]*(?P<body>.*\d.*)$")


def _ditto_lines(text: str) -> str:
    if ":" not in text:
        return text
    lines = text.split("\n")
    for i, line in enumerate(lines):
        m = DITTO.match(line)
        if m is None or i == 0:
            continue
        above = _LINE_BODY.match(lines[i - 1])
        if above is not None:
            lines[i] = m.group("lead") + above.group("body")
    return "\n".join(lines)


# "3 condensate mini pumps please — sorry, make that 5": a figure alone after a correction
CORRECTED_FIGURE = re.compile(r"\b(?:make (?:that|it)|sorry,? (?:make (?:that|it) )?|non,? plut[ôo]t|plut[ôo]t|pardon,?|"
                              r"correction ?:?|en fait,?)\s*(?P<figure>\d+)\b(?![.,]\d)(?!\s*(?:x\b|%|[^\W\d_]))",
                              re.I)


def _named_like_money(tokens: list[Token], known: frozenset[str]) -> set[int]:
    """'40 EUR pallets used': a figure before a catalog word that looks like a currency and the
    product's noun after it counts pallets, not euros ('40 EUR per pallet' stays a price)."""
    out = set()
    for i, t in enumerate(tokens[:-2]):
        currency, noun = tokens[i + 1], tokens[i + 2]
        if t.kind == "num" and currency.kind == "word" and currency.norm in known and noun.kind == "word" \
                and currency.norm in ("eur", "euro", "usd", "chf") and noun.norm in known and noun.norm not in STOP \
                and noun.norm not in ("per", "each", "ht", "ttc", "hors", "net"):
            out.add(i)
    return out


def _corrected_figure(seg, readings: list[Reading], masked: set[int]) -> None:
    tokens = seg.tokens
    named = set().union(*(r.mention.tokens | r.mention.attributes for r in readings)) if readings else set()
    for m in CORRECTED_FIGURE.finditer(seg.text):
        at = next((i for i, t in enumerate(tokens) if t.start == m.start("figure")), None)
        if at is None or at in named or at in masked:
            continue
        before = [r for r in readings if r.mention.tokens and r.mention.last < at]
        after = [r for r in readings if r.mention.tokens and r.mention.first > at]
        if len(before) == 1 and not after and before[0].qty is not None:
            before[0].qty, before[0].issue, before[0].at = int(m.group("figure")), None, at


ASIDE_COUNT = re.compile(r"\s*\(\s*(?P<count>\d+)\s+(?P<word>[^\W\d]+)\s*\)")
