"""The catalog as the linker sees it: each product's features, read from its own name and aliases.

Nothing here is written for one catalog. Every product contributes the features of its
name and of each alias (see `intents.tokens`); a feature's weight is its rarity across
products (a word every product has proves nothing). From the name we also read what one
sale unit holds — "boîte de 100", "(4 carreaux)", "1,44 m²", "rouleau 150 m", "sac 35 kg" —
so that 300 syringes, 14,4 m² of tiles or 10 tonnes of sand become sale units.
"""

from __future__ import annotations

import bisect
import gc
import math
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import lru_cache

from rapidfuzz import fuzz, process

from intents.catalog import CatalogEntry
from intents.normalize import (
    PACKAGING,
    fold,
    sale_unit_class,
    strip_accents,
    unit_classes,
)
from intents.tokens import (
    COUNT_GLUED,
    Feature,
    Token,
    content,
    features,
    negated_tokens,
    tokenize,
    x_codes,
)

CONTAINERS = ("boite", "box", "paquet", "pack", "sachet", "bag", "lot", "botte", "rouleau", "roll", "sac", "etui", "colis",
              "blister", "rack", "flacon", "carton", "bundle", "set", "jeu", "kit", "coffret", "seau", "pot")
CONTENT = re.compile(r"\b(" + "|".join(CONTAINERS) + r")s?\s+(?:de|of|x)\s+(\d+)(?:\s+([a-z]+))?"
                     r"(?:\s+(?:de|of)\s+(\d+))?")
PAREN_COUNT = re.compile(r"\((\d+)\s+([a-z]+)\)")


@dataclass
class Product:
    entry: CatalogEntry
    phrasings: list[frozenset[str]]
    vocab: frozenset[str]
    heads: frozenset[str]  # features that can name the product on their own account
    lead: frozenset[str]  # the heads that open a phrasing (a noun said alone names it)
    items: frozenset[str]  # words that count single items of it ("gants", "bulbs")
    unit: str  # class of the sale unit ("boite", "piece", "litre", ...)
    noun: str = ""  # the first word of its name: what it is ("w:tensiometre")
    per_unit: int | None = None  # items in one sale unit ("boîte de 100" -> 100)
    measures: dict[str, set[str]] = field(default_factory=dict)  # dimension -> values
    content: dict[str, float] = field(default_factory=dict)  # dimension -> amount in one sale unit
    plain_numbers: frozenset[str] = frozenset()  # "n:125" said alone in a name or alias
    packs: frozenset[str] = frozenset()  # what a carton of it is called ("casier de 24" of a pack of 24)
    written: tuple[tuple[str, str], ...] = ()  # (figure as written, measure) where they differ: ("2.5", "m:len:2500")

    @property
    def sku(self) -> str:
        return self.entry.sku


_NOT_ALNUM = re.compile(r"[^a-z0-9]")


@lru_cache(maxsize=65536)
def compact(code: str) -> str:
    """A code as letters and digits only: 'PLQ-208 av' -> 'plq208av'."""
    return _NOT_ALNUM.sub("", strip_accents(code.lower()))


def dashed(code: str) -> str:
    """A code in lower case with one dash between its parts: 'CHO_NOI 7' -> 'cho-noi-7'."""
    return re.sub(r"[^a-z0-9]+", "-", strip_accents(code.lower())).strip("-")


