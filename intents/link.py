"""Stage 3 — link: which products the clauses name, with how much certainty.

Per clause (a region of tokens), every product that shares a feature is a candidate. A
candidate must be named by one of its heads (a word that opens or closes one of its
phrasings, or a code); its evidence is the weight of the message features it explains,
less the weight of the features it contradicts (20 ml said, 10 ml sold; P320 said, P80
sold). A SKU code (exact, any case, spaced, or a unique trailing part) wins and absorbs
the words around it. A number counts for a product only next to its other words
("batteries 95"), never across a separator ("Plaquettes AV Master III | 4").

The mention is *certain* when one candidate explains clearly more than the others, or
when, among equals, exactly one is named in full by one of its phrasings (plain "H7 bulb"
is the standard H7, "Long Life" being named). Otherwise it is a question that names the
candidates: the words that would tell them apart are missing. A clause that names no
product but a variant ("... taille L et 200 en taille M", "et autant pour Clio 5") borrows
the product words of the clause before it; a word said elsewhere in the message (the
vehicle, "the one that goes with it") settles a tie when it points at one candidate only.
"""

from __future__ import annotations

import heapq
import itertools
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from intents.index import CatalogIndex, Product, compact
from intents.normalize import COUNT_UNITS, DOZEN, PACKAGING, STOP, unit_classes
from intents.segment import Clause, Segmented
from intents.tokens import CODE, DIM, MEASURE, SOFT_DIM, Feature, Token, size_letter

KIND_WEIGHT = {"w": 1.0, "c": 1.3, "s": 0.6, "d": 1.2, "m": 1.0, "n": 0.5, "z": 1.2, "k": 0.8}
# words that take a product away ("sauf les couvertures", "drop the gloves")
REMOVAL = re.compile(r"\b(?:drop|sauf|except|exception|excluding|hormis|except[ée]e?s?|no (?:more )?[^\W\d_]+(?: [^\W\d_]+)? this time|without|skip the|sans les|sans le|sans la|pas les|pas le|pas la|pas de|"
                     r"plus besoin|no longer|don'?t need|do not need|cancel|annul\w*|on verra|we'?ll see|later|"
                     r"pas retenu\w*|ne sont pas retenu\w*|not retained|remove|retire[rz]?|enlever|enlevez|supprime[rz]?|"
                     r"oubliez|forget|skip|hold off|reporter|report[ée]e?s?|d[ée]cal[ée]e?s?)\b", re.I)
RESTATING = re.compile(r"\b(?:actually|en fait|plut[ôo]t|finalement|make (?:it|that|the|those)|correction|"
                       r"rectification|change the|changez|passez (?:les|le|la)|mettez plut[ôo]t)\b", re.I)
MAX_SCORED = 60  # candidates fully scored per region (by what they match of the words said)
AMOUNTS = frozenset({"len", "len~", "area", "vol", "mass"})  # measures a buyer also orders by
NEAR = 4  # tokens between two words of one product mention, at most
TIE = 0.35  # evidence closer than this (about a tenth of a rare word) does not tell products apart
COVER_MENTION = 0.25  # a candidate must say at least this much of one of its phrasings
COVER_CERTAIN = 0.45
FULL = 0.999
SEPARATORS = frozenset({"|", ":", "=", ";", "(", ")", "x", "×", "–", "—", "+", ","})


@dataclass
class Mention:
    skus: tuple[str, ...]  # one: certain or not; several: which one?; none: a product we do not sell
    certain: bool
    tokens: frozenset[int]  # tokens that named it
    clauses: tuple[int, ...]  # indices of the clauses of its region
    attributes: frozenset[int] = frozenset()  # number tokens that belong to the product
    via_code: bool = False
    evidence: float = 0.0
    coverage: float = 0.0
    removed: bool = False  # "drop the wipers", "sauf la laine de 240": named, not wanted
    text: str = ""
    context_resolved: bool = False
    elliptic: bool = False
    absorbed: bool = False  # an ambiguous name that the variants said after it replace
    borrowed: frozenset[str] = frozenset()  # product words an ellipsis took from the clause before
    shared: bool = False  # one figure for several variants ("6 boîtes de gants (taille M et L)")

    @property
    def first(self) -> int:
        return min(self.tokens) if self.tokens else 0

    @property
    def last(self) -> int:
        return max(self.tokens) if self.tokens else 0

    @property
    def sku(self) -> str | None:
        return self.skus[0] if self.certain and len(self.skus) == 1 else None


@dataclass
class Scored:
    product: Product
    keys: set[str] = field(default_factory=set)
    tokens: set[int] = field(default_factory=set)
    evidence: float = 0.0
    coverage: float = 0.0
    full: bool = False
    full_weight: float = 0.0  # weight of the richest phrasing said in full
    conflict: float = 0.0
    unit_keys: set[str] = field(default_factory=set)  # its sale unit, said as a count ("2 sacs d'absorbant")

    @property
    def score(self) -> float:
        return self.evidence - self.conflict


def feature_weight(index: CatalogIndex, key: str) -> float:
    kind = key[0]
    factor = KIND_WEIGHT.get(kind, 1.0)
    if kind == "b":
        left = key[2:].split("|", 1)[0]
        factor = 0.5 if left[:1].isdigit() else 0.9
    return index.w(key) * factor


@lru_cache(maxsize=65536)
def slot(key: str) -> tuple[str, str] | None:
    """The kind of attribute a feature fills, so that two values of it contradict."""
    kind, body = key[0], key[2:]
    if kind == "m" and not body.startswith("len~"):
        return ("m", body.split(":", 1)[0])
    if kind == "c" and re.search(r"\d", body) and re.search(r"[a-z]", body):
        return ("c", re.sub(r"\d+(?:\.\d+)?", "#", body))
    if kind == "b":
        left, right = body.split("|", 1)
        if re.fullmatch(r"[\d.]+", right) and not left[:1].isdigit():
            return ("b", left)
        if re.fullmatch(r"[\d.]+", left) and right.isalpha() and len(right) >= 3:
            return ("bn", right)  # "1 pli" / "2 plis", "3-way" / "5-way"
    if kind == "d":
        return ("d", re.sub(r"[\d.]+", "#", body))
    if kind in "zk":
        return (kind, "")
    return None


def _said_alone(tokens: list[Token], span: tuple[int, ...]) -> bool:
    """Nothing is said after the figure in its sentence ("… ? et des 10 ?"), not "the 70 won't work"."""
    for t in range(span[-1] + 1, len(tokens)):
        if tokens[t].raw in ".?!" or tokens[t].line_break:
            return True
        if tokens[t].kind == "word" and tokens[t].norm not in STOP:
            return False
    return True


def _other_measure(measures, before: set[str], product: Product) -> bool:
    """One of the measures is of a dimension the product before was said in, with another value."""
    dimensions = {m.split(":")[1] for m in measures}
    return any(b[0] == "m" and b not in product.vocab and b.split(":")[1] in dimensions for b in before)


def _said_right_after(by_key: dict[str, list[Feature]], key: str, others: frozenset[str], region: Region) -> bool:
    """The other words follow the word closely, as written ("cartons de déménagement"), none rewritten."""
    starts = [f.tokens[0] for f in by_key[key] if f.tokens]
    return bool(starts) and all(
        any(f.tokens and not set(f.tokens) & region.repaired and any(0 < f.tokens[0] - t <= 3 for t in starts)
            for f in by_key[k]) for k in others)


def _most_said(matched: list[tuple[str, frozenset[str]]], weight, limit: int) -> list[tuple[str, frozenset[str]]]:
    """The `limit` products that match the most weight, then by SKU, as a full sort would rank
    them. Variants match the same few keys: each set of keys is weighed once, and only the
    groups that can reach the limit are sorted."""
    groups: dict[frozenset[str], list[str]] = defaultdict(list)
    for sku, keys in matched:
        groups[keys].append(sku)
    by_total: dict[float, list[tuple[frozenset[str], list[str]]]] = defaultdict(list)
    for keys, skus in groups.items():
        # (rounded: a sum's last bit depends on the order a set is read in, a tie must stay one)
        by_total[round(sum(weight(k) for k in keys), 9)].append((keys, skus))
    kept: list[tuple[str, frozenset[str]]] = []
    for total in sorted(by_total, reverse=True):
        keys_of = {sku: keys for keys, skus in by_total[total] for sku in skus}
        kept.extend((sku, keys_of[sku]) for sku in heapq.nsmallest(limit - len(kept), keys_of))
        if len(kept) >= limit:
            break
    return kept


def _measures_by_figure(product: Product) -> dict[str, frozenset[str]]:
    """Each measure by its figure in the base unit ("2500" of 2,50 m)."""
    by_figure: dict[str, set[str]] = defaultdict(set)
    for k in product.vocab:
        if k[0] == "m" and not k.startswith("m:len~"):
            by_figure[k.rsplit(":", 1)[1]].add(k)
    return {v: frozenset(ks) for v, ks in by_figure.items()}


def _with_written(by_figure: dict[str, frozenset[str]], product: Product) -> dict[str, frozenset[str]]:
    """The same, and each measure as the catalog writes it ("2.5": "BA13 de 2,50" of a "BA13 2,50 m" board)."""
    if not product.written:
        return by_figure
    out = dict(by_figure)
    for figure, key in product.written:
        out[figure] = out.get(figure, frozenset()) | {key}
    return out


def _name_slots(keys: frozenset[str]) -> dict[tuple[str, str], frozenset[str]]:
    out: dict[tuple[str, str], set[str]] = {}
    for key in keys:
        found = slot(key)
        if found is not None and found[0] in ("m", "d", "z", "bn"):
            out.setdefault(found, set()).add(key)
    return {k: frozenset(v) for k, v in out.items()}


