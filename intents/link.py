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

import re
from collections import defaultdict
from dataclasses import dataclass, field

from intents.index import CatalogIndex, Product, compact
from intents.normalize import COUNT_UNITS, PACKAGING, unit_classes
from intents.segment import Clause, Segmented
from intents.tokens import CODE, DIM, MEASURE, Feature, Token

KIND_WEIGHT = {"w": 1.0, "c": 1.3, "d": 1.2, "m": 1.0, "n": 0.5}
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
    conflict: float = 0.0

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
    if kind == "d":
        return ("d", re.sub(r"[\d.]+", "#", body))
    return None


@dataclass
class Region:
    """What the linker needs to know about the tokens around the features."""
    tokens: list[Token]
    roles: dict[int, str]
    repaired: set[int]  # words rewritten to a catalog word (typo, abbreviation)
    quantity_measures: set[int]  # "14,4 m² of tiles": a measure said as an amount
    unit_words: set[int]  # words right after a figure ("4 bidons", "2 jeux")


class Linker:
    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        self.slots: dict[str, frozenset[tuple[str, str]]] = {
            sku: frozenset(s for s in (slot(k) for k in p.vocab) if s) for sku, p in index.products.items()}

    def candidates(self, feats: list[Feature], region: Region, exclude: frozenset[str] = frozenset()
                   ) -> list[Scored]:
        found: dict[str, Scored] = {}
        for f in feats:
            for sku in self.index.postings.get(f.key, ()):
                if sku in exclude:
                    continue
                entry = found.get(sku)
                if entry is None:
                    entry = found[sku] = Scored(self.index.products[sku])
                entry.keys.add(f.key)
                entry.tokens.update(f.tokens)
        by_key: dict[str, list[Feature]] = defaultdict(list)
        for f in feats:
            by_key[f.key].append(f)
        region_keys = {f.key for f in feats if not (set(f.tokens) & region.quantity_measures and f.key[0] == "m")}
        out = []
        for entry in found.values():
            product = entry.product
            self._prune(entry, by_key, region)
            if not entry.keys & product.heads:
                continue
            if not entry.keys & product.lead and len(entry.keys) == 1:
                continue  # a lone closing word ("vidange", "filter") does not name a product
            if entry.tokens and entry.tokens <= region.repaired:
                continue  # only rewritten words point at it: too thin
            entry.evidence = sum(feature_weight(self.index, k) for k in entry.keys)
            if any(region.tokens[t].norm in COUNT_UNITS for t in entry.tokens & region.unit_words) and \
                    any(product.unit in unit_classes(region.tokens[t].norm) for t in region.unit_words):
                entry.evidence += 0.5  # "2 bidons de 5W40": the one sold by the bidon
            best, full = 0.0, False
            for phrasing in product.phrasings:
                total = sum(feature_weight(self.index, k) for k in phrasing)
                if not total:
                    continue
                said = sum(feature_weight(self.index, k) for k in phrasing & entry.keys)
                best = max(best, said / total)
                full = full or said / total >= FULL
            entry.coverage, entry.full = best, full
            if best < COVER_MENTION:
                continue
            slots = self.slots[product.sku]
            entry.conflict = sum(feature_weight(self.index, k) or 1.0 for k in region_keys - product.vocab
                                 if (s := slot(k)) is not None and s in slots)
            out.append(entry)
        out.sort(key=lambda s: (-s.score, -s.coverage, s.product.sku))
        return out

    def _prune(self, entry: Scored, by_key: dict[str, list[Feature]], region: Region) -> None:
        """Numbers count only beside the product's other words; unit words only as its head."""
        tokens = region.tokens
        anchored = {t for k in entry.keys if k[0] not in "nb" for f in by_key[k] for t in f.tokens}
        anchored -= region.unit_words
        keep_keys, keep_tokens = set(), set()
        for key in entry.keys:
            spans = by_key[key]
            if key[0] == "w" and all(set(f.tokens) <= region.unit_words for f in spans) and (
                    key not in entry.product.heads or entry.product.unit in unit_classes(key[2:])):
                continue  # "2 jeux de plaquettes": jeu says how many, not which
            if key[0] in "nb" and not any(_beside(tokens, f.tokens, anchored) for f in spans):
                continue
            keep_keys.add(key)
            for f in spans:
                keep_tokens.update(f.tokens)
        entry.keys, entry.tokens = keep_keys, keep_tokens

    def best(self, feats: list[Feature], region: Region, exclude: frozenset[str] = frozenset()
             ) -> tuple[list[Scored], bool] | None:
        """The top candidates of a region and whether the first of them is certain."""
        ranked = self.candidates(feats, region, exclude)
        if not ranked:
            return None
        top = ranked[0]
        tied = [s for s in ranked if s.score >= top.score - TIE]
        if len(tied) > 1:
            full = [s for s in tied if s.full and s.conflict == 0]
            if len(full) == 1:
                return [full[0]], full[0].coverage >= COVER_CERTAIN
            return tied, False
        certain = top.coverage >= COVER_CERTAIN and (top.conflict == 0 or top.full)
        return [top], certain