class CatalogIndex:
    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        # Millions of small objects, every one kept: the cyclic collector's passes over them
        # would find nothing to free and slow a 50,000-product build down by a quarter.
        enabled = gc.isenabled()
        gc.disable()
        try:
            self._build(entries)
        finally:
            if enabled:
                gc.enable()

    def _build(self, entries: Iterable[CatalogEntry]) -> None:
        self.products: dict[str, Product] = {}
        self.postings: dict[str, list[str]] = defaultdict(list)
        self.head_postings: dict[str, list[str]] = defaultdict(list)  # what a product can be named by
        self.by_code: dict[str, str] = {}
        self.by_suffix: dict[str, set[str]] = defaultdict(set)
        self.sku_prefixes: set[str] = set()
        self._dashed: list[tuple[str, str]] = []  # (sku in lower case, one dash between parts, sku), sorted
        read = [_read_product(entry) for entry in entries]
        # "plis" and "pli", "gris" kept whole by `fold` (it cannot tell "colis" from a plural):
        # when the catalog says both forms, they are one word
        said = {k[2:] for p in read for k in p.vocab if k.startswith("w:")}
        self.plurals: dict[str, str] = {w: w[:-1] for w in said if w[-1:] in "sx" and len(w) > 3 and w[:-1] in said}
        if self.plurals:
            for i, product in enumerate(read):  # in place: the old product is freed at once
                read[i] = _singular(product, self.plurals)
        for product in read:
            entry = product.entry
            self.products[entry.sku] = product
            for key in product.vocab:
                self.postings[key].append(entry.sku)
            for key in product.heads:
                self.head_postings[key].append(entry.sku)
            self.by_code[compact(entry.sku)] = entry.sku
            self._dashed.append((dashed(entry.sku), entry.sku))
            parts = [p for p in re.split(r"[-_./ ]+", entry.sku.lower()) if p]
            if len(parts) >= 2:
                self.sku_prefixes.add(compact(parts[0]))
            for k in range(1, len(parts)):
                suffix = compact("".join(parts[k:]))
                if len(suffix) >= 3 and (k < len(parts) - 1 or (any(c.isdigit() for c in suffix) and len(suffix) >= 4)):
                    self.by_suffix[suffix].add(entry.sku)
        # codes that products carry as attributes ("3G1,5", "H7"): a SKU ending that way is no proof
        self.attribute_codes: dict[str, set[str]] = defaultdict(set)
        for key, skus in self.postings.items():
            if key[:2] in ("c:", "s:", "d:"):
                self.attribute_codes[compact(key[2:])].update(skus)
        # model codes written with a glued X ("207X"): in a message they name, they do not multiply
        self.x_codes = frozenset(k[2:] for k in self.postings if k.startswith("c:")
                                 and (m := re.fullmatch(r"\d+([a-z]+)", k[2:])) and (m.group(1) == "x"
                                                                                    or m.group(1) in COUNT_GLUED))
        self._dashed.sort()
        total = max(1, len(self.products))
        self.weight = {key: math.log(1 + total / len(skus)) for key, skus in self.postings.items()}
        self.words = frozenset(k[2:] for k in self.postings if k.startswith("w:"))
        self._spellable = sorted(w for w in self.words if len(w) >= 4 and w.isalpha())
        self._prefix_cache: dict[tuple[str, tuple[str, ...]], str | None] = {}
        self._misspelt_cache: dict[str, str | None] = {}
        self._abbreviations = True

    def __len__(self) -> int:
        return len(self.products)

    def w(self, key: str) -> float:
        return self.weight.get(key, 0.0)

    def entry(self, sku: str) -> CatalogEntry:
        return self.products[sku].entry

    # -- words the catalog does not know as written -------------------------------------
    def repair(self, word: str, *, abbreviation: bool = True, beside: tuple[str, ...] = ()) -> str:
        """A message word unknown to the catalog, as the catalog word it abbreviates or misspells.

        Abbreviations ("filt", "plaq") are expanded only where the caller says a product is
        being named (next to another catalog word), since "peu" or "dispo" are words too."""
        if word in self.words or not word.isalpha() or len(word) < 3:
            return word
        if not abbreviation:
            found = _misspelt(self, word)
            return found or word
        return _repair(self, word, beside)

    def by_leading_part(self, raw: str) -> set[str]:
        """The SKUs a code cut short at its end names ("CHO-LAI" of CHO-LAI-35, "CRE-35" of
        CRE-35-1L): written with its separators, whole first part, and a part after it."""
        cut = dashed(raw)
        if "-" not in cut.strip("-") or len(compact(cut)) < 4:
            return set()
        at = bisect.bisect_left(self._dashed, (cut, ""))
        found = set()
        while at < len(self._dashed) and self._dashed[at][0].startswith(cut):
            found.add(self._dashed[at][1])
            at += 1
        return found

    def codes_in(self, text: str) -> str | None:
        return self.by_code.get(compact(text))