@dataclass
class Region:
    """What the linker needs to know about the tokens around the features."""
    tokens: list[Token]
    roles: dict[int, str]
    repaired: set[int]  # words rewritten to a catalog word (typo, abbreviation)
    quantity_measures: set[int]  # "14,4 m² of tiles": a measure said as an amount
    unit_words: set[int]  # words right after a figure ("4 bidons", "2 jeux")
    feats: list[Feature] = field(default_factory=list)  # every feature of the message
    known: set[str] = field(default_factory=set)  # products already named for sure in the message
    figure: bool = False  # the clause being linked says a figure
    listed: bool = False  # it follows a product in a run ("3 coffrets + des peignes")
    figures_elsewhere: bool = False  # its paragraph says more than one figure
    qualifying: bool = False  # it follows a product named in the same row ("5W30 C3 oil, 5 L cans")
    correcting: bool = False  # the clause corrects what was said ("actually, make the headsets 12")
    removing: bool = False  # the clause takes a product away ("ok pour ta liste sauf les couvertures")


class _PerProduct(dict):
    """What the linker reads from one product, computed the first time that product is scored:
    a 50,000-product catalog is indexed without reading each product a second time."""

    def __init__(self, compute) -> None:
        super().__init__()
        self._compute = compute

    def __missing__(self, sku: str):
        value = self[sku] = self._compute(sku)
        return value