def _beside(tokens: list[Token], span: tuple[int, ...], anchored: set[int]) -> bool:
    """A number (or word-number pair) next to the product's other words, with no separator between."""
    for t in span:
        if t in anchored:
            return True
        for step in (-1, 1):
            k = t + step
            for _ in range(2):
                if not 0 <= k < len(tokens):
                    break
                tok = tokens[k]
                if tok.kind == "sym" and tok.raw in SEPARATORS or tok.kind == "word" and tok.norm in ("x", "et", "and"):
                    break
                if k in anchored:
                    return True
                if tok.kind == "num":
                    break
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
    region = Region(tokens, roles, repaired, quantity_measures(tokens, roles), unit_words(tokens, roles, masked))
    mentions: list[Mention] = []
    current: list[int] = []  # clauses of the current region (same row)
    current_mentions: list[Mention] = []
    anchor: Mention | None = None  # the last product named, for ellipses
    for ci, clause in enumerate(seg.clauses):
        if anchor is not None and seg.clauses[anchor.clauses[-1]].paragraph != clause.paragraph:
            anchor = None
        coded = _sku_mentions(index, tokens, clause, ci, by_clause[ci], region)
        used = set().union(*(m.tokens for m in coded)) if coded else set()
        clause_feats = [f for f in by_clause[ci] if not set(f.tokens) & used]
        # a SKU absorbs its clause: the words around it describe it ("FI-HU-GOLF7  oil filter Golf 7")
        found = coded or _link_region(linker, tokens, clause_feats, (ci,), region)
        figure = _has_figure(tokens, clause, roles, masked)
        same_row = bool(current) and seg.clauses[current[-1]].row == clause.row
        if not found:
            if anchor is not None and anchor.skus and (figure or clause.opener in ("et", "and", ",", "+")):
                elliptic = _elliptic(linker, tokens, anchor, clause_feats, ci, region)
                if elliptic is not None:
                    if not anchor.certain and elliptic.skus[0] in anchor.skus and anchor in mentions \
                            and not _has_figure(tokens, seg.clauses[anchor.clauses[0]], roles, masked):
                        anchor.removed = True  # "du lave-glace hiver, 3 cartons de 5 L et 1 bidon de 20 L"
                        anchor.absorbed = True
                    mentions.append(elliptic)
                    current, current_mentions = [ci], [elliptic]
                    continue
            if same_row and clause.opener != ".":
                # "des gants nitrile, taille L": a clause that names nothing qualifies the one before
                current.append(ci)
                current_mentions = _relink(linker, tokens, by_clause, current, current_mentions, mentions, region)
                if current_mentions:
                    anchor = current_mentions[-1]
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
    for m in mentions:
        m.text = _text(seg, m)
    return mentions


def _relink(linker: Linker, tokens: list[Token], by_clause: list[list[Feature]], current: list[int],
            current_mentions: list[Mention], mentions: list[Mention], region: Region) -> list[Mention]:
    merged = [f for c in current for f in by_clause[c]]
    codes = [m for m in current_mentions if m.via_code]
    used = set().union(*(m.tokens for m in codes)) if codes else set()
    relinked = _link_region(linker, tokens, [f for f in merged if not set(f.tokens) & used], tuple(current), region)
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
              region: Region) -> Mention | None:
    """'… taille L et 200 en taille M': the variant named alone, with the product words said before."""
    own = [f for f in feats if f.key[0] in "wcdmb"]
    if not own:
        return None
    products = [linker.index.products[s] for s in anchor.skus]
    family = set.intersection(*(set(p.vocab) for p in products)) if len(products) > 1 else set(products[0].vocab)
    borrowed = [Feature(f.key, ()) for f in _anchor_words(tokens, anchor) if f.key in family]
    if not borrowed:
        return None
    exclude = frozenset(anchor.skus) if anchor.certain else frozenset()
    result = linker.best(own + borrowed, region, exclude)
    if result is None:
        return None
    chosen, certain = result
    if len(chosen) != 1 or not certain:
        return None
    product = chosen[0].product
    mine = {t for f in own if f.key in product.vocab and f.key not in family for t in f.tokens}
    if not mine or mine <= region.unit_words:
        return None  # the clause must name the variant itself, not only a count
    return Mention((product.sku,), True, frozenset(mine), (ci,), evidence=chosen[0].score,
                   coverage=chosen[0].coverage, elliptic=True, borrowed=frozenset(f.key[2:] for f in borrowed),
                   attributes=frozenset(t for t in mine if tokens[t].kind == "num"
                                        and t not in region.quantity_measures))


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
        named = set().union(*(s.tokens for s in chosen)) if len(chosen) == 1 else \
            set.intersection(*(s.tokens for s in chosen)) or set(chosen[0].tokens)
        attributes = frozenset(t for t in named if tokens[t].kind == "num" and t not in region.quantity_measures)
        out.append(Mention(tuple(s.product.sku for s in chosen), certain and len(chosen) == 1, frozenset(named),
                           clauses, attributes=attributes, evidence=chosen[0].score, coverage=chosen[0].coverage))
        remaining = [f for f in remaining if not set(f.tokens) & named]
        if not remaining:
            break
    return out