def _misspelt(index: CatalogIndex, word: str) -> str | None:
    if len(word) < 5:
        return None
    cache = index._misspelt_cache
    if word not in cache:
        if len(cache) > 50_000:  # a bounded memory, whatever the traffic
            cache.clear()
        best = process.extractOne(word, index._spellable, scorer=fuzz.ratio, score_cutoff=84)
        cache[word] = best[0] if best is not None else None
    return cache[word]


def _repair(index: CatalogIndex, word: str, beside: tuple[str, ...] = ()) -> str:
    key = (word, beside)
    cached = index._prefix_cache.get(key, "")
    if cached != "":
        return cached or word
    found: str | None = None
    if len(word) >= 4 and index._abbreviations:
        # "filt" -> filtre, "plaq" -> plaquette: a prefix of one catalog word family
        prefixed = [w for w in index._spellable if w.startswith(word) and len(w) > len(word)]
        stems = {w[: len(word) + 3] for w in prefixed}
        if len(prefixed) == 1 or (prefixed and len(stems) == 1 and len(word) >= 4):
            found = min(prefixed, key=len)
        elif prefixed and len(word) >= 4:
            # "filt" -> filtre or filter: the one said with the words beside it ("filt huile"), else the commonest
            def fit(w: str) -> tuple[int, int, int]:
                mine = set(index.postings.get("w:" + w, ()))
                together = sum(len(mine & set(index.postings.get("w:" + b, ()))) for b in beside)
                return together, len(mine), -len(w)

            found = max(prefixed, key=fit)
    if found is None and len(word) >= 5:
        best = process.extractOne(word, index._spellable, scorer=fuzz.ratio, score_cutoff=84)
        if best is not None:
            found = best[0]
    if len(index._prefix_cache) > 50_000:  # bounded, whatever the traffic
        index._prefix_cache.clear()
    index._prefix_cache[key] = found
    return found or word