class Linker:
    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        products = index.products
        self.slots: dict[str, frozenset[tuple[str, str]]] = _PerProduct(
            lambda sku: frozenset(s for s in (slot(k) for k in products[sku].vocab) if s))
        self.name_slots: dict[str, dict[tuple[str, str], frozenset[str]]] = _PerProduct(
            lambda sku: _name_slots(products[sku].phrasings[0] if products[sku].phrasings else frozenset()))
        # a measure only one product has ("70 %" of the one 70 % couverture, "95 Ah"): said with
        # its unit, it names that product even without the product's noun
        # (not a length, an area, a volume or a weight: "20 litres of soap" is how much, not which)
        self.unique_measures: dict[str, str] = {
            k: skus[0] for k, skus in index.postings.items()
            if k.startswith("m:") and len(skus) == 1 and k.split(":")[1] not in AMOUNTS}
        # "dark 70" of a "dark 70 %" name: a bare figure beside the product's words says its measure
        self.measures_by_figure: dict[str, dict[str, frozenset[str]]] = _PerProduct(
            lambda sku: _measures_by_figure(products[sku]))
        # and as its name writes it, for a figure said bare after the product's words only
        self.written_by_figure: dict[str, dict[str, frozenset[str]]] = _PerProduct(
            lambda sku: _with_written(self.measures_by_figure[sku], products[sku]))
        self._weights: dict[str, float] = {}
        self._dimensions: list[str] | None = None  # of the measures the catalog has, read when first needed
        self._written_skus: dict[str, set[str]] = {}
        # each phrasing with its total weight: what share of it a mention says is the coverage
        self.phrasing_weights: dict[str, list[tuple[frozenset[str], float]]] = _PerProduct(
            lambda sku: [(ph, total) for ph in products[sku].phrasings if (total := sum(self.weight(k) for k in ph))])

    def _having_figures(self, figures) -> set[str]:
        """The products one of whose measures has one of these figures, in the base unit or as written."""
        if self._dimensions is None:
            index = self.index
            self._dimensions = sorted({k.split(":")[1] for k in index.postings if k[0] == "m" and k[1:6] != ":len~"})
            written: dict[str, set[str]] = defaultdict(set)
            for sku, product in index.products.items():
                for figure, _key in product.written:
                    written[figure].add(sku)
            self._written_skus = dict(written)
        postings = self.index.postings
        out: set[str] = set()
        for figure in figures:
            for dimension in self._dimensions:
                out.update(postings.get(f"m:{dimension}:{figure}", ()))
            out.update(self._written_skus.get(figure, ()))
        return out

    def weight(self, key: str) -> float:
        found = self._weights.get(key)
        if found is None:
            found = self._weights[key] = feature_weight(self.index, key)
        return found

    def candidates(self, feats: list[Feature], region: Region, exclude: frozenset[str] = frozenset(),
                   shadows: list[Scored] | None = None) -> list[Scored]:
        """The products the features can name, best first. `shadows` collects those named by
        their closing words only ("hard hat" of a "white hard hat"): not candidates, but rivals."""
        by_key: dict[str, list[Feature]] = defaultdict(list)
        for f in feats:
            by_key[f.key].append(f)
        # Only products one of whose heads is said can be named: the others are never looked at,
        # which keeps a 50,000-product catalog fast.
        skus: set[str] = set()
        named_by_measure: dict[str, str] = {}
        for key in by_key:
            skus.update(self.index.head_postings.get(key, ()))
            sku = self.unique_measures.get(key)
            if sku is not None and region.figure and not any(
                    set(f.tokens) & region.quantity_measures or _discounted(region.tokens, f.tokens[0])
                    for f in by_key[key]):
                skus.add(sku)
                named_by_measure[sku] = key
        # only what the catalog knows can match (a small set: the intersections below stay cheap)
        postings = self.index.postings
        said = frozenset(k for k in by_key if k in postings)
        products = self.index.products
        # a correction may name a product said for sure before by any of its words ("make the headsets 12")
        again = {sku for sku in region.known if said & products[sku].vocab} if region.correcting else set()
        skus.update(again)
        matched = [(sku, said & products[sku].vocab) for sku in skus - exclude]
        # a figure said bare right after the product's words, which one of its measures has
        # ("Falcon 15" of the 15 ml tube, "éthanol 70" of the 70 % one): that measure, said
        bare = {k[2:]: k for k in by_key if k[0] == "n" and all(_bare_attribute(region.tokens, f.tokens[0])
                                                                for f in by_key[k])}
        synthetic: set[str] = set()
        if bare:
            having = self._having_figures(bare.keys())
            for i, (sku, keys) in enumerate(matched):
                if sku not in having:
                    continue  # none of its measures has one of the figures (most of a large catalog)
                figures = self.written_by_figure[sku]
                # one measure per figure, so that a product with two (a section and a gauge) is not worth more
                measure_of = {min(figures[figure]): figure for figure in sorted(bare.keys() & figures.keys())
                              if bare[figure] not in keys}
                extra = {m for m in measure_of if m not in by_key or m in synthetic}
                for m in extra:
                    if m not in by_key:
                        by_key[m] = [Feature(m, f.tokens) for f in by_key[bare[measure_of[m]]]]
                        synthetic.add(m)
                if extra:
                    matched[i] = (sku, keys | extra)
        if len(matched) > MAX_SCORED:
            # a large catalog: hundreds of variants share the head said; only those that match
            # most of what was said can win or tie, the rest are not scored
            matched = _most_said(matched, self.weight, MAX_SCORED)
        found: dict[str, Scored] = {}
        for sku, keys in matched:
            entry = found[sku] = Scored(self.index.products[sku])
            for key in keys:
                entry.keys.add(key)
                for f in _said_at(key, keys, by_key):
                    entry.tokens.update(f.tokens)
        # what the region says that may contradict a candidate: not a measure said as an amount, nor the first
        # length of a spaced "2 x 50 m" (two coils of 50 m, or a 2 m by 50 m sheet: only a match tells)
        region_keys = {f.key for f in feats if not (f.key[0] == "m" and (set(f.tokens) & region.quantity_measures
                                                                         or region.roles.get(f.tokens[0]) == SOFT_DIM))}
        span = {t for f in feats for t in f.tokens}
        said_units = {t for t in region.unit_words if span and min(span) - 2 <= t <= max(span) + 1}
        said_measures = {t for t in region.quantity_measures if t in span}
        out = []
        for entry in found.values():
            product = entry.product
            self._prune(entry, by_key, region, synthetic)
            by_measure = named_by_measure.get(product.sku) in entry.keys
            if not entry.keys & product.heads and not by_measure and product.sku not in again:
                continue
            sole = len(entry.keys) == 1 and self._sole_noun(entry, region)
            taken_away = region.removing and len(entry.keys) == 1 and self._only_one_says(entry, next(iter(entry.keys)))
            if not entry.keys & product.lead and len(entry.keys) == 1 and not by_measure and not sole \
                    and not taken_away and product.sku not in again:
                # a lone closing word ("vidange", "filter") does not name a product, unless the product
                # was named for sure before ("10 x Evolve2 USB-C headsets … make the headsets 12")
                continue
            if entry.tokens and entry.tokens <= region.repaired:
                continue  # only rewritten words point at it: too thin
            weight = self.weight
            entry.evidence = sum(weight(k) for k in entry.keys)
            if any(product.unit in unit_classes(region.tokens[t].norm) for t in said_units):
                entry.evidence += 0.5  # "2 bidons de 5W40", "2 drums of 5W30": the one sold that way
            if any(_converts(region.tokens, t, product) for t in said_measures):
                entry.evidence += 0.5  # "10 tonnes de sable": the one sold by the tonne bag
            best, full, full_weight = 0.0, False, 0.0
            said_keys = entry.keys | entry.unit_keys
            figures = self.measures_by_figure[product.sku]
            for key in entry.keys:
                if key[0] == "n" and key[2:] in figures:
                    said_keys = said_keys | figures[key[2:]]  # "dark 70" says all of "dark 70 %"
            for phrasing, total in self.phrasing_weights[product.sku]:
                said = sum(weight(k) for k in phrasing & said_keys)
                best = max(best, said / total)
                if said / total >= FULL:
                    full, full_weight = True, max(full_weight, total)
            entry.coverage, entry.full, entry.full_weight = best, full, full_weight
            if best < COVER_MENTION:
                continue
            # a bare figure that is one of its measures ("consoles 550" of the 550 mm ones) says as much
            led = bool(entry.keys & product.lead)
            strong = [k for k in entry.keys if k[0] in "wcsdmbz" or (led and k[0] == "n" and k[2:] in figures)]
            if len(strong) == 1 and best < FULL and not entry.keys & {k for k in product.lead if k[0] in "cd"} \
                    and not by_measure and product.sku not in region.known and not (entry.keys & {product.noun}
                                                                 and (region.figure or region.listed
                                                                      or region.removing)) \
                    and not sole and not taken_away:
                # one generic word ("workshop", "building") is not a product named; "6 tensiomètres" is,
                # and so is "sauf le MacBook": a word only one product has, in a clause that takes it away
                continue
            if not entry.keys & product.lead and not by_measure and not sole and not taken_away \
                    and product.sku not in again \
                    and not ((len(strong) >= 3 and best >= COVER_CERTAIN)
                                                       or (len(strong) >= 2 and best >= 0.8)
                                                       or any(k[0] in "cdz" for k in entry.keys)
                                                       or (any(k[0] == "m" for k in entry.keys)
                                                           and not region.qualifying)):
                if shadows is not None:
                    shadows.append(entry)
                continue  # "light grey": closing words only, and few of them
            if _proper_names_only(entry, region) and not taken_away:
                continue  # "KW Electrical", "Clinique des Tilleuls": a name, not a product
            slots = self.slots[product.sku]
            entry.conflict = sum(weight(k) or 1.0 for k in region_keys - product.vocab
                                 if (s := slot(k)) is not None and s in slots)
            # "sans soupape" said, "avec soupape" named: what the buyer does not want
            entry.conflict += sum(weight("w:" + k[2:]) for k in region_keys if k[0] == "x" and "w:" + k[2:] in product.vocab)
            out.append(entry)
        _unit_said_against(out, region.tokens, said_units)
        out.sort(key=lambda s: (-round(s.score, 9), -round(s.coverage, 9), s.product.sku))  # (a tie, to the last bit, stays one)
        return out

    def _figure_as_named(self, entry: Scored, tokens: list[Token], t: int, anchored: set[int]) -> bool:
        """The figure is followed as in the product's own words ("8 Go", "25 kg"), or not by the
        product's words at all: then it may be the product's figure rather than a count."""
        after = tokens[t + 1] if t + 1 < len(tokens) else None
        if after is None or after.kind != "word" or t + 1 not in anchored:
            return True
        return f"b:{tokens[t].norm}|{after.norm}" in entry.product.vocab

    def _only_one_says(self, entry: Scored, key: str) -> bool:
        return key[0] == "w" and len(key) > 5 and len(self.index.postings.get(key, ())) == 1

    def _sole_noun(self, entry: Scored, region: Region) -> bool:
        """'4 goggles' of the one "safety goggles": the noun an alias ends with, counted, and
        no other product named by it."""
        (key,) = entry.keys
        if not (region.figure and key[0] == "w" and key[2:] in entry.product.items
                and len(self.index.head_postings.get(key, ())) == 1):
            return False
        # right after the count or its unit ("4 goggles", "4 pairs of goggles"), not after a
        # noun of its own ("12 blocs sanitaires")
        tokens = region.tokens
        for t in entry.tokens:
            j = t - 1
            if j >= 0 and tokens[j].norm in ("de", "d", "of", "'"):
                j -= 1
            if j >= 0 and (tokens[j].kind == "num" or j in region.unit_words) \
                    and not any(tokens[k].line_break for k in range(j + 1, t + 1)):
                return True  # (on its line: "40\n\nDelivery to Hangar 3" counts no delivery box)
        return False

    def _prune(self, entry: Scored, by_key: dict[str, list[Feature]], region: Region,
               synthetic: set[str] = frozenset()) -> None:
        """Numbers count only beside the product's other words; unit words only as its head."""
        tokens = region.tokens
        anchored = {t for k in entry.keys if k[0] not in "nb" and k not in synthetic for f in by_key[k] for t in f.tokens}
        anchored -= region.unit_words
        keep_keys, keep_tokens = set(), set()
        counted: set[int] = set()
        for key in entry.keys:
            spans = by_key[key]
            # "4 fûts de blanche" of a keg whose name opens with "Fût": how many, and what it is
            opens_as_sold = key == entry.product.noun and key[2:] not in ANY_GOODS \
                and entry.product.unit in unit_classes(key[2:])
            # "200 cartons de déménagement" of a "carton de déménagement": the count word and what
            # follows it say one of the product's names in full, so it is what is counted
            opens_as_sold = opens_as_sold or (key == entry.product.noun and any(
                key in phrasing and len(phrasing) >= 2 and phrasing <= entry.keys
                and _said_right_after(by_key, key, phrasing - {key}, region)
                for phrasing in entry.product.phrasings))
            if key[0] == "w" and all(f.tokens and set(f.tokens) <= region.unit_words for f in spans) \
                    and not opens_as_sold and (
                    key not in entry.product.heads or entry.product.unit in unit_classes(key[2:])
                    or (all(_unit_of(tokens, f.tokens[0]) for f in spans) and len(entry.keys & entry.product.heads) > 1)):
                if entry.product.unit in unit_classes(key[2:]):
                    entry.unit_keys.add(key)
                continue  # "2 jeux de plaquettes", "3 cartons of bags": how many, not which
            after_only = (key[0] == "n" and not region.figures_elsewhere) or key in synthetic
            if (key[0] in "nb" or key in synthetic) and not any(not f.tokens or _beside(tokens, f.tokens, anchored, after_only=after_only)
                                          for f in spans):
                continue  # "1 coffret" is one coffret, not the 1-row one; "125 diamond blades? need 5" is the 125
            if key[0] == "n" and anchored and key not in synthetic and any(k[0] in "cs" for k in entry.keys):
                # "8 ThinkPad E14 Gen 5" of an "… 8 Go" laptop: before a product named by its model code,
                # a figure not followed as in its name is how many ("125 diamond blades" stays the 125)
                before = {f.tokens[-1] for f in spans if f.tokens and max(f.tokens) < min(anchored)
                          and not self._figure_as_named(entry, tokens, f.tokens[-1], anchored)}
                counted |= before
                if all(f.tokens and f.tokens[-1] in before for f in spans):
                    continue
            keep_keys.add(key)
        # a word far from the product's other words, across a colon, heads something else
        # ("Petite correction : pas 30 sacs de T55" is no "petit sac T55")
        # (chained from its codes and sizes, else from its weightiest word: a head can be an
        # alias's adjective too)
        words = {k for k in keep_keys if k[0] == "w"}
        seed = None if keep_keys - words else max(words, key=lambda k: (self.weight(k), k), default=None)
        loose = words - {seed}
        cluster = {t for k in keep_keys - loose for f in by_key[k] for t in f.tokens}
        if cluster and loose:
            reached = True
            while reached and loose:
                reached = False
                for key in list(loose):
                    if any(abs(t - c) <= NEAR or not _colon_between(tokens, t, c)
                           for f in by_key[key] for t in f.tokens for c in cluster):
                        cluster.update(t for f in by_key[key] for t in f.tokens)
                        loose.discard(key)
                        reached = True
            keep_keys -= loose
        for key in keep_keys:
            for f in _said_at(key, keep_keys, by_key):
                keep_tokens.update(f.tokens)
        entry.keys, entry.tokens = keep_keys, keep_tokens - counted

    def best(self, feats: list[Feature], region: Region, exclude: frozenset[str] = frozenset()
             ) -> tuple[list[Scored], bool] | None:
        """The top candidates of a region and whether the first of them is certain."""
        shadows: list[Scored] = []
        ranked = self.candidates(feats, region, exclude, shadows)
        if not ranked:
            return None
        top = ranked[0]
        alone = len(ranked) == 1 or ranked[1].score < top.score - TIE
        if alone and product_noun_unsaid(top) and (rivals := [s for s in shadows if s.keys >= top.keys
                                                    and s.evidence >= top.score - TIE]):
            # "2 lave-oeil" of an eyewash bottle and an eyewash station, "hard hats" of a "hard hat
            # sign" and of white, yellow... hard hats: neither is named by what it is
            return [top, *sorted(rivals, key=lambda r: r.product.sku)], False
        tied = [s for s in ranked if s.score >= top.score - TIE]
        if len(tied) > 1:
            default = self._default_variant(tied)
            if default is not None:
                return [default], default.coverage >= COVER_CERTAIN
            return tied, False
        if len(ranked) > 1 and top.score - self._order_only(top, ranked[1]) < ranked[1].score + TIE:
            # "plaquettes 208" of front and rear pads: only one alias's word order tells them
            # apart, and the buyer did not say which; the question names both
            return [top, ranked[1]], False
        second = ranked[1].score if len(ranked) > 1 else 0.0
        # named by most of a phrasing, or by an attribute that only it has (Ø280, P320, 95 Ah)
        clear = top.coverage >= COVER_CERTAIN or (top.score - second >= 2.0 and top.coverage >= COVER_MENTION)
        certain = clear and (top.conflict == 0 or top.full)
        return [top], certain


    def _order_only(self, top: Scored, rival: Scored) -> float:
        """What the top candidate owes to word pairs of its aliases (not of its name) whose words
        the rival has too: an alias's word order is incidental, the name's is how the trade says it."""
        vocab = rival.product.vocab
        name = top.product.phrasings[0] if top.product.phrasings else frozenset()
        return sum(self.weight(k) for k in top.keys - rival.keys - name if k[0] == "b" and all(
            f"w:{part}" in vocab or f"n:{part}" in vocab for part in k[2:].split("|")))

    def _default_variant(self, tied: list[Scored]) -> Scored | None:
        """Among equals, the one named in full by its richest phrasing ("BA13 2m50", "H7 bulb").

        Not when the others differ from it by a size said in their names (10 L or 3 L pots,
        a 5 L or a 20 L can): then "blanc mat" alone is a question, whatever an alias says."""
        full = sorted((s for s in tied if s.full and s.conflict == 0), key=lambda s: -s.full_weight)
        if not full:
            return None
        best = full[0]
        if len(full) > 1 and full[1].full_weight >= best.full_weight - TIE:
            return None
        if any(phrasing == best.keys for phrasing in best.product.phrasings[1:]) \
                and not any(best.keys in other.product.phrasings for other in tied if other is not best):
            return best  # said exactly as one of its aliases, and of no other's: the catalog names it so
        mine = self.name_slots[best.product.sku]
        for other in tied:
            if other is best:
                continue
            theirs = self.name_slots[other.product.sku]
            if any(slot_ in mine and not mine[slot_] & values for slot_, values in theirs.items()):
                return None
        return best