def _has_figure(tokens: list[Token], clause: Clause, roles: dict[int, str], masked: set[int]) -> bool:
    return any(tokens[t].kind == "num" and t not in masked and roles.get(t) not in (CODE, DIM)
               and "." not in tokens[t].norm for t in clause.span)


def quantity_measures(tokens: list[Token], roles: dict[int, str]) -> set[int]:
    """Measures said as an amount to buy: "14,4 m² of tiles", "10 tonnes de sable", ": 40 litres"."""
    out = set()
    for i, role in roles.items():
        if role != MEASURE or i + 1 >= len(tokens) or tokens[i].kind != "num":
            continue
        before = tokens[i - 1] if i else None
        after = tokens[i + 2] if i + 2 < len(tokens) else None
        opens = before is None or before.raw in (":", "x", "×", "=", "|") or before.norm in (
            "pour", "for", "faut", "need", "besoin", "commander", "order", "livrer", "deliver", "send", "envoyer",
            "quote", "chiffrer", "environ", "about", "around", "approx", "de", "ish") or before.kind == "sym"
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
        if nxt.kind == "word" and (nxt.norm in COUNT_UNITS or nxt.norm in PACKAGING):
            out.add(j)
    return out


def _sku_mentions(index: CatalogIndex, tokens: list[Token], clause: Clause, ci: int, clause_feats: list[Feature],
                  region: Region) -> list[Mention]:
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
    for size in (3, 2, 1):  # "pla 3048", "HL 5W40 5L" before "pla-2048"
        for g in range(len(groups) - size + 1):
            span = groups[g : g + size]
            first, last = span[0][0], span[-1][1]
            if any(t in taken for t in range(first, last)):
                continue
            raw = "".join(tok.raw for tok in tokens[first:last])
            code = compact(raw)
            if len(code) < 4 or not any(c.isdigit() for c in code):
                continue
            if size > 1 and not any(c.isalpha() for c in compact(tokens[first].raw)):
                continue  # "12 FI-HU" is a figure and a code, not one code
            sku = index.by_code.get(code)
            partial = False
            if sku is None and size <= 2:
                options = index.by_suffix.get(code, set())
                if len(options) == 1:
                    sku, partial = next(iter(options)), True
            if sku is None:
                continue
            if partial and not any(c.isalpha() for c in code) and not _described_as(index, tokens, clause, sku):
                continue  # "1425" alone may be a quantity; "1425 (BA13 hydro 2m50)" is the product
            span_tokens = set(range(first, last))
            taken |= span_tokens
            product = index.products[sku]
            # the words that describe it in the same clause ("FI-HU-MAST3 | Filtre à huile Master III")
            words = {t for f in clause_feats if f.key in product.vocab and f.key[0] not in "nb"
                     and not set(f.tokens) & taken for t in f.tokens}
            out.append(Mention((sku,), True, frozenset(span_tokens | words), (ci,), via_code=True, evidence=99.0,
                               coverage=1.0, attributes=frozenset(t for t in words if tokens[t].kind == "num")))
    return out


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
    return {f.key for f in feats if not set(f.tokens) & used and f.key[0] in "wcb"}


def resolve_by_context(index: CatalogIndex, mention: Mention, pools: list[set[str]]) -> str | None:
    """The one candidate that the rest of the message points at, if any."""
    if len(mention.skus) < 2:
        return None
    vocab = {sku: index.products[sku].vocab for sku in mention.skus}
    shared = set.intersection(*(set(v) for v in vocab.values()))
    for pool in pools:
        scores = defaultdict(float)
        for sku, words in vocab.items():
            for key in pool & words - shared:
                scores[sku] += feature_weight(index, key)
        if not scores:
            continue
        best = max(scores.values())
        winners = [sku for sku, s in scores.items() if s >= best - 1e-9]
        if len(winners) == 1 and best > 0.5:
            return winners[0]
    return None
