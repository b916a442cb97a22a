"""Catalog-aware product matching: which product(s) a piece of text names.

Every product contributes its name, aliases and SKU. A mention is *certain* when one of
a product's phrasings is wholly present and no other product explains the text as well;
it is *ambiguous* when several products explain it equally (the words that would tell
them apart are missing: "cartouches HP 305" without colour); otherwise it is no mention.
Words are weighted by rarity in the catalog (a word every product has proves nothing).
Typos are repaired against the catalog's own vocabulary (rapidfuzz), never beyond it.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from intents.catalog import CatalogEntry
from intents.text import STOP, fold, key_words, strip_accents

SKU_LIKE = re.compile(r"[A-Za-z0-9]+(?:[-_./][A-Za-z0-9]+)+|[A-Za-z]+\d[A-Za-z0-9]*|\d+[A-Za-z]+[A-Za-z0-9]*")


def compact(code: str) -> str:
    return re.sub(r"[^a-z0-9]", "", strip_accents(code.lower()))


@dataclass(frozen=True, slots=True)
class Phrasing:
    sku: str
    words: frozenset[str]


@dataclass(frozen=True, slots=True)
class Match:
    skus: tuple[str, ...]  # one SKU when certain, several when ambiguous
    used: frozenset[str]  # the message words that named the product(s)
    certain: bool
    strength: float
    phrase: frozenset[str] = frozenset()  # the product's own phrasing found whole in the text


class CatalogIndex:
    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.entries: dict[str, CatalogEntry] = {}
        self.phrasings: dict[str, list[frozenset[str]]] = defaultdict(list)
        self.heads: dict[str, set[str]] = defaultdict(set)  # sku -> first words of its phrasings
        self.vocab: dict[str, set[str]] = defaultdict(set)  # word -> skus using it
        self.by_code: dict[str, str] = {}
        for entry in entries:
            self.entries[entry.sku] = entry
            self.by_code[compact(entry.sku)] = entry.sku
            for text in (entry.name, *entry.aliases):
                ordered = key_words(text)
                tokens = frozenset(ordered)
                if tokens:
                    self.heads[entry.sku].add(ordered[0])
                    self.phrasings[entry.sku].append(tokens)
                    for token in tokens:
                        self.vocab[token].add(entry.sku)
        total = max(1, len(self.entries))
        self.weight = {t: math.log(1 + total / len(skus)) for t, skus in self.vocab.items()}
        self.product_words = {sku: frozenset().union(*p) for sku, p in self.phrasings.items()}
        self._spellable = [w for w in self.vocab if len(w) >= 4 and w.isalpha()]

    # -- words -----------------------------------------------------------------------------
    def repair(self, word: str) -> str:
        """A message word unknown to the catalog, replaced by the catalog word it misspells."""
        if word in self.vocab or len(word) < 5 or not word.isalpha() or word in STOP:
            return word
        found = process.extractOne(word, self._spellable, scorer=fuzz.ratio, score_cutoff=84)
        return found[0] if found else word

    def phrasings_words(self, sku: str) -> list[str]:
        """The words of a product's shortest full phrasing (what names it, without extras)."""
        shortest = min(self.phrasings[sku], key=len)
        return sorted(shortest)

    def same_family(self, sku: str, other: str) -> bool:
        """Two variants of one product: same category, names opening on the same words."""
        a, b = self.entries[sku], self.entries[other]
        return sku != other and a.category == b.category and fold(a.name).split()[:2] == fold(b.name).split()[:2]

    def w(self, words: Iterable[str]) -> float:
        return sum(self.weight.get(t, 0.0) for t in words)

    def code_in(self, text: str) -> list[tuple[str, str]]:
        """SKU codes written in the text: (sku, as written)."""
        hits = []
        for raw in SKU_LIKE.findall(text):
            sku = self.by_code.get(compact(raw))
            if sku:
                hits.append((sku, raw))
        return hits

    def _ratio(self, present: frozenset[str], sku: str) -> float:
        return max((self.w(p & present) / (self.w(p) or 1.0) for p in self.phrasings[sku]), default=0.0)

    def _enough(self, present: frozenset[str], skus: list[str], strength: float) -> bool:
        """A partial mention counts when it says most of what the candidates have in common.

        The words that would tell the candidates apart (colour, size) are, by nature,
        missing from an ambiguous mention: they are left out of the proportion.
        """
        if strength < 1.0:
            return False
        said = set(present) & frozenset().union(*(self.product_words[s] for s in skus))
        if not said:
            return False  # "40 boxes please": a unit alone names nothing
        if len(said) == 1:
            word = next(iter(said))
            if len(word) < 3 or not any(word in self.heads[s] for s in skus):
                return False  # one word that is not what the product is ("chantier" for a hard hat)
        common = frozenset.intersection(*(self.product_words[s] for s in skus))
        best = 0.0
        for sku in skus:
            for phrasing in self.phrasings[sku]:
                shared = phrasing & common
                if shared:
                    best = max(best, self.w(phrasing & present & common) / (self.w(shared) or 1.0))
        return best >= 0.5

    # -- mentions --------------------------------------------------------------------------
    def match(self, words: Sequence[str], units: frozenset[str] = frozenset()) -> Match | None:
        """`units`: words used as units right after a quantity ("40 boxes"), not as product names."""
        present = frozenset(words)
        candidates: set[str] = set()
        for token in present:
            candidates |= self.vocab.get(token, set())
        if not candidates:
            return None
        scored = []
        for sku in sorted(candidates):
            covered = present & self.product_words[sku]
            full = [p for p in self.phrasings[sku] if p <= present]
            best_full = max((self.w(p) for p in full), default=0.0)
            scored.append((bool(full), self.w(covered), best_full, sku, covered))
        scored.sort(key=lambda s: (s[0], round(s[1], 9), round(s[2], 9)), reverse=True)
        full, strength = scored[0][0], scored[0][1]
        ties = [s for s in scored if s[0] == full and math.isclose(s[1], strength, rel_tol=1e-9)]
        if full and len(ties) > 1:
            # Prefer the product whose full phrasing is the most specific.
            best = max(s[2] for s in ties)
            ties = [s for s in ties if math.isclose(s[2], best, rel_tol=1e-9)]
        if not full and not self._enough(present - units, [s[3] for s in ties], strength):
            return None
        used = frozenset().union(*(s[4] for s in ties))
        skus = tuple(sorted(s[3] for s in ties))
        # One product that the text names by most of a phrasing ("gloves size M" for "nitrile
        # gloves M") is certain; a thinner resemblance is put to the buyer as a question.
        certain = len(skus) == 1 and (full or self._ratio(present, skus[0]) >= 0.6)
        phrase = frozenset()
        if full and len(skus) == 1:
            phrase = max((p for p in self.phrasings[skus[0]] if p <= present), key=self.w)
        return Match(skus=skus, used=used, certain=certain, strength=strength, phrase=phrase)