# a carton, a crate or a pallet holds anything; a keg, a can or a roll is how one product is sold
ANY_GOODS = frozenset({"carton", "caisse", "case", "colis", "ctn", "cs", "palette", "pallet", "pal", "casier", "crate",
                       "cartons"})
CONTAINERS_OF_ITEMS = frozenset({"boite", "paquet", "sachet", "sac", "lot"})  # said for one another


def _unit_said_against(scored: list[Scored], tokens: list[Token], said_units: set[int]) -> None:
    """'1 fût de blanche' of a keg and of a bottled beer: the count word is the keg's sale unit
    and no way to count bottles; when a rival is sold that way, the others are contradicted.
    Only a count word said with the product, on its line."""
    if len(scored) < 2 or not said_units:
        return
    named = set().union(*(s.tokens for s in scored))
    if not named:
        return
    first, last = min(named), max(named)
    words = {tokens[u].norm for u in said_units if first - 3 <= u <= last + 6
             and not any(tokens[k].line_break for k in range(min(u, first) + 1, max(u, last) + 1))}
    words = {w for w in words if w not in ANY_GOODS and unit_classes(w)}
    if not words:
        return

    def sold_so(product: Product) -> bool:
        return any(product.unit in unit_classes(w) or w in product.packs
                   or (product.unit in CONTAINERS_OF_ITEMS and unit_classes(w) & CONTAINERS_OF_ITEMS)
                   for w in words) or product.unit in ("litre", "kg", "metre")

    if not any(sold_so(s.product) and s.product.unit not in ("litre", "kg", "metre") for s in scored):
        return
    for s in scored:
        if not sold_so(s.product):
            s.conflict += 1.0


def product_noun_unsaid(scored: Scored) -> bool:
    """The mention does not say what the product is (the noun its name opens with)."""
    return bool(scored.product.noun) and scored.product.noun not in scored.keys


def _is_the_thing(index: CatalogIndex, tokens: list[Token], mention: Mention) -> bool:
    """'6 wheelbarrows and 20 buckets' of a bucket sold by the piece: in a list, the count word is
    the product itself, not how another one is packed (a product sold by the bidon is counted in
    bidons; a carton is how anything comes)."""
    if not mention.certain or len(mention.skus) != 1:
        return False
    product = index.products[mention.skus[0]]
    words = [tokens[t].norm for t in mention.tokens if tokens[t].kind == "word"]
    return bool(words) and all(product.unit not in unit_classes(w) and f"w:{w}" in product.heads
                               and w not in PACKAGING for w in words)  # "3 cartons" stays a count


def _said_at(key: str, keys: set[str], by_key: dict[str, list[Feature]]) -> list[Feature]:
    """Where a matched feature was said. A figure said twice ("3 vestes classe 3") is the
    product's at the place where it is paired with the product's word or its size word; the other
    one counts."""
    said_at = by_key[key]
    if key[0] == "n" and len(said_at) > 1:
        paired = {t for k in keys if k[0] in "bz" for f in by_key[k] for t in f.tokens}
        if any(f.tokens[0] in paired for f in said_at):
            return [f for f in said_at if f.tokens[0] in paired]
    return said_at


def _discounted(tokens: list[Token], i: int) -> bool:
    """'remise de 20 %', '15 % off': a rate of the price, not an attribute of the product."""
    near = {tokens[j].norm for j in range(max(0, i - 3), min(len(tokens), i + 4)) if tokens[j].kind == "word"}
    return bool(near & {"remise", "discount", "rabais", "reduction", "off", "escompte", "ristourne"})


def _colon_between(tokens: list[Token], a: int, b: int) -> bool:
    low, high = min(a, b), max(a, b)
    return any(tokens[t].raw in (":", ";") for t in range(low + 1, high))


def _proper_names_only(entry: Scored, region: Region) -> bool:
    # words rewritten to a catalog word do not vouch for it ("I'm an electrician (KW Electrical)")
    words = [t for t in entry.tokens if region.tokens[t].kind == "word" and t not in region.repaired]
    if not words or any(k[0] in "cdmz" for k in entry.keys) or region.figure:
        return False
    return all(region.tokens[t].raw[:1].isupper() and region.tokens[t].raw[1:].islower() and t > 0
               and region.tokens[t - 1].kind == "word" for t in words)


def _converts(tokens: list[Token], i: int, product: Product) -> bool:
    """A measure said as an amount that makes a whole number of the product's sale units."""
    from intents.normalize import MEASURE_UNITS

    unit = tokens[i + 1].norm if i + 1 < len(tokens) else ""
    if unit not in MEASURE_UNITS:
        return False
    dimension, factor = MEASURE_UNITS[unit]
    per = product.content.get(dimension)
    if not per:
        return False
    ratio = float(tokens[i].norm) * factor / per
    return ratio >= 1 and abs(ratio - round(ratio)) < 1e-6


def _unit_of(tokens: list[Token], i: int) -> bool:
    """'2 cartons de cartons DASRI', '3 cartons of yellow bags': the word is followed by what it holds."""
    return i + 1 < len(tokens) and tokens[i + 1].norm in ("de", "d", "of")


def _bare_attribute(tokens: list[Token], t: int) -> bool:
    """A figure that may be a measure said without its unit: not a count of something ("200
    pièces", "x 6 bte"), and said right after a word ("Falcon 15", "éthanol 70")."""
    before = tokens[t - 1] if t else None
    after = tokens[t + 1] if t + 1 < len(tokens) else None
    if before is None or before.kind != "word" or before.norm in ("x", "×", "de", "d", "of", "pour", "for") \
            or before.norm in COUNT_UNITS or before.norm in PACKAGING:
        # "grade 1 en 90"; "BA13 de 2,50 et …": after a product's word, at the end of what is said of it
        ends = after is None or after.kind != "word" or after.norm in STOP
        return before is not None and (before.norm in ("en", "in") or (before.norm in ("de", "of") and ends)) \
            and t >= 2 and tokens[t - 2].kind in ("word", "num") \
            and tokens[t - 2].norm not in COUNT_UNITS and tokens[t - 2].norm not in PACKAGING
    if after is not None and after.kind == "word" and (after.norm in COUNT_UNITS or after.norm in PACKAGING
                                                        or after.norm in ("x", "×")):
        return False
    return "." not in tokens[t].norm or after is None or after.kind != "word"


def _beside(tokens: list[Token], span: tuple[int, ...], anchored: set[int], *, after_only: bool = False) -> bool:
    """A number (or word-number pair) next to the product's other words, with no separator between.

    With `after_only`, a lone number counts only after them ("batteries 95"): before them it
    is how many ("1 coffret")."""
    for t in span:
        if t in anchored:
            return True
        for step in ((-1,) if after_only else (-1, 1)):
            k = t + step
            for _ in range(2):
                if not 0 <= k < len(tokens):
                    break
                tok = tokens[k]
                if k in anchored:
                    return True
                if (tok.kind == "sym" and tok.raw in SEPARATORS) or tok.kind == "num":
                    break
                if step == 1 and tok.kind == "word" and k in anchored and tokens[t - 1].norm in ("x", "×"):
                    return True
                if tok.kind == "word" and tok.norm not in ("de", "d", "of", "en", "a", "taille", "size", "pour", "for",
                                                           "in"):
                    break  # "tyres but 16 instead of 20": another word between, another thing
                k += step
    return False