def _read_product(entry: CatalogEntry) -> Product:
    phrasings: list[frozenset[str]] = []
    heads: set[str] = set()
    lead: set[str] = set()
    items: set[str] = set()
    measures: dict[str, set[str]] = defaultdict(set)
    plain: set[str] = set()
    written: set[tuple[str, str]] = set()
    for position, text in enumerate((entry.name, *entry.aliases)):
        tokens, found, roles = analysed(text)
        found = list(found)
        # numbers the catalog says on their own ("disque 125"), not inside "2 x 25 L"
        plain.update(f.key for f in found if f.key.startswith("n:") and roles.get(f.tokens[0]) is None)
        counts = _content_counts(tokens)  # "boîte de 100": how it is packed, not what it is
        negated = negated_tokens(tokens)  # "tube sec sans gel": gel is what it has not
        found = [f for f in found if not (f.key[0] in "nb" and set(f.tokens) & counts) and not set(f.tokens) & negated]
        found += [Feature(f"x:{tokens[t].norm}", (t,)) for t in sorted(negated) if tokens[t].kind == "word"]
        found += [Feature(f"k:{tokens[t].norm}", (t,)) for t in counts if f"k:{tokens[t].norm}" not in
                  {f.key for f in found}]
        keys = frozenset(f.key for f in found)
        if not keys:
            continue
        phrasings.append(keys)
        ordered = sorted(found, key=lambda f: f.tokens[0])
        first = next((f for f in ordered if f.key[0] in "wcdm" and not f.key.startswith("m:len~")), None)
        if first is not None:
            heads.add(first.key)
            lead.add(first.key)
        # English puts the noun last ("van tyre", "oil filter"): the last common noun names it too
        last = next((f for f in reversed(ordered) if f.key.startswith("w:") and tokens[f.tokens[0]].raw.islower()
                     and len(f.key) > 4 and not _packing_word(f.key[2:])), None)
        if last is not None and position > 0:  # a name often ends with its packing ("- boîte de 50")
            heads.add(last.key)
            items.add(last.key[2:])  # "drywall screws", "nitrile gloves": single items of it
        heads.update(k for k in keys if k.startswith("c:") and any(ch.isalpha() for ch in k[2:]))
        heads.update(k for k in keys if k.startswith("d:") and first is not None and k == first.key)
        noun = _head_noun(tokens)
        if noun:
            items.add(noun)
        for key in keys:
            if key.startswith("m:") and not key.startswith("m:len~"):
                _, dimension, value = key.split(":", 2)
                measures[dimension].add(value)
        written.update((tokens[f.tokens[0]].norm, f.key) for f in found if f.key.startswith("m:")
                       and not f.key.startswith("m:len~") and tokens[f.tokens[0]].kind == "num"
                       and tokens[f.tokens[0]].norm != f.key.rsplit(":", 1)[1])
    vocab = frozenset().union(*phrasings) if phrasings else frozenset()
    unit = sale_unit_class(entry.unit)
    per_unit, content_noun = _count_per_unit(entry.name, unit)
    if content_noun:
        items.add(content_noun)
    items -= {"x"}
    items = {w for w in items if unit not in unit_classes(w)}  # "set" of a product sold by the set counts sets
    lead.update(k for k in heads if k.startswith("c:"))
    lead.update(k for k in vocab if k.startswith("d:") and "x" in k)  # 3,5x25, 20x20x50: named by its size
    packs = _pack_words(entry, unit)
    name_noun = _head_noun(analysed(entry.name)[0])
    return Product(entry=entry, phrasings=phrasings, vocab=vocab, heads=frozenset(heads), lead=frozenset(lead),
                   noun=f"w:{name_noun}" if name_noun else "",
                   items=frozenset(items),
                   unit=unit, per_unit=per_unit, measures=dict(measures), content=_content(entry.name, unit),
                   plain_numbers=frozenset(plain), packs=packs, written=tuple(sorted(written)))


PACK_OF = re.compile(r"\b([a-z]{3,})s?\s+(?:de|of|x)\s+(\d+)\b")


def _pack_words(entry: CatalogEntry, unit: str) -> frozenset[str]:
    """The words the catalog uses for a carton of the product: "bouteille 25 cl (casier de 24)"
    sold by the bottle, 24 to the carton, says that "2 casiers" are 48 bottles."""
    if entry.pack_size <= 1:
        return frozenset()
    out = set()
    for text in (entry.name, *entry.aliases):
        for m in PACK_OF.finditer(strip_accents(text.lower())):
            word = fold(m.group(1))
            if int(m.group(2)) == entry.pack_size and word != unit and unit not in unit_classes(word):
                out.add(word)
    return frozenset(out)


def _singular(product: Product, plurals: dict[str, str]) -> Product:
    if not any(k[2:] in plurals or (k[0] == "b" and any(part in plurals for part in k[2:].split("|")))
               for k in product.vocab if k[0] in "wb") and not product.items & plurals.keys():
        return product  # nothing to change: the same objects, no copy
    def key(k: str) -> str:
        if k.startswith("w:"):
            return "w:" + plurals.get(k[2:], k[2:])
        if k.startswith("b:"):
            return "b:" + "|".join(plurals.get(part, part) for part in k[2:].split("|"))
        return k

    def keys(found: Iterable[str]) -> frozenset[str]:
        return frozenset(key(k) for k in found)

    return replace(product, phrasings=[keys(ph) for ph in product.phrasings], vocab=keys(product.vocab),
                   heads=keys(product.heads), lead=keys(product.lead), noun=key(product.noun),
                   items=frozenset(plurals.get(w, w) for w in product.items),
                   plain_numbers=product.plain_numbers)