def link(index: CatalogIndex, linker: Linker, seg: Segmented, feats: list[Feature], roles: dict[int, str],
         *, repaired: set[int], masked: set[int]) -> list[Mention]:
    """Product mentions of a segmented message, in reading order."""
    tokens = seg.tokens
    by_clause: list[list[Feature]] = [[] for _ in seg.clauses]
    clause_of = {}
    for ci, clause in enumerate(seg.clauses):
        for t in clause.span:
            clause_of[t] = ci
    for f in feats:
        owners = {clause_of.get(t) for t in f.tokens}
        if len(owners) == 1 and None not in owners:
            by_clause[owners.pop()].append(f)
    region = Region(tokens, roles, repaired, quantity_measures(tokens, roles, index.words), unit_words(tokens, roles, masked),
                    feats)
    mentions: list[Mention] = []
    current: list[int] = []  # clauses of the current region (same row)
    current_mentions: list[Mention] = []
    anchor: Mention | None = None  # the last product named, for ellipses
    previous_clause: int | None = None
    known: set[str] = set()  # products already named for sure: a lone word may name them again
    figures_by_paragraph: dict[int, int] = defaultdict(int)
    for c in seg.clauses:
        figures_by_paragraph[c.paragraph] += sum(1 for t in c.span if tokens[t].kind == "num" and t not in masked
                                                 and roles.get(t) not in (CODE, DIM, MEASURE))
    for ci, clause in enumerate(seg.clauses):
        if previous_clause is not None and previous_clause != ci - 1:
            previous_clause = None
        previous_clause = ci - 1 if ci else None
        if anchor is not None and seg.clauses[anchor.clauses[-1]].paragraph != clause.paragraph:
            anchor = None
        region.known = known
        region.figure = _has_figure(tokens, clause, roles, masked)
        region.listed = bool(mentions) and clause.opener in ("+", "et", "and", ",") and \
            seg.clauses[mentions[-1].clauses[-1]].sentence == clause.sentence
        region.figures_elsewhere = figures_by_paragraph.get(clause.paragraph, 0) > 1
        region.qualifying = bool(current_mentions) and bool(current) and seg.clauses[current[-1]].row == clause.row
        said_here = _clause_words(seg, ci)
        said_before = _clause_words(seg, ci - 1) if ci and seg.clauses[ci - 1].sentence == clause.sentence else ""
        region.correcting = bool(RESTATING.search(said_here) or RESTATING.search(said_before))
        region.removing = bool(REMOVAL.search(said_here))
        elided = _elided_count(tokens, clause)
        if elided is not None:
            by_clause[ci].append(elided)
        coded = _sku_mentions(index, tokens, clause, ci, by_clause[ci], region, recent=mentions)
        if len(coded) == 1 and anchor is not None and anchor in mentions and current \
                and seg.clauses[current[-1]].row == clause.row and clause.opener in ("(", ",", "–", "-", ":", "/") \
                and coded[0].skus[0] in anchor.skus and not _has_figure(tokens, clause, roles, masked):
            # "1,000 x 15 ml conical tubes (FAL-15-S50)": the code says again which product, not another line
            anchor.skus, anchor.certain = coded[0].skus, True
            anchor.clauses = (*anchor.clauses, ci)
            anchor.tokens = anchor.tokens | coded[0].tokens
            current.append(ci)
            continue
        if not coded and clause.kind == "table" and anchor is not None and anchor in mentions and anchor.via_code \
                and anchor.certain and seg.clauses[anchor.clauses[-1]].row == clause.row:
            # "CRT-20-50   Cryovials 2 ml, bag of 50      10": the rest of a table row describes its code's product
            anchor.clauses = (*anchor.clauses, ci)
            current.append(ci)
            continue
        used = set().union(*(m.tokens for m in coded)) if coded else set()
        clause_feats = [f for f in by_clause[ci] if not set(f.tokens) & used]
        # a SKU absorbs its clause: the words around it describe it ("FI-HU-GOLF7  oil filter Golf 7")
        found = coded or _link_region(linker, tokens, clause_feats, (ci,), region)
        figure = _has_figure(tokens, clause, roles, masked)
        same_row = bool(current) and seg.clauses[current[-1]].row == clause.row
        if found and not coded and anchor is not None and all(
                m.tokens <= region.unit_words | {t for t in m.tokens if tokens[t].kind == "num"}
                and m.tokens & region.unit_words and not (region.listed and _is_the_thing(index, tokens, m))
                for m in found):
            # "3 cartons de 4 bidons de 5 L" after "du lave-glace hiver": a variant, not a bidon
            elliptic = _elliptic(linker, tokens, anchor, clause_feats, ci, region)
            if elliptic is not None or all(m.skus == anchor.skus for m in found) or \
                    seg.clauses[anchor.clauses[-1]].paragraph == clause.paragraph:
                found = []  # "… DASRI boxes? Harbourside wants 3 cartons", "i.e. 2 cartons": a count, not a carton
        if not coded and anchor is not None and anchor.certain and same_row and anchor in mentions \
                and (clause.opener == "(" or (clause.opener in (",", "–", "-", ")") and not any(
                    _has_figure(tokens, seg.clauses[c], roles, masked) for c in anchor.clauses))) \
                and _restates(index.products[anchor.skus[0]], clause_feats):
            # "6 colis de papier toilette 2 plis (les colis de 96 rlx)", "racked tips (200 µL)": said again;
            # "5W30 C3 engine oil, 5 L cans – 10": the product's own can, counted now
            current.append(ci)
            continue
        if found and not coded and anchor is not None and _anaphoric(tokens, clause):
            found = []  # "il m'en faut 15 panneaux", "we need 1,000 of them": the product said before
        same = _says_same(tokens, clause)
        if same and anchor is not None and anchor.certain and not coded and (not found or not found[0].certain) \
                and seg.clauses[anchor.clauses[-1]].sentence == clause.sentence:
            # "4 x 205/55 R16 summer and 4 x all-season in the same size": the attributes said before
            sharper = _elliptic(linker, tokens, anchor, clause_feats, ci, region, keep_anchor=True)
            if sharper is not None and (not found or sharper.skus[0] in found[0].skus):
                found = [sharper]
        if not found:
            if anchor is not None and anchor.skus and (figure or clause.opener in ("et", "and", ",", "+")
                                                      or _starts_with(tokens, clause, ("et", "and", "also", "aussi"))):
                elliptic = _elliptic(linker, tokens, anchor, clause_feats, ci, region)
                if elliptic is not None and not anchor.certain and elliptic.skus[0] in anchor.skus \
                        and anchor in mentions and not _free_figures(tokens, clause, roles, masked, elliptic):
                    # "10 boxes of 3-way (the ones in 50s)": the clause says which one, and no count of its own
                    # (what it says is the product's: "2 disques (125 et 230)" has the 230 said after it)
                    anchor.skus, anchor.certain = elliptic.skus, True
                    anchor.clauses = (*anchor.clauses, ci)
                    anchor.tokens = anchor.tokens | elliptic.tokens
                    continue
                if elliptic is not None and anchor in mentions and len(anchor.clauses) > 1 \
                        and seg.clauses[anchor.clauses[-1]].opener in ("(", ",") and ci == anchor.clauses[-1] + 1 \
                        and clause.opener in ("et", "and", "&", "/") \
                        and not _free_figures(tokens, clause, roles, masked, elliptic):
                    anchor.shared = elliptic.shared = True  # "6 boxes of gloves (size M and L)": how many each?
                if elliptic is not None:
                    if not anchor.certain and elliptic.skus[0] in anchor.skus and anchor in mentions \
                            and not _has_figure(tokens, seg.clauses[anchor.clauses[0]], roles, masked):
                        anchor.removed = True  # "du lave-glace hiver, 3 cartons de 5 L et 1 bidon de 20 L"
                        anchor.absorbed = True
                    mentions.append(elliptic)
                    current, current_mentions = [ci], [elliptic]
                    anchor = elliptic  # "… 2 cartons noirs et 1 carton bleus": the next ellipsis starts from it
                    if elliptic.certain:
                        known.add(elliptic.skus[0])  # "1 carton de 16A… non, mettez 2 cartons de 16A": said again
                    continue
            if not current and previous_clause is not None and seg.clauses[previous_clause].row == clause.row \
                    and clause.opener in ("(", ",", "–"):
                current = [previous_clause]  # "need 2 boxes of microperfs (23g)": the clause before, named now
                same_row = True
            if same_row and clause.opener != "." and not (figure and clause.opener in ("et", "and", "+")) \
                    and seg.clauses[current[-1]].sentence == clause.sentence:
                # "des gants nitrile, taille L": a clause that names nothing qualifies the one before
                current.append(ci)
                current_mentions = _relink(linker, tokens, by_clause, current, current_mentions, mentions, region)
                if current_mentions:
                    anchor = current_mentions[-1]
                continue
            unknown = _unknown_item(index, tokens, seg, clause, ci, roles, masked, region,
                                    any(seg.clauses[m.clauses[-1]].sentence == clause.sentence for m in mentions))
            if unknown is not None:
                mentions.append(unknown)
                current, current_mentions = [ci], [unknown]
            continue
        if same_row and not figure and clause.opener in (",", "(", "–") and current_mentions \
                and not any(m.via_code for m in found):
            # "a dozen 60 Ah batteries, the EFB start-stop ones": one product said in two clauses
            trial = _link_region(linker, tokens, [f for c in [*current, ci] for f in by_clause[c]],
                                 tuple([*current, ci]), region)
            if len(trial) == 1 and trial[0].certain and len(current_mentions) == 1 \
                    and not current_mentions[0].certain:
                for m in current_mentions:
                    mentions.remove(m)
                current.append(ci)
                current_mentions = trial
                mentions.extend(trial)
                anchor = trial[-1]
                continue
        current, current_mentions = [ci], found
        mentions.extend(found)
        anchor = found[-1]
        known.update(m.skus[0] for m in found if m.certain)
    mentions = _packed_as_said(seg.tokens, mentions, roles)
    for m in mentions:
        m.text = _text(seg, m)
    return mentions


_PACKED_IN = frozenset({"en", "in", "par", "by"})


def _packed_as_said(tokens: list[Token], mentions: list[Mention], roles: dict[int, str]) -> list[Mention]:
    """'œufs entiers liquides : 150 L en poches de 5 L': the container said after an unsure product
    tells which one it is; one line, not two."""
    gone: set[int] = set()
    for m in mentions:
        if not m.certain or len(m.skus) != 1 or m.via_code or not m.tokens:
            continue
        for u in mentions:
            if u is m or u.certain or id(u) in gone or m.skus[0] not in u.skus or not u.tokens \
                    or max(u.tokens) >= min(m.tokens) or not set(u.clauses) & set(m.clauses):
                continue
            gap = range(max(u.tokens) + 1, min(m.tokens))
            words = [tokens[t] for t in gap if tokens[t].kind == "word" and roles.get(t - 1) != MEASURE]
            if words and words[-1].norm in _PACKED_IN and all(w.norm in _PACKED_IN for w in words) \
                    and not any(tokens[t].line_break for t in gap):
                u.skus, u.certain = m.skus, True
                u.tokens = u.tokens | m.tokens
                u.attributes = u.attributes | m.attributes
                u.clauses = tuple(sorted(set(u.clauses) | set(m.clauses)))
                gone.add(id(m))
                break
    return [m for m in mentions if id(m) not in gone]


SAME = re.compile(r"\b(?:same|m[eê]me|pareil|idem|identique)\b", re.I)


def _clause_words(seg: Segmented, ci: int) -> str:
    clause = seg.clauses[ci]
    return seg.text[seg.tokens[clause.start].start:seg.tokens[clause.end - 1].end] if clause.end > clause.start else ""


def _says_same(tokens: list[Token], clause: Clause) -> bool:
    return any(tokens[t].kind == "word" and SAME.fullmatch(tokens[t].raw.lower()) for t in clause.span)


def _starts_with(tokens: list[Token], clause: Clause, words: tuple[str, ...]) -> bool:
    return clause.start < clause.end and tokens[clause.start].kind == "word" and tokens[clause.start].norm in words


ANAPHORA = frozenset({"en", "them", "ones", "one", "it", "those", "these", "ceux", "celles", "les"})


def _anaphoric(tokens: list[Token], clause: Clause) -> bool:
    """A clause that counts the product said before: "il m'en faut 3", "we need 1,000 of them"."""
    words = [tokens[t] for t in clause.span if tokens[t].kind == "word"]
    for a, b in itertools.pairwise(words):
        if a.norm == "en" and b.norm in ("faut", "faudrait", "voudrais", "voudrait", "veux", "prends", "prendrais",
                                         "prendre", "aurons", "aurais", "faudra", "veulent", "commande"):
            return True
        if a.norm in ("of", "des") and b.norm in ("them", "ceux", "celles"):
            return True
    # "we'd need one quickly", "we'll take 3": a count with nothing after it but an adverb
    span = [tokens[t] for t in clause.span]
    for i, t in enumerate(span[:-1]):
        if t.kind == "word" and t.norm in ("need", "want", "take", "order") and (
                span[i + 1].kind == "num" or span[i + 1].norm in ("one", "two", "three", "four", "five")):
            after = span[i + 2] if i + 2 < len(span) else None
            if after is None or after.kind == "sym" or (after.kind == "word" and after.raw.lower().endswith("ly")):
                return True
    return False


def _unknown_item(index: CatalogIndex, tokens: list[Token], seg: Segmented, clause: Clause, ci: int,
                  roles: dict[int, str], masked: set[int], region: Region, after_product: bool) -> Mention | None:
    """'- 3 vernis HS 5 L', '... et 4 truelles langue de chat': a figure and a thing we do not sell.

    Only in a list, a table, or a run of products: elsewhere a figure and a noun ('une flotte
    de 80 véhicules') are the writer's context, not a line."""
    listed = clause.kind in ("bullet", "table") or (after_product and clause.opener in ("et", "and", ",", "+"))
    if not listed or not _has_figure(tokens, clause, roles, masked):
        return None
    if any(tokens[t].norm in ("total", "soit", "tout", "overall", "altogether") for t in clause.span):
        return None  # "so 40 bags and 6 packs in total": said again, not more
    figure_at = next((t for t in clause.span if _counts(tokens, t, roles, masked)), None)
    if figure_at is None:
        return None
    words = [t for t in clause.span if t > figure_at and tokens[t].kind == "word" and tokens[t].norm not in STOP
             and len(tokens[t].norm) >= 3 and tokens[t].norm.isalpha() and tokens[t].norm not in COUNT_UNITS
             and tokens[t].norm not in PACKAGING]
    figures = [t for t in clause.span if tokens[t].kind == "num" and t not in masked and t > figure_at]
    if not words and clause.kind in ("bullet", "table"):
        # "3. Stapler – 1", "Stapler | 1": the thing is named before its count, in the same row
        words = [t for c in seg.clauses if c.row == clause.row for t in c.span if t < figure_at
                 and tokens[t].kind == "word" and tokens[t].norm not in STOP and len(tokens[t].norm) >= 3
                 and tokens[t].norm.isalpha() and tokens[t].norm not in COUNT_UNITS
                 and tokens[t].norm not in PACKAGING]
        if not words or any(tokens[t].norm in index.words for t in words):
            return None
        # "2 balais 700": a product word with a size nobody sells
        return Mention((), False, frozenset(words + figures), (ci,))
    if not words or (any(tokens[t].norm in index.words for t in words[:1]) and len(words) < 2):
        return None
    unknown = [t for t in words if tokens[t].norm not in index.words]
    if not unknown:
        return _loose(index, tokens, words, ci)
    return Mention((), False, frozenset(unknown), (ci,))


def _loose(index: CatalogIndex, tokens: list[Token], words: list[int], ci: int) -> Mention | None:
    """'… and 100 large gloves': catalog words that name no product clearly, in a list of
    lines. Not dropped: a question naming the products that share most of those words, among
    those one of whose heads is said."""
    said = {f"w:{tokens[t].norm}" for t in words}
    shared: dict[str, int] = {}
    for key in said:
        for sku in index.postings.get(key, ()):
            shared[sku] = shared.get(sku, 0) + 1
    named = {sku: n for sku, n in shared.items() if said & index.products[sku].heads}
    if not named:
        return None
    top = max(named.values())
    best = sorted(sku for sku, n in named.items() if n == top)
    if len(best) > 6:
        return None  # too vague to offer a choice
    return Mention(tuple(best), False, frozenset(words), (ci,))


def _relink(linker: Linker, tokens: list[Token], by_clause: list[list[Feature]], current: list[int],
            current_mentions: list[Mention], mentions: list[Mention], region: Region) -> list[Mention]:
    merged = [f for c in current for f in by_clause[c]]
    # a SKU, or a variant read against the product before it, is not re-read from the words
    codes = [m for m in current_mentions if m.via_code or m.elliptic]
    used = set().union(*(m.tokens for m in codes)) if codes else set()
    relinked = _link_region(linker, tokens, [f for f in merged if not set(f.tokens) & used], tuple(current), region)
    if codes:  # "10 clés USB 32 Go, soit 2 cartons": the unit counted, not a carton we sell
        relinked = [m for m in relinked if not m.tokens <= region.unit_words]
    if not relinked and not codes:
        return current_mentions
    for m in current_mentions:
        mentions.remove(m)
    for m in codes:
        m.clauses = tuple(current)
    fresh = codes + relinked
    mentions.extend(fresh)
    return fresh