# count words that say how a thing is packed, not what it is ("box of 50"); a "panel", a
# "bag" or a "roll" can be the thing itself ("LED panel", "rubble bag", "toilet rolls")
PACKING_CLASSES = frozenset({"boite", "paquet", "sachet", "lot", "jeu", "piece", "paire", "carton", "colis", "rack"})


def _packing_word(word: str) -> bool:
    return word in PACKAGING or bool(unit_classes(word) & PACKING_CLASSES)


@lru_cache(maxsize=8)
def analysed(text: str) -> tuple[list[Token], tuple[Feature, ...], dict[int, str]]:
    """Tokens and features of a name, read once for the several things taken from it."""
    tokens = tokenize(text)
    found, roles = features(tokens)
    found += x_codes(tokens, roles)
    return tokens, tuple(found), roles


def _content_counts(tokens: list[Token]) -> set[int]:
    """Number tokens that say how many a pack holds ("boîte de 100", "(4 carreaux)", "jeu de 4")."""
    out = set()
    for i, t in enumerate(tokens):
        if t.kind != "num":
            continue
        if (i >= 2 and tokens[i - 1].norm in ("de", "of", "x") and tokens[i - 2].norm in CONTAINERS) or (i >= 1 and tokens[i - 1].raw == "(" and i + 1 < len(tokens) and tokens[i + 1].kind == "word" \
                and i + 2 < len(tokens) and tokens[i + 2].raw == ")"):
            out.add(i)
    return out


def _head_noun(tokens: list[Token]) -> str | None:
    for i, t in enumerate(tokens):
        if content(t, tokens[i + 1] if i + 1 < len(tokens) else None) and t.norm.isalpha() and len(t.norm) > 2:
            return t.norm
    return None


def _count_per_unit(name: str, unit: str) -> tuple[int | None, str | None]:
    """How many single items one sale unit holds, read from the name ("boîte de 100")."""
    if unit in ("piece", "litre", "metre", "kg"):
        return None, None
    folded = strip_accents(name.lower())
    for m in CONTENT.finditer(folded):
        container = fold(m.group(1))
        if container == unit or unit in unit_classes(container) or container in unit_classes(unit):
            noun = fold(m.group(3)) if m.group(3) else None
            if noun in ("sachet", "paire", "pair") and container != unit:
                continue
            if m.group(4):  # "boîte de 50 sachets de 2": 100 single items
                return int(m.group(2)) * int(m.group(4)), None
            return int(m.group(2)), noun
    m = PAREN_COUNT.search(folded)
    if m and unit not in ("piece",):
        return int(m.group(1)), fold(m.group(2))
    return None, None


def _content(name: str, unit: str) -> dict[str, float]:
    """What one sale unit holds in measures: area (m²), length (mm), volume (ml), mass (g)."""
    tokens, found, _roles = analysed(name)
    amounts: dict[str, list[float]] = defaultdict(list)
    dims: list[tuple[float, float]] = []
    for f in found:
        if f.key.startswith("m:") and not f.key.startswith("m:len~"):
            _, dimension, value = f.key.split(":", 2)
            try:
                amounts[dimension].append(float(value))
            except ValueError:
                continue
        elif f.key.startswith("d:") and "x" in f.key and len(f.tokens) and tokens[f.tokens[-1]].norm == "m":
            values = f.key[2:].split("x")
            if len(values) == 2:
                dims.append((float(values[0]), float(values[1])))
    out: dict[str, float] = {}
    if amounts.get("area"):
        out["area"] = max(amounts["area"])
    elif len(dims) == 1 and unit in ("piece", "plaque"):
        out["area"] = round(dims[0][0] * dims[0][1], 4)
    lengths = [v for v in amounts.get("len", []) if v >= 1000]
    if lengths:
        out["len"] = max(lengths)
    for dimension in ("vol", "mass"):
        if amounts.get(dimension):
            out[dimension] = max(amounts[dimension])
    return out


def is_packaging(word: str) -> bool:
    return word in PACKAGING