def _elliptic(linker: Linker, tokens: list[Token], anchor: Mention, feats: list[Feature], ci: int,
              region: Region, *, keep_anchor: bool = False) -> Mention | None:
    """'… taille L et 200 en taille M', '300 m de fil 2,5 bleu, 300 m rouge': the variant named alone.

    Among the products that have what the clause says, the one that shares most with the
    product said before (its type, its size) is meant; it is certain only when it clearly
    shares more than the next one. With `keep_anchor` ("… and 4 x all-season in the same
    size"), the product said before may be meant itself."""
    index = linker.index
    own = [f for f in feats if f.key[0] in "wcsdmbnzk" and not set(f.tokens) <= region.unit_words
           and f.key in index.postings and not (f.key[0] == "w" and len(f.key) <= 3
                                                and not _after_size_word(tokens, f.tokens[0]))]
    if not own:
        return None
    before = {f.key for f in region.feats if set(f.tokens) & anchor.tokens} | {f"w:{w}" for w in anchor.borrowed}
    # the anchor's names (a few: an uncertain anchor in a large catalog may have hundreds)
    names = [index.products[s].phrasings[0] for s in anchor.skus[:8] if index.products[s].phrasings]
    own_keys = {f.key for f in own}
    telling = {k for k in own_keys if k[0] in "wmdcz" and not _count_word(k)}
    if anchor.certain and not keep_anchor and len(anchor.skus) == 1 and telling \
            and telling <= index.products[anchor.skus[0]].vocab and (any(k[0] in "mdcz" for k in telling)
                                                                  or telling <= before):
        # "film 23 µ, 500 mm": the product said before, described further, not another one;
        # "1000 µl tips in bulk – 10,000 tips": its own words again, counted
        return None
    scored = []
    anchor_numbers = index.products[anchor.skus[0]].plain_numbers if anchor.certain else frozenset()
    # the figures said of the product before, bare or with their unit ("Chocolat 70% : 3 sacs\n55 : 2 sacs")
    # (with its unit only in a list, the figure opening its own line: not "the 70 won't work")
    by_figure = {f.key: f.tokens for f in own if f.key[0] == "n"}
    before_figures = {b for b in before if b[0] == "n"}
    if any(f.key[0] == "n" and tokens[f.tokens[0]].line_break for f in own):
        before_figures |= {"n:" + b.rsplit(":", 1)[1] for b in before if b[0] == "m"}
    anchor_noun = index.products[anchor.skus[0]].noun if anchor.certain else None
    # figures that count nothing ("2 of the 2022", not "50 pièces")
    uncounted = {f.key for f in own if f.key[0] == "n" and all(
        t + 1 >= len(tokens) or tokens[t + 1].kind != "word" or not unit_classes(tokens[t + 1].norm) for t in f.tokens)}
    # a variant of the product said before: it has something of what the clause says and
    # something of that product (set intersections, so that a large catalog stays fast)
    # (or what that product is: "3 bags dark 70, 2 white" of chocolates said in other words than their names)
    having = set().union(*(index.postings.get(k, ()) for k in own_keys))
    pool = having & set().union(*(index.postings.get(k, ()) for k in before))
    if anchor_noun:
        kin = having & set(index.postings.get(anchor_noun, ())) - pool
        anchor_vocab = index.products[anchor.skus[0]].vocab
        start = min(t for f in own for t in f.tokens)
        same_sentence = anchor.tokens and not any(tokens[k].raw in ".?!" or tokens[k].line_break
                                                  for k in range(max(anchor.tokens) + 1, start + 1))
        if same_sentence and telling and not telling & anchor_vocab \
                and any(k[0] == "w" and not _count_word(k) for k in telling):
            pool |= {sku for sku in kin if telling <= index.products[sku].vocab}  # what the anchor is not
    for sku in pool:
        if sku in anchor.skus and anchor.certain and not keep_anchor:
            continue
        product = index.products[sku]
        said = own_keys & product.vocab
        # a bare figure is a variant only when the catalog says it alone and the anchor was unsure
        # ("3 disques diamant (les 230)")
        # or when it replaces the figure said of the product before ("4 cases of the 2023 and 2 of the 2022")
        strong = [k for k in said if k[0] != "n" or (k in product.plain_numbers and (
            (not anchor.certain and sku in anchor.skus) or (anchor.certain and product.noun == anchor_noun
                                                             and k in uncounted and any(
                b not in product.vocab and b in anchor_numbers for b in before_figures)))) or (
            # "des pipettes 25 ml ? et des 10 ?": the figure of another measure than the one said before
            anchor.certain and product.noun == anchor_noun and k in uncounted and _said_alone(tokens, by_figure[k])
            and _other_measure(linker.measures_by_figure[sku].get(k[2:], ()), before, product))]
        if not strong:
            continue
        weight = linker.weight
        mine = sum(weight(k) for k in said)
        own_name = product.phrasings[0] if product.phrasings else frozenset()
        shared = max((sum(weight(k) for k in own_name & name) for name in names), default=0.0)
        conflict = sum(weight(k) for k in own_keys - product.vocab
                       if (s := slot(k)) is not None and s in linker.slots[sku])
        scored.append((2 * mine + shared - 2 * conflict, mine, sku, said))
    if not scored:
        return None
    scored.sort(reverse=True)
    best = scored[0]
    if len(scored) > 1 and scored[1][0] >= best[0] - 0.5:
        return None
    product = index.products[best[2]]
    if any(k[0] != "n" for k in own_keys - product.vocab if k.startswith(("w:", "c:")) and k in index.postings
           and not _count_word(k)):
        return None  # the clause says something this product is not
    if any((s := slot(k)) is not None and s in linker.slots[best[2]] for k in own_keys - product.vocab):
        return None  # "2 balais 700": a size this product does not come in
    mine_tokens = {t for f in own if f.key in best[3] for t in f.tokens}
    return Mention((best[2],), True, frozenset(mine_tokens), (ci,), evidence=best[0], coverage=1.0, elliptic=True,
                   borrowed=frozenset(k[2:] for k in before & product.vocab if k.startswith("w:")),
                   attributes=frozenset(t for t in mine_tokens if tokens[t].kind == "num"
                                        and t not in region.quantity_measures))


def _after_size_word(tokens: list[Token], i: int) -> bool:
    """'taille M', 'size L', 'en XL', 'nitrile S, M, L': a letter that is a size, said as such."""
    return (i > 0 and tokens[i - 1].norm in ("taille", "size", "en", "in", "t")) or tokens[i].raw.isupper()


def _anchor_words(tokens: list[Token], anchor: Mention) -> list[Feature]:
    return [Feature(f"w:{tokens[t].norm}", (t,)) for t in sorted(anchor.tokens) if tokens[t].kind == "word"]


def _link_region(linker: Linker, tokens: list[Token], feats: list[Feature], clauses: tuple[int, ...],
                 region: Region) -> list[Mention]:
    out: list[Mention] = []
    remaining = list(feats)
    for _ in range(4):
        result = linker.best(remaining, region)
        if result is None:
            break
        chosen, certain = result
        if out and all(not _named_beyond_units(s, region) for s in chosen):
            break  # "40 bidons de 5W40": once the product is named, "bidon" is only how it comes
        named = set().union(*(s.tokens for s in chosen)) if len(chosen) == 1 else \
            set.intersection(*(s.tokens for s in chosen)) or set(chosen[0].tokens)
        if len(chosen) == 1:
            named = {t for t in named if not _counts_the_product(region, t, chosen[0].product)}
        attributes = frozenset(t for t in named if tokens[t].kind == "num" and t not in region.quantity_measures)
        out.append(Mention(tuple(s.product.sku for s in chosen), certain and len(chosen) == 1, frozenset(named),
                           clauses, attributes=attributes, evidence=chosen[0].score, coverage=chosen[0].coverage))
        remaining = [f for f in remaining if not set(f.tokens) & named]
        if not remaining:
            break
    return out


def _restates(product: Product, feats: list[Feature]) -> bool:
    """Every telling feature of a clause is one of the product's own (count words aside)."""
    telling = [f.key for f in feats if f.key[0] in "cdmkzw" and not _count_word(f.key)
               and not (f.key[0] == "w" and f.key[2:] in STOP)]
    return bool(telling) and all(k in product.vocab for k in telling)


def _free_figures(tokens: list[Token], clause: Clause, roles: dict[int, str], masked: set[int],
                  mention: Mention) -> list[int]:
    """Figures of a clause that are neither masked, nor attributes, nor part of the mention."""
    return [t for t in clause.span if tokens[t].kind == "num" and t not in masked and t not in mention.tokens
            and roles.get(t) not in (CODE, DIM, MEASURE)]


def _counts_the_product(region: Region, t: int, product: Product) -> bool:
    """'2 chariots de lavage double seau' of a '… 2 x 25 L' trolley: a bare figure right before
    the product's noun counts it, unless the catalog says that figure with that word ('2 plis')."""
    tokens = region.tokens
    if tokens[t].kind != "num" or t + 1 >= len(tokens) or region.roles.get(t) is not None \
            or f"n:{tokens[t].norm}" in product.plain_numbers:
        return False  # "20 x 48 studs", "any 125 diamond blades": a size, not a count
    nxt = tokens[t + 1]
    if nxt.kind != "word" or nxt.glued or (f"w:{nxt.norm}" not in product.heads and f"w:{nxt.norm}" != product.noun):
        return False
    return f"b:{tokens[t].norm}|{nxt.norm}" not in product.vocab


def _named_beyond_units(scored: Scored, region: Region) -> bool:
    """A head of the product said by a word that is not a count ("sacs" in "4 sacs de colle" is not)."""
    heads = scored.keys & scored.product.heads
    head_tokens = {t for t in scored.tokens if f"w:{region.tokens[t].norm}" in heads or region.tokens[t].kind != "word"}
    return bool(head_tokens - region.unit_words) or any(k[0] in "cd" for k in heads)


def _counts(tokens: list[Token], t: int, roles: dict[int, str], masked: set[int]) -> bool:
    """A figure that may count something: a number that is no code, size or masked date or price, or a dozen."""
    return (tokens[t].kind == "num" and t not in masked and roles.get(t) not in (CODE, DIM)) \
        or (tokens[t].kind == "word" and tokens[t].norm in DOZEN)


def _has_figure(tokens: list[Token], clause: Clause, roles: dict[int, str], masked: set[int]) -> bool:
    return any(_counts(tokens, t, roles, masked) and "." not in tokens[t].norm for t in clause.span)


def quantity_measures(tokens: list[Token], roles: dict[int, str], known: frozenset[str] = frozenset()) -> set[int]:
    """Measures said as an amount to buy: "14,4 m² of tiles", "10 tonnes de sable", ": 40 litres",
    "ajoute 30 m de goulotte" (after a word that names no product nor a unit: not "couronne 25 m de 1/2")."""
    out = set()
    for i, role in roles.items():
        if role != MEASURE or i + 1 >= len(tokens) or tokens[i].kind != "num":
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        opens = before is None or tokens[i].line_break or before.raw in (":", "x", "×", "=", "|") or before.norm in (
            "pour", "for", "faut", "need", "besoin", "commander", "order", "livrer", "deliver", "send", "envoyer",
            "quote", "chiffrer", "environ", "about", "around", "approx", "de", "ish", "et", "and", "plus", "puis",
            "also", "aussi") or before.kind == "sym" or (
            bool(known) and before.kind == "word" and len(before.norm) > 2 and before.norm not in known
            and before.norm not in COUNT_UNITS and before.norm not in PACKAGING)
        follows = after is not None and after.norm in ("de", "d", "of", "en")
        if (opens and follows) or (before is not None and before.raw in (":", "=", "|")):
            out.add(i)
    return out


def unit_words(tokens: list[Token], roles: dict[int, str], masked: set[int]) -> set[int]:
    """Words right after a figure that say what it counts: '4 bidons', '2 jeux', '3 cartons de'."""
    out = set()
    for i, t in enumerate(tokens[:-1]):
        if t.kind != "num" or i in masked or roles.get(i) in (CODE, DIM, MEASURE):
            continue
        j = i + 1
        if tokens[j].kind == "word" and tokens[j].norm == "x" and j + 1 < len(tokens):
            j += 1
        nxt = tokens[j]
        if nxt.kind == "word" and (nxt.norm in COUNT_UNITS or nxt.norm in PACKAGING) and not size_letter(tokens, j):
            out.add(j)
    return out


def _sku_mentions(index: CatalogIndex, tokens: list[Token], clause: Clause, ci: int, clause_feats: list[Feature],
                  region: Region, recent: list[Mention] = ()) -> list[Mention]:
    """SKU codes in a clause: exact (any case, spaced), or a unique partial one (a trailing part)."""
    groups: list[tuple[int, int]] = []  # token ranges of glued alphanumeric groups
    i = clause.start
    while i < clause.end:
        t = tokens[i]
        if t.kind in ("word", "num"):
            j = i + 1
            while j < clause.end and tokens[j].glued and (tokens[j].kind in ("word", "num") or (
                    tokens[j].raw in "-_./" and j + 1 < clause.end and tokens[j + 1].glued
                    and tokens[j + 1].kind in ("word", "num"))):
                j += 1
            groups.append((i, j))
            i = j
        else:
            i += 1
    out: list[Mention] = []
    taken: set[int] = set()
    by_code, by_suffix = index.by_code, index.by_suffix
    start = clause.start
    compacts = [compact(tok.raw) for tok in tokens[start:clause.end]]  # a code is its tokens' letters and digits
    for size in (5, 4, 3, 2, 1):  # "tip 200 f r96", "pla 3048", "HL 5W40 5L" before "pla-2048"
        for g in range(len(groups) - size + 1):
            first, last = groups[g][0], groups[g + size - 1][1]
            if taken and not taken.isdisjoint(range(first, last)):
                continue
            code = "".join(compacts[first - start:last - start])  # "has a digit" is "not all letters"
            if size > 1 and code not in by_code and (size > 2 or code not in by_suffix):
                continue  # (a cheap test first: most runs of words are no code)
            raw = "".join(tok.raw for tok in tokens[first:last])
            cut_short = index.by_leading_part(raw) if size == 1 and code not in index.by_code \
                and any(c in raw for c in "-_./") else set()
            if len(code) < 4 or (code.isalpha() and not (any(c in raw for c in "-_./")
                                                         and (code in index.by_code or 0 < len(cut_short) <= 8))):
                continue  # letters only: a SKU only when written with its dashes ("SOU-SF", "CHO-LAI")
            if size > 1 and compact(tokens[first].raw).isdigit():
                continue  # "12 FI-HU" is a figure and a code, not one code
            sku = index.by_code.get(code)
            partial = False
            if sku is None and size <= 2:
                options = index.by_suffix.get(code, set())
                carriers = index.attribute_codes.get(code, set())
                if len(options) == 1 and not carriers - options:
                    sku, partial = next(iter(options)), True
            if sku is None and len(cut_short) == 1:
                sku = next(iter(cut_short))  # "CHO-NOI-7 x 4": the buyer stopped typing, one SKU begins so
            if sku is None and 1 < len(cut_short) <= 8 and (size == 1 and not _column_gap(tokens, first)):
                # "CHO-NOI x 4" of three dark chocolates: the code says the family, the buyer which one
                taken |= set(range(first, last))
                out.append(Mention(tuple(sorted(cut_short)), False, frozenset(range(first, last)), (ci,),
                                   via_code=True, evidence=99.0, coverage=1.0))
                continue
            if sku is None:
                continue
            if partial and not any(c.isalpha() for c in code) and not _described_as(index, tokens, clause, sku) \
                    and not _same_prefix(sku, [m.skus[0] for m in recent if m.via_code]):
                continue  # "1425" alone may be a quantity; "1425 (BA13 hydro 2m50)", "LAB-8100 … and 8200?" not
            span_tokens = set(range(first, last))
            taken |= span_tokens
            same = next((m for m in out if m.skus == (sku,)), None)
            if same is not None:
                # "FAR-T65-25 | Tradition T65 25 kg | 40": the name says the code again, one line
                same.tokens = same.tokens | span_tokens
                continue
            product = index.products[sku]
            # the words that describe it in the same clause ("FI-HU-MAST3 | Filtre à huile Master III")
            words = {t for f in clause_feats if f.key in product.vocab and f.key[0] not in "nb"
                     and not set(f.tokens) & taken for t in f.tokens}
            anchored = words | span_tokens
            # (not a figure across a column gap: "PC-E14G5-I5   ThinkPad E14 Gen 5      8" is 8 of them)
            words |= {t for f in clause_feats if f.key in product.vocab and f.key[0] in "nb"
                      and _beside(tokens, f.tokens, anchored) and not any(_column_gap(tokens, t) for t in f.tokens)
                      for t in f.tokens}
            out.append(Mention((sku,), True, frozenset(span_tokens | words), (ci,), via_code=True, evidence=99.0,
                               coverage=1.0, attributes=frozenset(t for t in words if tokens[t].kind == "num")))
    return out


def count_word_before(tokens: list[Token], at: int) -> str | None:
    """The count word of the figure said before this one in the same sentence ("2 cartons de …")."""
    for i in range(at - 1, max(-1, at - 25), -1):
        if tokens[i].raw in ".?!\n" or tokens[i + 1].line_break:
            return None  # (a list's lines are sentences: "3 cartons de film\nune douzaine de dévidoirs")
        if tokens[i].kind == "num":
            k = i + 1
            if k < len(tokens) and tokens[k].norm == "x":
                k += 1
            for j in (k, k + 1):  # "2 cartons de …", "4 amber kegs of …"
                if j < len(tokens) and tokens[j].kind == "word" and (unit_classes(tokens[j].norm)
                                                                      or tokens[j].norm in PACKAGING):
                    return tokens[j].norm
                if j >= len(tokens) or tokens[j].kind != "word":
                    break
            # a figure that counts nothing ("Bordeaux Supérieur 2023"): the count is further back
    return None


def _elided_count(tokens: list[Token], clause: Clause) -> Feature | None:
    """'4 fûts de blanche et 2 de cidre': the count word left out, said for the second figure too
    (as a word of the clause, so that the cider sold by the keg is the one named)."""
    i = clause.start
    if i + 2 >= clause.end or tokens[i].kind != "num" or tokens[i + 1].norm not in ("de", "d", "of"):
        return None
    prior = count_word_before(tokens, i)
    if prior is None or not (prior in PACKAGING or unit_classes(prior)):
        return None
    return Feature(f"w:{prior}", (i + 1,))


def _column_gap(tokens: list[Token], t: int) -> bool:
    """A figure set apart from the words before it by a run of spaces: a table's next column."""
    return t > 0 and tokens[t].kind == "num" and tokens[t].start - tokens[t - 1].end >= 2 \
        and not tokens[t].line_break


def _same_prefix(sku: str, others: list[str]) -> bool:
    head = re.split(r"[-_./ ]", sku, maxsplit=1)[0].lower()
    return any(re.split(r"[-_./ ]", o, maxsplit=1)[0].lower() == head for o in others)


def _described_as(index: CatalogIndex, tokens: list[Token], clause: Clause, sku: str) -> bool:
    words = {f"w:{t.norm}" for t in tokens[max(0, clause.start - 8): clause.end + 8] if t.kind == "word"}
    return bool(words & index.products[sku].vocab)


def _text(seg: Segmented, mention: Mention) -> str:
    clause = seg.clauses[mention.clauses[0]]
    last_clause = seg.clauses[mention.clauses[-1]]
    if clause.start >= clause.end:
        return ""
    start = seg.tokens[clause.start].start
    end = seg.tokens[max(clause.start, last_clause.end - 1)].end
    text = seg.text[start:end].strip(" \t-*•·–:,.")
    return text if len(text) <= 160 else text[:159].rstrip() + "…"


def context_keys(feats: list[Feature], mentions: list[Mention]) -> set[str]:
    """Words said in the message but not used to name any product: the vehicle, the site..."""
    used = set().union(*(m.tokens for m in mentions)) if mentions else set()
    # pack contents and sizes too: "when are the 3-way wagos back? the boxes of 100"
    return {f.key for f in feats if not set(f.tokens) & used and f.key[0] in "wcbkz" and not _count_word(f.key)}


def _count_word(key: str) -> bool:
    return key.startswith("w:") and (key[2:] in COUNT_UNITS or key[2:] in PACKAGING)


def resolve_by_context(index: CatalogIndex, mention: Mention, pools: list[set[str]],
                       own: set[str] = frozenset()) -> str | None:
    """The one candidate that the rest of the message points at, if any.

    Never a candidate that the mention's own words contradict ("2 balais 700" is no kit)."""
    if len(mention.skus) < 2:
        return None
    vocab = {sku: index.products[sku].vocab for sku in mention.skus}
    own_slots = {s for k in own if (s := slot(k)) is not None}
    if own_slots and any(k not in v for k in own if slot(k) for v in vocab.values()):
        contradicted = {sku for sku, v in vocab.items() if any(k not in v and slot(k) in {slot(x) for x in v}
                                                                 for k in own if slot(k))}
        vocab = {sku: v for sku, v in vocab.items() if sku not in contradicted}
        if len(vocab) < 1:
            return None
        if len(vocab) == 1:
            sku, words = next(iter(vocab.items()))
            if any(slot(k) and k in words for k in own):
                return sku  # "3-way (the ones in 50s)": the only one that has what the mention says
    shared = set.intersection(*(set(v) for v in vocab.values()))
    for pool in pools:
        scores = defaultdict(float)
        for sku, words in vocab.items():
            for key in pool & words - shared:
                if not _count_word(key):
                    scores[sku] += feature_weight(index, key)
        if not scores:
            continue
        best = max(scores.values())
        winners = [sku for sku, s in scores.items() if s >= best - 1e-9]
        if len(winners) == 1 and best > 0.25:
            return winners[0]
    return None
