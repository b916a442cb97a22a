"""Stage 4 — quantities: how many of each linked product, in the catalog's sale unit.

A quantity is read against the product it belongs to: "2 cartons" is 2 x pack_size, "3
boîtes" of a product sold by the box is 3, "300 seringues" sold in boxes of 100 is 3 boxes
(250 is a question), "14,4 m²" of tiles in 1,44 m² boxes is 10, "2 x 10 L" of a paint sold
by the litre is 20. Numbers that are attributes of the product, dates, prices, phones,
references and counts of other things are never quantities.

The number is the one just before the product ("4 bidons de"), else just after it ("x10",
": 12", "– 10"), else in a clause that only says a quantity ("il nous en faudrait 24",
"need 4", "6 de chaque"). "Une trentaine", "about 40", "30 ou 40" are uncertain; "20...
non, 25" and "make it 25" keep the last figure; "12 filtres (soit 2 cartons)" with 10 a
carton contradicts itself. Uncertain quantities are kept as said, for the question.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace

from intents.index import CatalogIndex, Product, compact
from intents.link import REMOVAL, Mention, count_word_before
from intents.normalize import (
    APPROX_WORDS,
    COUNT_UNITS,
    DOZEN,
    HALF,
    MEASURE_UNITS,
    PACKAGING,
    STOP,
    WORDS_EN,
    WORDS_FR,
    packaging_class,
    strip_accents,
    unit_classes,
)
from intents.segment import Segmented
from intents.tokens import MEASURE, MULTIPLIER, SOFT_DIM, Token

_APPROX = re.compile("|".join(f"(?P<w{v}>{k})" for k, v in APPROX_WORDS.items()))
APPROX_BEFORE = frozenset({"environ", "env", "approx", "approximativement", "approximately", "about", "around",
                           "roughly", "genre", "circa", "quelque", "presque", "jusqu", "upto", "maxi", "max",
                           "maximum", "minimum", "mini", "moins", "least", "peu"})
MULTI_ITEM = frozenset({"boite", "paquet", "sachet"})
# units that are one item each: "120 bouteilles" of water sold by the pack of 6 are 20 packs
SINGLE_ITEMS = frozenset({"flacon", "canette", "cartouche", "aerosol"})  # containers of several single items (a set is one)
CONJUNCTIONS = frozenset({"because", "parce", "since", "but", "mais", "donc", "so", "then", "puis", "if", "si",
                          "when", "quand", "than", "while", "until", "jusqu", "comme", "unless", "sauf", "ainsi"})
FEW = frozenset({"quelques", "few", "several", "plusieurs", "couple"})
CORRECTION = re.compile(r"\b(?:non|no(?!\s+(?:longer|need|more)\b)|pardon|sorry|en fait|plut[ôo]t|actually|make it|make that|i mean|je veux dire|"
                        r"correction|wait|ou plut[ôo]t|finalement|rectification|oops|euh|hmm|erm)\b|\.\.\.|…", re.I)
CORRECTING = frozenset({"pardon", "sorry", "plutot", "actually", "finalement", "enfin", "oops"})
FIXED_AFTER = re.compile(r"\s*,?\s*(?:pardon|sorry|plut[ôo]t|i mean|je veux dire|en fait|actually)\b", re.I)
INSTEAD = re.compile(r"\b(?:au lieu de|au lieu des|instead of|rather than|plut[ôo]t que|et non|"
                     r"[àa] la place d(?:e|es|u)|in place of|en remplacement d(?:e|es|u)|replacing)\b", re.I)
RESTATE = re.compile(r"^\s*(?:\(|soit\b|c'est-[àa]-dire|i\.e\.|ie\b|that'?s|that is|which is|=|donc|so\b)", re.I)
EACH = re.compile(r"\b(?:de chaque|of each|chacun|chacune|each|par r[ée]f[ée]rence|par article|pour chaque|"
                  r"per item|per line)\b", re.I)
SAME_AGAIN = re.compile(r"\b(?:autant|the same|les m[eê]mes|m[eê]me chose|m[eê]me quantit[ée]|idem|same amount|same quantity|"
                        r"likewise)\b", re.I)
POINTS_BACK = re.compile(r"\b(?:en|them|those|ones|some|it)\b", re.I)  # "il m'en faut 15", "we need 40 of them"
# words that take a line away even when its figure is said ("annulez les 2 batteries")
CANCEL_LINE = re.compile(r"\b(?:except|with the exception|[àa] l'exception|excluding|hormis|plus besoin|no longer|don'?t need|do not need|cancel\w*|annul\w*|remove|retire[rz]?|"
                         r"enlever|enlevez|supprime[rz]?|oubliez|forget)\b", re.I)
SPLIT = re.compile(r"\b(?:split|r[ée]parti[es]*|half and half|moiti[ée][\s/-]+moiti[ée]|50\s*/\s*50|equally|"
                   r"[ée]galement|evenly)\b|50\s*/\s*50", re.I)
PER_EACH = re.compile(r"\b(?:pour|for|to|sur|à|a|on|in|par)\s+(?:each|chacun|chacune)\s+(?:of\s+|de\s+)?"
                      r"(?:our|nos|vos|your|the|les|mes|my|ces|these)?\s*(\d+|two|three|four|five|six|deux|trois|quatre|"
                      r"cinq|six)\b", re.I)
SMALL_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5}
SPLIT = re.compile(r"\b(?:split|r[ée]partis?|moiti[ée]|half and half|50\s*/\s*50|fifty-fifty)\b", re.I)
MORE = ("more", "extra", "additional", "further", "autres", "other", "supplementaire")
TIME_WORDS = frozenset(["semaine", "week", "mois", "month", "jour", "day", "an", "annee", "year", "prochain", "prochaine", "next", "demain", "tomorrow", "matin", "morning", "soir", "evening", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "asap", "urgent", "urgence", "svp", "stp", "please", "pls", "merci", "thanks", "thx", "maxi", "max", "minimum", "avant", "before", "tard", "later", "cette", "this",
                        # when, and what else: "we'd take 45 now", "12 only" (not "first": "a first order")
                        "now", "today", "tonight", "maintenant", "aujourd", "abord", "then", "ensuite", "again",
                        "too", "also", "aussi", "instead", "plutot", "only", "seulement"])
ANAPHORA = frozenset({"en", "them", "those", "ones"})  # a count that points back at the product named
QTY_MARKERS = frozenset({":", "x", "×", "=", "-", "–", "|", "qty", "qte", "quantite", "quantity", "nb", "nombre"})
NEED = frozenset({"need", "needs", "want", "take", "prendre", "prends", "prendrais", "prendrai", "faut", "faudrait",
                  "besoin", "voudrais", "voudrait", "voudrions", "order", "commande", "commander", "mettre", "mets",
                  "rajoute", "rajoutes", "ajoute", "ajouter", "add", "send", "envoyer", "livrer", "deliver"})


@dataclass(frozen=True, slots=True)
class Said:
    value: float
    at: int  # anchor token
    tokens: tuple[int, ...]
    approximate: bool = False
    kind: str = "digit"  # digit | word | dozen | article | few


@dataclass
class Reading:
    mention: Mention
    qty: int | None
    issue: str | None = None  # approximate | contradictory | not_whole | missing | below_minimum
    said: float | None = None  # the figure as said, when it could not be taken as it is
    at: int | None = None  # the token of the figure taken


def numbers(seg: Segmented, masked: set[int], attributes: set[int], roles: dict[int, str], lang: str) -> list[Said]:
    """Every figure that may be a quantity, with number words and dozens read."""
    tokens = seg.tokens
    out: list[Said] = []
    skip: set[int] = set()
    n = len(tokens)
    for i, t in enumerate(tokens):
        if i in skip:
            continue
        if t.kind == "num":
            if i in masked or i in attributes or "." in t.norm or roles.get(i) in ("code", "dim"):
                continue
            if roles.get(i) == MEASURE:
                continue
            value = float(t.norm)
            if value <= 0 or value > 1_000_000:
                continue
            after = tokens[i + 1] if i + 1 < n else None
            if value >= 10_000 and t.raw.isdigit() and (after is None or after.kind != "word") \
                    and not (i and tokens[i - 1].norm in QTY_MARKERS):
                continue  # "33000)": five bare digits counting nothing said are a postcode or a number, never 33,000
            if after is not None and after.kind == "word" and strip_accents(after.raw.lower()) in DOZEN:
                out.append(Said(value * 12, i, (i, i + 1), kind="dozen"))
                skip.add(i + 1)
                continue
            if after is not None and after.kind == "word" and after.glued and after.norm == "ish":
                out.append(Said(value, i, (i, i + 1), approximate=True))
                continue
            out.append(Said(value, i, (i,)))
            continue
        if t.kind != "word":
            continue
        word = strip_accents(t.raw.lower())
        if word in DOZEN:
            before = tokens[i - 1] if i else None
            half = before is not None and strip_accents(before.raw.lower()) in ("demi", "half")
            if before is not None and strip_accents(before.raw.lower()) == "a" and i >= 2 \
                    and strip_accents(tokens[i - 2].raw.lower()) == "half":
                half = True
            out.append(Said(6 if half else 12, i, (i,), kind="dozen"))
            continue
        approx_word = _APPROX.fullmatch(word)
        approx = int(approx_word.lastgroup[1:]) if approx_word else None
        if approx is not None:
            out.append(Said(approx, i, (i,), approximate=True, kind="word"))
            continue
        if word in FEW:
            out.append(Said(0, i, (i,), approximate=True, kind="few"))
            continue
        articles = ("un", "une") if lang == "fr" else ("a", "an", "one", "single")
        if word in articles and i + 1 < n and tokens[i + 1].kind in ("word", "num") \
                and tokens[i + 1].norm not in ("per", "par", "each", "chacun", "chacune"):  # "one per new hire"
            # counts only right before the product or its unit; "half a carton" is half of one
            half = i > 0 and word in ("a", "an") and strip_accents(tokens[i - 1].raw.lower()) == "half"
            out.append(Said(0.5 if half else 1, i, (i,), kind="article"))
            continue
        if word == "one":
            continue  # "one" is read as an article: "one 95Ah battery", not "quick one"
        lexicon = WORDS_EN if word in WORDS_EN else WORDS_FR if word in WORDS_FR else None
        if lexicon is None:
            continue
        run = [i]
        j = i + 1
        while j < n:
            w = strip_accents(tokens[j].raw.lower())
            if w in lexicon or (w in ("et", "and", "-") and j + 1 < n
                                and strip_accents(tokens[j + 1].raw.lower()) in lexicon):
                run.append(j)
                j += 1
                continue
            break
        value = _words_value([strip_accents(tokens[k].raw.lower()) for k in run], lexicon)
        if value is None or value <= 0:
            continue
        end = run[-1]
        if end + 2 < n and tokens[end + 1].raw == "-" and tokens[end + 1].glued and tokens[end + 2].kind == "word" \
                and tokens[end + 2].glued and strip_accents(tokens[end + 2].raw.lower()) not in lexicon:
            continue  # "four-colour code", "two-row consumer units": an adjective
        skip.update(run)
        nxt = tokens[j] if j < n else None
        if nxt is not None and nxt.kind == "word" and strip_accents(nxt.raw.lower()) in DOZEN:
            skip.add(j)
            out.append(Said(value * 12, run[0], (*run, j), kind="dozen"))
            continue
        out.append(Said(value, run[0], tuple(run), kind="word"))
    return out


def _words_value(words: list[str], lexicon: dict[str, int]) -> int | None:
    words = [w for w in words if w not in ("et", "and", "-")]
    if not words:
        return None
    try:
        from text_to_num import text2num

        return int(text2num(" ".join(words), "en" if lexicon is WORDS_EN else "fr"))
    except Exception:  # an odd run: add what can be added
        total, current = 0, 0
        for w in words:
            v = lexicon[w]
            if v in (100, 1000):
                current = max(1, current) * v
                if v == 1000:
                    total, current = total + current, 0
            else:
                current += v
        return total + current


class QuantityReader:
    def __init__(self, index: CatalogIndex) -> None:
        self.index = index
        self._text: str | None = None

    def read(self, seg: Segmented, mentions: list[Mention], saids: list[Said], roles: dict[int, str],
             quantity_measures: set[int], intent_kind: str | None = None) -> list[Reading]:
        tokens = seg.tokens
        self._text = seg.text
        claimed: set[int] = set()
        readings: list[Reading] = []
        mention_tokens = set().union(*(m.tokens for m in mentions)) if mentions else set()
        by_anchor = {s.at: s for s in saids}
        foreign = self._counts_of_other_things(tokens, saids, mention_tokens)
        usable = [s for s in saids if s.at not in foreign]
        # in the order they are written: a figure belongs to the product beside it
        ordered = sorted(mentions, key=lambda m: (m.first, m.last))
        read_of: dict[int, Reading] = {}
        for position, mention in enumerate(ordered):
            region = self._region(seg, mention)
            previous_end = ordered[position - 1].last if position and ordered[position - 1].clauses == \
                mention.clauses else region[0] - 1
            next_start = ordered[position + 1].first if position + 1 < len(ordered) and \
                ordered[position + 1].clauses == mention.clauses else region[-1] + 1
            read_of[id(mention)] = self._read_one(seg, mention, usable, claimed, region, previous_end, next_start,
                                                  roles, quantity_measures, by_anchor)
        readings = [read_of[id(m)] for m in mentions]
        self._per_each(seg, readings)
        self._corrections(seg, readings, usable, claimed, roles)
        self._follow_up_quantities(seg, readings, usable, claimed)
        self._look_back(seg, readings, usable, claimed)
        self._each_and_same(seg, readings)
        readings = self._each_of_several(seg, readings)
        self._split_total(seg, readings)
        for reading in readings:
            if reading.mention.shared and reading.issue in (None, "missing"):
                said = next((r.qty for r in readings if r.mention.shared and r.qty), None)
                reading.qty, reading.issue, reading.said = None, "missing", said
        for reading in readings:
            # "sauf les gants L que nous portons à 40 boîtes": changed, not removed
            before = max((t for r in readings if r is not reading for t in r.mention.tokens
                          if t < reading.mention.first), default=-1)
            reading.mention.removed = reading.mention.removed or self._replaced(seg, reading.mention, before) or (
                self._removed(seg, reading.mention) and (reading.qty is None or self._cancelled(seg, reading.mention)))
            self._minimum(reading)
        return readings

    # -- one mention -------------------------------------------------------------------
    def _region(self, seg: Segmented, mention: Mention) -> list[int]:
        tokens: list[int] = []
        for ci in mention.clauses:
            tokens.extend(seg.clauses[ci].span)
        return sorted(tokens) or [mention.first]

    def _read_one(self, seg: Segmented, mention: Mention, saids: list[Said], claimed: set[int], region: list[int],
                  previous_end: int, next_start: int, roles: dict[int, str], quantity_measures: set[int],
                  by_anchor: dict[int, Said]) -> Reading:
        tokens = seg.tokens
        if not mention.tokens:
            return Reading(mention, None, "missing")
        first, _last = mention.first, mention.last
        inside = set(region)
        free = [s for s in saids if s.at in inside and s.at not in claimed and s.at not in mention.tokens]
        measure_qty = [i for i in quantity_measures if i in inside and i not in claimed]
        free = [s for s in free if s.kind != "article" or self._article_counts(tokens, s, first, mention)]
        left = [s for s in free if previous_end < s.at < first]
        right = [s for s in free if first < s.at < next_start and s.kind != "article"
                 and not self._after_a_name(tokens, s.at)]  # after the first product word
        chosen: Said | None = None
        corrected: Said | None = None  # the figure a correction replaced
        if left:
            chosen = left[-1]
            if len(left) > 1 and self._holds(tokens, left[-2], chosen):
                chosen = left[-2]  # "3 cartons de 4 bidons": three cartons, of four each
            elif len(left) > 1 and INSTEAD.search(seg.text[tokens[left[-2].at].end:tokens[chosen.at].start]):
                claimed.add(chosen.at)
                chosen = left[-2]  # "12 au lieu de 8 pour les batteries": twelve, the new figure
            # "30... non pardon, 40" / "20 x AdBlue... actually make it 25": the corrected figure
            # ("8 colis (et non 6)", "16 instead of 20": the first one stands)
            later = [s for s in right if CORRECTION.search(seg.text[tokens[chosen.at].end:tokens[s.at].start])
                     and not INSTEAD.search(seg.text[tokens[chosen.at].end:tokens[s.at].start])]
            if later:
                claimed.add(chosen.at)
                corrected = chosen
                chosen = _right_after_last_correction(seg, tokens, later)
        elif right:
            chosen = right[0]
            rest = [s for s in right[1:] if CORRECTION.search(seg.text[tokens[chosen.at].end:tokens[s.at].start])]
            if rest:
                claimed.add(chosen.at)
                corrected = chosen
                chosen = _right_after_last_correction(seg, tokens, rest)
        if chosen is not None:
            # "30 (25 pardon, il m'en reste)": the figure said again right after, then taken back to it
            fixed = next((s for s in saids if s.at > chosen.at and s.at not in claimed
                          and re.fullmatch(r"\s*[(,;–-]?\s*", seg.text[tokens[chosen.tokens[-1]].end:tokens[s.at].start])
                          and FIXED_AFTER.match(seg.text[tokens[s.tokens[-1]].end:])), None)
            if fixed is not None:
                claimed.add(chosen.at)
                corrected = chosen
                chosen = fixed
        product = self.index.products[mention.skus[0]] if len(mention.skus) == 1 else None
        if chosen is None:
            sold = self._sold_measures(seg, product, inside, claimed, mention)
            for i in sorted(set(measure_qty) | set(sold)):
                if previous_end < i < next_start:
                    return self._measure_quantity(seg, mention, product, i, claimed)
            return Reading(mention, None, "missing")
        claimed.add(chosen.at)
        # "X au lieu de Y": X is the figure, Y the old one
        for s in right:
            if s.at != chosen.at and INSTEAD.search(seg.text[tokens[chosen.at].end:tokens[s.at].start]) \
                    and s.at > chosen.at:
                claimed.add(s.at)
        if chosen.kind == "few":
            return Reading(mention, None, "approximate", None)
        # "pas 30 sacs de T55 mais 32", "not 20 but 25": the figure after "but"
        if re.search(r"\b(?:pas|not|non)\s*$", seg.text[max(0, tokens[chosen.at].start - 8):tokens[chosen.at].start],
                     re.I):
            but = next((s for s in right if s.at > chosen.at and re.search(
                r"\b(?:mais|but)\s*$", seg.text[tokens[chosen.tokens[-1]].end:tokens[s.at].start], re.I)), None)
            if but is not None:
                claimed.add(chosen.at)
                chosen = but
                claimed.add(chosen.at)
        # "change the citrate tubes from 20 to 25": the new figure
        new = next((s for s in right if s.at > chosen.at and re.fullmatch(
            r"\s*(?:to|à|a|->|→)\s*", seg.text[tokens[chosen.tokens[-1]].end:tokens[s.at].start])), None)
        if new is not None and re.search(r"\b(?:from|de|passer de|passe de)\s*$",
                                         seg.text[max(0, tokens[chosen.at].start - 14):tokens[chosen.at].start], re.I):
            claimed.add(new.at)
            chosen = new
        approximate = chosen.approximate or self._approximate(seg, chosen, saids)
        value = chosen.value
        qty, issue = self._in_sale_units(seg, mention, product, chosen, roles)
        if corrected is not None and qty == value and issue is None and not _has_count_word(tokens, chosen):
            # "3 cartons de Prosecco, pardon 4": four cartons, the count word said once
            before, _ = self._in_sale_units(seg, mention, product, corrected, roles)
            if before is not None and corrected.value and before != corrected.value:
                qty, issue = _whole(value * before / corrected.value)
        if issue is None and qty is not None:
            restated = self._restatement(seg, mention, product, chosen, saids, claimed, roles)
            if restated is not None and restated != qty:
                return Reading(mention, None, "contradictory", value)
        if approximate:
            return Reading(mention, None, "approximate", value, chosen.at)
        if issue:
            return Reading(mention, None, issue, value, chosen.at)
        return Reading(mention, qty, at=chosen.at)

    def _after_a_name(self, tokens: list[Token], at: int) -> bool:
        """'… to Friday's delivery to Hangar 3', 'Bâtiment 4': a figure that numbers a place or a thing
        with a proper name (a capitalised word the catalog does not have, inside a sentence)."""
        before = tokens[at - 1] if at else None
        if before is None or before.kind != "word" or not before.raw[:1].isupper() or before.raw.isupper() \
                or before.norm in self.index.words or before.norm in COUNT_UNITS or before.norm in PACKAGING:
            return False
        previous = tokens[at - 2] if at >= 2 else None
        return previous is not None and previous.kind == "word" and not before.line_break

    def _in_sale_units(self, seg: Segmented, mention: Mention, product: Product | None, said: Said,
                       roles: dict[int, str]) -> tuple[int | None, str | None]:
        """The figure in sale units, by the word that follows it and the product's own units."""
        tokens = seg.tokens
        value = said.value
        end = said.tokens[-1]
        if product is None:
            return (int(value), None) if value == int(value) else (None, "not_whole")
        k = end + 1
        half = False
        while k < len(tokens) and tokens[k].kind == "word" and tokens[k].norm in ("x", "of", "a", *MORE):
            k += 1  # "2 more cases", "3 autres cartons"
        unit = tokens[k] if k < len(tokens) and tokens[k].kind == "word" else None
        if unit is not None and k + 2 < len(tokens) and tokens[k + 1].norm in ("et", "and") \
                and tokens[k + 2].norm in HALF | {"a"} and (tokens[k + 2].norm in HALF or (
                    k + 3 < len(tokens) and tokens[k + 3].norm in HALF)):
            value += 0.5  # "3 cartons et demi", "2 cases and a half"
        if unit is not None and "\n" in seg.text[tokens[end].end: unit.start]:
            unit = None  # the next line says something else
        if unit is not None and unit.norm in HALF:
            half = True
        word = unit.norm if unit is not None else ""
        if end + 1 < len(tokens) and tokens[end + 1].norm in ("de", "d", "of") and (
                unit is None or word in ("de", "d", "of", "the", "le", "la", "les", "l")):
            # "2 cartons de vodka et un de gin", "4 cases of the 2023 and 2 of the 2022": the carton again
            prior = count_word_before(tokens, said.at)
            if prior is not None and (prior in PACKAGING or prior in product.packs) \
                    and product.unit not in unit_classes(prior) and product.entry.pack_size > 1:
                return _whole(value * product.entry.pack_size)
        if unit is not None and mention.via_code and k in mention.tokens and _code_starts(tokens, k, product):
            return _whole(value)  # "4 x MAS-FFP3V-10": four of what the code sells
        nested = self._nested_content(tokens, k, product, mention.attributes)
        if roles.get(said.at) == SOFT_DIM and k < len(tokens):
            # "2 x 10 L" of a paint sold by the litre: 20 litres; of a 10 L pot: 2 pots
            for j in range(said.at + 1, min(len(tokens), said.at + 4)):
                if roles.get(j) == MEASURE:
                    amount = self._measure_in_sale_units(tokens, j, product)
                    if amount is not None and product.unit in ("litre", "metre", "kg"):
                        return _whole(value * amount)
                    break
            if self._items_named(tokens, range(said.at + 1, mention.last + 1), mention, product, value):
                return _in_units_of(value, product.per_unit)  # "1,000 x 15 ml conical tubes" sold by 50
            return _whole(value)
        unit_is_product = unit is not None and word in _head_words(product) and (
            k in mention.tokens or (f"w:{word}" in product.lead and k + 2 < len(tokens)
                                    and tokens[k + 1].norm in ("de", "d", "of", "'")
                                    and any(f"w:{tokens[j].norm}" in product.vocab for j in range(k + 2, k + 4)
                                            if j < len(tokens) and tokens[j].kind == "word"))) and not (
            k + 2 < len(tokens) and tokens[k + 1].norm in ("de", "d", "of") and tokens[k + 2].norm == word)
        # "2 pallets EUR new" of a pallet: the count word is what the product is, its words follow
        unit_is_product = unit_is_product or (
            unit is not None and k + 1 == mention.first and k not in mention.tokens
            and (f"w:{word}" in product.heads or bool(unit_classes(word) & unit_classes(product.noun[2:]))
                 or (packaging_class(word) is not None and packaging_class(word) == packaging_class(product.noun[2:]))))
        if (word in PACKAGING or word in product.packs) and product.unit not in unit_classes(word) \
                and not unit_is_product:  # "2 cartons", "5 packs de coca" of a can 24 to the pack
            factor = product.entry.pack_size if product.entry.pack_size > 1 else 1
            if nested is not None:
                return _whole(value * nested)
            return _whole(value * factor * (0.5 if half else 1))
        if nested is not None and (word in COUNT_UNITS or word in PACKAGING):
            return _whole(value * nested)
        pack_of = self._pack_of(tokens, k) if word in COUNT_UNITS else None
        if nested is None and pack_of is not None and "piece" not in unit_classes(word) and not unit_is_product \
                and product.unit not in unit_classes(word) and product.entry.pack_size > 1 \
                and pack_of != product.entry.pack_size and pack_of != product.per_unit:
            return None, "contradictory"  # "3 paquets de 10" of pads packed by 12: which count is right?
        if nested is None and product.unit == "piece" and unit_classes(word) & MULTI_ITEM and not unit_is_product \
                and f"w:{word}" not in product.vocab and pack_of is None:
            return None, "not_whole"  # "2 boxes of pens" sold one by one: how many pens is a box?
        if nested is None and word in COUNT_UNITS and "piece" not in unit_classes(word) \
                and product.unit not in unit_classes(word) and product.entry.pack_size > 1 \
                and not unit_is_product and self._pack_of(tokens, k) == product.entry.pack_size:
            return _whole(value * product.entry.pack_size)  # "3 paquets de 12" of a product sold by the 12-pack
        if word and word not in COUNT_UNITS and word not in PACKAGING and self._sets_apart(product, word) \
                and (prior := count_word_before(tokens, said.at)) is not None and product.unit in unit_classes(prior):
            return _whole(value)  # "20 paquets rouges et 20 bleus": twenty packets again, the count word elided
        if word and (word in product.items or unit_classes(word) & product.items or "piece" in unit_classes(word)
                     or unit_classes(word) & SINGLE_ITEMS) \
                and product.per_unit \
                and product.unit not in unit_classes(word) and not (word in COUNT_UNITS and product.unit == "piece") \
                and not _pack_after(tokens, mention, product):
            boxes = value / product.per_unit  # "2 000 boîtes de Petri" sold by the pack of 20
            return (int(boxes), None) if boxes == int(boxes) else (None, "not_whole")
        if word and (word in COUNT_UNITS) and (product.unit in unit_classes(word) or "piece" in unit_classes(word)):
            return _whole(value)
        if roles.get(said.at) == MULTIPLIER or (said.at and tokens[said.at - 1].norm in ("x", "×")
                                                 and tokens[said.at - 1].kind in ("word", "sym")):
            if said.at > mention.first and self._items_named(tokens, range(mention.first, said.at), mention,
                                                                product, value):
                return _in_units_of(value, product.per_unit)  # "sero pipettes 10ml x 400" sold by 50
            return _whole(value)  # "tubes citrate x 4": four of what we sell
        # single items of a product sold by the box: "300 seringues", "40 H7 bulbs", "1,200 gloves"
        counted = self._counts_items(tokens, said, mention, product)
        if not counted and unit is None and product.per_unit and product.per_unit >= 10 and value >= product.per_unit \
                and not mention.via_code and not mention.elliptic and roles.get(said.at) != MULTIPLIER:
            # "Colliers Ø16 .... 300", "20 W5W": a bare count that only makes sense in single items
            counted = value % product.per_unit == 0
        if counted and product.per_unit:
            boxes = value / product.per_unit
            return (int(boxes), None) if boxes == int(boxes) else (None, "not_whole")
        return _whole(value)

    @staticmethod
    def _items_named(tokens: list[Token], span: range, mention: Mention, product: Product, value: float) -> bool:
        """A count of single items: the mention's words in `span` name them (not the sale unit), and
        the figure is a whole number of sale units that no one orders by the sale unit."""
        if not product.per_unit or product.per_unit < 10 or value < product.per_unit or mention.via_code:
            return False
        words = [tokens[t].norm for t in span if t in mention.tokens and tokens[t].kind == "word"]
        if any(w in COUNT_UNITS or w in PACKAGING for w in words):
            return False
        return any(w in product.items for w in words)

    @staticmethod
    def _pack_of(tokens: list[Token], k: int) -> int | None:
        """'paquets de 12' ending the phrase: the 12 it holds."""
        if k + 2 >= len(tokens) or tokens[k + 1].norm not in ("de", "of") or tokens[k + 2].kind != "num":
            return None
        after = tokens[k + 3] if k + 3 < len(tokens) else None
        if after is not None and after.kind == "word":
            return None  # "paquets de 12 blocs": the nested reading takes it
        value = float(tokens[k + 2].norm)
        return int(value) if value == int(value) else None

    def _holds(self, tokens: list[Token], outer: Said, inner: Said) -> bool:
        k = outer.tokens[-1] + 1
        return k + 2 == inner.at and tokens[k].kind == "word" and (tokens[k].norm in PACKAGING or
                                                                   tokens[k].norm in COUNT_UNITS) \
            and tokens[k + 1].norm in ("de", "of", "d")

    def _counts_items(self, tokens: list[Token], said: Said, mention: Mention, product: Product) -> bool:
        if not product.per_unit or _pack_after(tokens, mention, product):
            return False
        k = said.tokens[-1] + 1
        while k < len(tokens) and tokens[k].kind == "word" and tokens[k].norm in ("de", "d", "of", "x"):
            k += 1
        if k < len(tokens) and tokens[k].kind == "word":
            word = tokens[k].norm
            if word in COUNT_UNITS and "piece" not in unit_classes(word):
                return False
            if word in product.items or "piece" in unit_classes(word):
                return True
        # "40 H7 bulbs": the count is said right before the product, whose words count single items
        gap = [t for t in range(said.tokens[-1] + 1, mention.first) if tokens[t].kind != "sym"]
        words = {tokens[t].norm for t in mention.tokens if tokens[t].kind == "word"} | set(mention.borrowed)
        if said.at > mention.last and any(tokens[t].norm in ANAPHORA for t in range(mention.last + 1, said.at)):
            # "des boîtes à bûche ? il m'en faut 400": counted in what was named, the boxes
            return bool(words & product.items)
        if said.tokens[-1] > mention.last or any(tokens[t].norm not in STOP for t in gap):
            return bool(mention.elliptic and set(mention.borrowed) & product.items
                        and not _counted_in_packs_before(tokens, said.at))
        if mention.elliptic and _counted_in_packs_before(tokens, said.at):
            return False  # "10 boxes of latex gloves size M and 10 size L": boxes again
        return bool(words & product.items)

    def _nested_content(self, tokens: list[Token], k: int, product: Product,
                        attributes: frozenset[int] = frozenset()) -> float | None:
        """'3 cartons de 4 bidons', '2 boîtes de 50 paires', '3 paquets de gants (par 12 paires)': the count
        inside, in sale units."""
        if k + 2 >= len(tokens) or tokens[k + 1].norm not in ("de", "of", "d"):
            return self._bracketed_content(tokens, k, product)
        inner = tokens[k + 2]
        if inner.kind == "word":
            return self._bracketed_content(tokens, k, product)
        if inner.kind != "num" or "." in inner.norm or k + 2 in attributes:
            return None  # "2 pallets of 15 blocks": 15 is the block, not the pallet
        after = tokens[k + 3] if k + 3 < len(tokens) else None
        if after is not None and after.kind == "word" and (product.unit in unit_classes(after.norm)
                                                          or after.norm in product.items):
            if after.norm in product.items and product.per_unit and product.unit not in unit_classes(after.norm):
                return float(inner.norm) / product.per_unit
            return float(inner.norm)
        return None

    def _sets_apart(self, product: Product, word: str) -> bool:
        """A word of the product that its siblings (same noun) have not: a colour, a variant ("bleue")."""
        key = f"w:{word}"
        if key not in product.vocab or not product.noun or key == product.noun:
            return False
        postings = self.index.postings
        return bool(set(postings.get(product.noun, ())) - set(postings.get(key, ())))

    @staticmethod
    def _bracketed_content(tokens: list[Token], k: int, product: Product) -> float | None:
        """'3 paquets de gants docker (par 12 paires)': what one of them holds, said in brackets after the
        product on its line (not '(soit 36 paires)', which says the total again)."""
        for j in range(k + 1, min(len(tokens) - 3, k + 14)):
            if tokens[j].line_break:
                return None
            if tokens[j].raw != "(":
                continue
            by, figure, unit = tokens[j + 1], tokens[j + 2], tokens[j + 3]
            if by.norm in ("par", "de", "of", "by", "x") and figure.kind == "num" and "." not in figure.norm \
                    and unit.kind == "word" and product.unit in unit_classes(unit.norm):
                return float(figure.norm)
            return None
        return None

    def _sold_measures(self, seg: Segmented, product: Product | None, tokens_in: set[int], claimed: set[int],
                       mention: Mention) -> list[int]:
        """'65 m de 3G2,5', '40 litres de peinture teintée': a measure of what is sold by that measure."""
        if product is None:
            return []
        dimension = {"litre": "vol", "metre": "len", "kg": "mass"}.get(product.unit)
        if dimension is None:  # "300 m de fil" sold by the 100 m coil: a length it is sold in
            dimension = next((d for d in ("len", "area", "vol", "mass") if d in product.content), None)
        if dimension is None:
            return []
        out = []
        tokens = seg.tokens
        for i in tokens_in:
            if i in claimed or i in mention.attributes or tokens[i].kind != "num" or i + 1 >= len(tokens):
                continue
            unit = tokens[i + 1].norm
            if unit in MEASURE_UNITS and MEASURE_UNITS[unit][0] == dimension and tokens[i + 1].glued is not None:
                value = f"m:{dimension}:{_clean(float(tokens[i].norm) * MEASURE_UNITS[unit][1])}"
                if value not in product.vocab:
                    out.append(i)
        return out

    def _measure_quantity(self, seg: Segmented, mention: Mention, product: Product | None, i: int,
                          claimed: set[int]) -> Reading:
        claimed.add(i)
        if product is None:
            return Reading(mention, None, "missing")
        amount = self._measure_in_sale_units(seg.tokens, i, product)
        if amount is None:
            return Reading(mention, None, "not_whole", float(seg.tokens[i].norm))
        qty, issue = _whole(amount)
        if self._approximate(seg, Said(amount, i, (i,)), []):
            return Reading(mention, None, "approximate", float(seg.tokens[i].norm))
        return Reading(mention, qty, issue, None if issue is None else amount)

    def _measure_in_sale_units(self, tokens: list[Token], i: int, product: Product) -> float | None:
        unit = tokens[i + 1].norm if i + 1 < len(tokens) else ""
        if unit not in MEASURE_UNITS:
            return None
        dimension, factor = MEASURE_UNITS[unit]
        amount = float(tokens[i].norm) * factor
        sold_in = {"litre": ("vol", 1000), "metre": ("len", 1000), "kg": ("mass", 1000)}.get(product.unit)
        if sold_in and sold_in[0] == dimension:
            return amount / sold_in[1]
        per = product.content.get(dimension)
        if per:
            return round(amount / per, 6)
        return None

    # -- checks on the figure ------------------------------------------------------------
    def _approximate(self, seg: Segmented, said: Said, saids: list[Said]) -> bool:
        tokens = seg.tokens
        start = said.tokens[0]
        before = [t for t in tokens[max(0, start - 3): start]]
        if any(t.raw == "~" for t in before[-1:]):
            return True
        for t in reversed(before):  # "environ 30", "about 30", "max. de 30" — not the "mini" of "mini pumps and 10"
            word = strip_accents(t.raw.lower())
            if t.kind == "word" and word in APPROX_BEFORE:
                return True
            if t.kind == "num" or (t.kind == "word" and word not in STOP):
                break
        text_before = seg.text[tokens[start - 2].start if start >= 2 else 0: tokens[start].start].lower()
        if re.search(r"(?:à|a) peu pr[eè]s|au moins|at least|up to|pr[eè]s de|plus ou moins|something like|"
                     r"in the region of|dans les|de l'ordre de", text_before):
            return True
        # ranges: "30 ou 40", "300-400", "8 to 10", "between 20 and 30" (on one line, between two figures)
        end = said.tokens[-1]
        after = seg.text[tokens[end].end: tokens[end].end + 12].split("\n", 1)[0]
        nxt = tokens[end + 1] if end + 1 < len(tokens) else None
        if re.search(r"\b(?:from|de)\s*$", seg.text[max(0, tokens[start].start - 8): tokens[start].start], re.I):
            pass  # "from 20 to 25" is a change, read above
        elif re.match(r"\s?(?:ou|or|à|to|-|–)\s?\d", after, re.I) and nxt is not None and nxt.norm in (
                "ou", "or", "a", "to", "-", "–") and end + 2 < len(tokens) and tokens[end + 2].kind == "num":
            return True
        before_text = seg.text[max(0, tokens[start].start - 12): tokens[start].start].rsplit("\n", 1)[-1]
        prev = tokens[start - 2] if start >= 2 else None
        # (not "Semelle or Ø 26 – 4 paquets": the figure before is the product's own, no quantity)
        if re.search(r"\d\s?(?:ou|or|à|to|-|–)\s?$", before_text, re.I) and prev is not None and prev.kind == "num" \
                and not prev.glued and self._free(prev, tokens, start - 2) \
                and (not saids or any(start - 2 in s.tokens for s in saids)):
            return True
        return bool(re.search(r"(?:entre|between)\s*$", before_text, re.I))

    def _free(self, token: Token, tokens: list[Token], i: int) -> bool:
        """A figure standing alone, not the end of a code ("pla 3048 - 40 pcs")."""
        previous = tokens[i - 1] if i else None
        return previous is None or not (previous.kind == "word" and len(previous.norm) <= 4 and previous.norm.isalpha()
                                        and not previous.glued and previous.norm not in STOP)

    def _restatement(self, seg: Segmented, mention: Mention, product: Product | None, said: Said,
                     saids: list[Said], claimed: set[int], roles: dict[int, str]) -> int | None:
        """'12 filtres (soit 2 cartons)', 'half a pallet (20 sheets)': the figure said again."""
        if product is None:
            return None
        tokens = seg.tokens
        row_end = max(c.end for c in seg.clauses if c.row == seg.clauses[mention.clauses[-1]].row)
        limit = min(seg.clauses[mention.clauses[-1]].end + 12, row_end)
        for s in saids:
            if s.at <= said.at or s.at in claimed or s.at > limit:
                continue
            between = seg.text[tokens[said.tokens[-1]].end: tokens[s.at].start]
            if "\n" in between or len(between) > 60 or re.search(r"[.?!]", re.sub(r"\b(?:i\.e|e\.g)\.", "", between)):
                continue  # another sentence ("i.e." is no full stop)
            figure = tokens[s.at].norm
            if any(k.rsplit(":", 1)[-1] == figure or k.endswith("|" + figure) for k in product.vocab):
                continue  # "10 bags of blue bulk tips (1000)", "6 of the spray ones (750)": the product, not a count
            after = tokens[s.tokens[-1] + 1] if s.tokens[-1] + 1 < len(tokens) else None
            if after is not None and after.kind == "word" and not (
                    after.norm in PACKAGING or product.unit in unit_classes(after.norm) or after.norm in product.items
                    or "piece" in unit_classes(after.norm) or after.norm in _head_words(product)):
                continue  # "(two separate lengths)": not a count of it
            tail = between[-25:]
            if not (re.search(r"\(\s*(?:soit|i\.e\.|=|that'?s|so)?\s*$", tail) or re.search(
                    r"(?:\bsoit|c'est-[àa]-dire|i\.e\.|that'?s(?: for)?|that is|=)\s*$", tail, re.I)):
                continue
            if seg.clause_at(s.at) > seg.clause_at(said.at) + 1:
                continue  # "aiguilles (8 boîtes) et des seringues (2 boîtes)": another product's bracket
            claimed.add(s.at)
            qty, issue = self._in_sale_units(seg, mention, product, s, roles)
            return qty if issue is None else -1
        return None

    def _article_counts(self, tokens: list[Token], said: Said, first: int, mention: Mention) -> bool:
        """'une palette de BA13', 'one 16L drain can', 'un sac de joint': an article that says one."""
        gap = [t for t in range(said.at + 1, first) if tokens[t].kind == "word"]
        return all(tokens[t].norm in COUNT_UNITS or tokens[t].norm in PACKAGING or tokens[t].norm in ("de", "d", "of")
                   for t in gap) and len(gap) <= 3 and first - said.at <= 5

    def _article_before(self, tokens: list[Token], first: int, inside: set[int]) -> bool:
        k = first - 1
        while k in inside and tokens[k].kind == "word" and (tokens[k].norm in COUNT_UNITS or tokens[k].norm in (
                "de", "d", "of")) and k >= first - 3:
            k -= 1
        if k in inside and tokens[k].kind == "sym" and tokens[k].raw in "'’":
            k -= 1
        return k in inside and strip_accents(tokens[k].raw.lower()) in ("un", "une", "a", "an", "one", "single")

    def _text_between(self, tokens: list[Token], a: int, b: int) -> str:
        return self._text[tokens[a].end: tokens[b].start] if self._text is not None else ""

    def _counts_of_other_things(self, tokens: list[Token], saids: list[Said], mention_tokens: set[int]) -> set[int]:
        """'80 véhicules', '4 ponts', '60 cars': figures that count something we do not sell."""
        out = set()
        for s in saids:
            k = s.tokens[-1] + 1
            if any(t in mention_tokens for t in range(k, k + 3)):
                continue  # "6 filt huile master": the product follows
            if k < len(tokens) and "\n" in self._text_between(tokens, s.tokens[-1], k):
                continue  # the next line is another matter
            if self._text is not None and INSTEAD.match(self._text[tokens[s.tokens[-1]].end:].lstrip()):
                continue  # "12 au lieu de 8": a figure changed, not a count of "lieux"
            while k < len(tokens) and tokens[k].kind == "word" and tokens[k].norm in STOP \
                    and tokens[k].norm not in ("de", "d", "of", "en", "pour", "for", "par", "per", "a"):
                k += 1
            if k >= len(tokens) or tokens[k].kind != "word" or k in mention_tokens:
                continue
            word = tokens[k].norm
            if word in COUNT_UNITS or word in PACKAGING or word in HALF or word in self.index.words:
                continue
            if word in TIME_WORDS or tokens[k].raw.lower().endswith(("ment", "ly")):
                continue  # "8 rapidement", "3 by Friday", "60 la semaine prochaine"
            if word in CONJUNCTIONS or word in CORRECTING:
                continue  # "make it 80 because…", "25 pardon": what follows is no thing counted
            if word in ("de", "d", "of", "x", "pour", "for", "en", "more", "plus", "autres", "other", "extra",
                        "supplementaire", "additional", "de plus", "encore", "chacun", "each", "ish", "par", "per",
                        "jeux", "jx", "ex"):
                continue
            if len(word) >= 3 and word.isalpha():
                out.add(s.at)
        return out

    # -- across clauses ------------------------------------------------------------------
    def _follow_up_quantities(self, seg: Segmented, readings: list[Reading], saids: list[Said],
                              claimed: set[int]) -> None:
        """'Avez-vous des gants nitrile L ? Il nous en faudrait 5 boîtes': the next clause's figure."""
        self._counts_in_order(seg, readings, saids, claimed)
        mention_clauses = {ci for r in readings for ci in r.mention.clauses}
        for index, reading in enumerate(readings):
            if reading.qty is not None or reading.issue not in ("missing",):
                continue
            own = set(reading.mention.clauses)
            first_clause, last_clause = min(own), max(own)
            paragraph = seg.clauses[first_clause].paragraph
            next_mention_clause = min((ci for r in readings[index + 1:] for ci in r.mention.clauses
                                       if ci > first_clause and ci not in own), default=len(seg.clauses))
            # from the clause after the mention's first one: a mention may also hold a later clause
            # ("… floor tiles in stock? We would need 40 boxes. … next delivery?")
            for ci in range(first_clause + 1, min(next_mention_clause, last_clause + 4)):
                clause = seg.clauses[ci]
                if ci in own:
                    continue
                if clause.paragraph != paragraph or ci in mention_clauses:
                    break
                here = [s for s in saids if clause.start <= s.at < clause.end and s.at not in claimed]
                # "il m'en faut 15 panneaux pour couler une dalle": the figure counts, not the article
                here = [s for s in here if s.kind != "article"] or here
                product = self.index.products[reading.mention.skus[0]] if len(reading.mention.skus) == 1 else None
                sold = self._sold_measures(seg, product, set(clause.span), claimed, reading.mention)
                if not here and sold:  # "il m'en faudrait 40 m"
                    measured = self._measure_quantity(seg, reading.mention, product, sold[0], claimed)
                    reading.qty, reading.issue, reading.said = measured.qty, measured.issue, measured.said
                    break
                if len(here) != 1 and not (here and CORRECTION.search(self._clause_text(seg, ci))):
                    continue
                said = here[-1]
                after = seg.tokens[said.tokens[-1] + 1] if said.tokens[-1] + 1 < len(seg.tokens) else None
                before = seg.tokens[said.at - 1] if said.at else None
                if (after is None or after.kind != "word") and before is not None and before.kind == "word" \
                        and before.raw[:1].isupper() and not POINTS_BACK.search(self._clause_text(seg, ci)):
                    continue  # "a dental practice in Dublin 4.": a place's figure counts nothing
                claimed.update(s.at for s in here)
                product = self.index.products[reading.mention.skus[0]] if len(reading.mention.skus) == 1 else None
                approximate = said.approximate or self._approximate(seg, said, saids)
                if said.kind == "few" or approximate:
                    reading.qty, reading.issue, reading.said = None, "approximate", said.value
                else:
                    qty, issue = self._in_sale_units(seg, reading.mention, product, said, {})
                    if issue is None and qty == said.value and self._items_again(seg, reading.mention, product, said):
                        qty = int(said.value // product.per_unit)  # "2 ml microtubes? I'll need 1,000 of them"
                    reading.qty, reading.issue, reading.said = qty, issue, None if issue is None else said.value
                if EACH.search(self._clause_text(seg, ci)):
                    self._share(readings, index, reading, seg)
                break

    def _counts_in_order(self, seg: Segmented, readings: list[Reading], saids: list[Said], claimed: set[int]) -> None:
        """'Do you have the M520 pedals and the 155 mm saddle? We're looking at 10 pairs and 5 saddles': as
        many counts in the next sentence, naming no product, as products named without one, in their order."""
        open_ = [r for r in readings if r.qty is None and r.issue == "missing" and len(r.mention.skus) == 1
                 and not r.mention.removed]
        if len(open_) < 2:
            return
        sentences = {seg.clauses[ci].sentence for r in open_ for ci in r.mention.clauses}
        if len(sentences) != 1:
            return
        sentence = sentences.pop()
        paragraph = seg.clauses[open_[0].mention.clauses[0]].paragraph
        if any(seg.clauses[ci].sentence == sentence for r in readings if r not in open_ for ci in r.mention.clauses):
            return  # another product of that sentence has its count
        following = [c for c in seg.clauses if c.sentence == sentence + 1 and c.paragraph == paragraph]
        if not following or any(ci for r in readings for ci in r.mention.clauses
                                if seg.clauses[ci].sentence == sentence + 1):
            return
        span = range(following[0].start, following[-1].end)
        counts = [s for s in saids if s.at in span and s.at not in claimed and s.kind != "article"]
        if len(counts) != len(open_) or any(s.approximate or s.kind == "few" for s in counts):
            return
        tokens = seg.tokens
        for reading, said in zip(open_, counts, strict=True):
            product = self.index.products[reading.mention.skus[0]]
            after = tokens[said.tokens[-1] + 1] if said.tokens[-1] + 1 < len(tokens) else None
            # the word after the count, if it names something, names this product, not another
            if after is not None and after.kind == "word" and any(
                    after.norm in (other.items | {other.noun[2:]}) for other in
                    (self.index.products[r.mention.skus[0]] for r in open_ if r is not reading)) \
                    and after.norm not in product.items | {product.noun[2:]}:
                return
        for reading, said in zip(open_, counts, strict=True):
            product = self.index.products[reading.mention.skus[0]]
            qty, issue = self._in_sale_units(seg, reading.mention, product, said, {})
            reading.qty, reading.issue, reading.said = qty, issue, None if issue is None else said.value
            claimed.add(said.at)

    @staticmethod
    def _items_again(seg: Segmented, mention: Mention, product: Product | None, said: Said) -> bool:
        """A bare count of what the mention named as single items ("microtubes", sold by the bag of
        500), in whole sale units: "1,000 of them" is two bags."""
        if product is None or not product.per_unit or said.value < product.per_unit \
                or said.value % product.per_unit or said.value != int(said.value):
            return False
        tokens = seg.tokens
        k = said.tokens[-1] + 1
        while k < len(tokens) and tokens[k].kind == "word" and tokens[k].norm in ("of", "d", "de"):
            k += 1
        if k < len(tokens) and tokens[k].kind == "word" and tokens[k].norm not in ANAPHORA \
                and tokens[k].norm not in TIME_WORDS and tokens[k].norm not in ("for", "pour"):
            return False  # a word of its own says what is counted
        words = {tokens[t].norm for t in mention.tokens if tokens[t].kind == "word"}
        return bool(words & product.items) and not any(product.unit in unit_classes(w) for w in words)

    def _split_total(self, seg: Segmented, readings: list[Reading]) -> None:
        """'500 boxes of nitrile gloves, sizes M and L split 50/50': one total shared by the variants."""
        by_sentence: dict[int, list[Reading]] = defaultdict(list)
        for reading in readings:
            if reading.mention.tokens and not reading.mention.removed:
                by_sentence[seg.clauses[reading.mention.clauses[0]].sentence].append(reading)
        for sentence, group in by_sentence.items():
            text = " ".join(self._clause_text(seg, ci) for ci, c in enumerate(seg.clauses) if c.sentence == sentence)
            if len(group) < 2 or not SPLIT.search(text):
                continue
            said = [r for r in group if r.qty is not None]
            if len(said) != 1 or any(r.issue not in (None, "missing") for r in group):
                continue
            total, n = said[0].qty, len(group)
            for reading in group:
                reading.mention.shared = False  # the split says how many each
                if total % n == 0:
                    reading.qty, reading.issue = total // n, None
                else:
                    reading.qty, reading.issue, reading.said = None, "not_whole", total

    def _per_each(self, seg: Segmented, readings: list[Reading]) -> None:
        """'Pour chacune de nos 4 résidences : 1 chauffe-eau et 2 groupes', 'to EACH of our two gîtes'."""
        for m in PER_EACH.finditer(seg.text):
            word = m.group(1).lower()
            factor = int(word) if word.isdigit() else SMALL_NUMBERS.get(word)
            if not factor or factor > 50:
                continue
            at = next((i for i, t in enumerate(seg.tokens) if t.start >= m.start()), None)
            if at is None:
                continue
            here = next((c for c in seg.clauses if c.start <= at < max(c.end, c.start + 1)), None)
            if here is None:
                continue
            ends_list = seg.text[m.end():].lstrip().startswith(":") or re.match(r"[^\n]*:\s*$", seg.text[m.end():].split(
                "\n", 1)[0])
            for reading in readings:
                clause = seg.clauses[reading.mention.clauses[0]]
                same = clause.sentence == here.sentence or (ends_list and clause.paragraph in (here.paragraph,
                                                                                                here.paragraph + 1))
                if same and reading.qty is not None and reading.at is not None \
                        and not m.start() <= seg.tokens[reading.at].start < m.end():  # not "nos 3 sites" itself
                    reading.qty *= factor

    def _corrections(self, seg: Segmented, readings: list[Reading], saids: list[Said], claimed: set[int],
                     roles: dict[int, str]) -> None:
        """'30... non pardon, 40', 'make it 25' on the next line: the corrected figure, for the same product."""
        tokens = seg.tokens
        for index, reading in enumerate(readings):
            if reading.at is None:
                continue
            limit = readings[index + 1].mention.first if index + 1 < len(readings) else len(tokens)
            paragraph = seg.clauses[reading.mention.clauses[-1]].paragraph
            later = [s for s in saids if reading.at < s.at < limit and s.at not in claimed
                     and _paragraph(seg, s.at) == paragraph]
            for said in later:
                between = seg.text[tokens[reading.at].end: tokens[said.at].start]
                if "\n\n" in between or len(between) > 120 or not CORRECTION.search(between):
                    continue
                claimed.add(said.at)
                product = self.index.products[reading.mention.skus[0]] if len(reading.mention.skus) == 1 else None
                qty, issue = self._in_sale_units(seg, reading.mention, product, said, roles)
                if said.approximate or self._approximate(seg, said, saids):
                    qty, issue = None, "approximate"
                reading.qty, reading.issue, reading.at = qty, issue, said.at
                reading.said = None if issue is None else said.value

    def _look_back(self, seg: Segmented, readings: list[Reading], saids: list[Said], claimed: set[int]) -> None:
        """'requote with 30 tyres instead of 20 — same 215/65 R16C': the figure said just before."""
        mention_clauses = {ci for r in readings for ci in r.mention.clauses}
        for reading in readings:
            if reading.qty is not None or reading.issue != "missing":
                continue
            first = min(reading.mention.clauses)
            ci = first - 1
            if ci < 0 or ci in mention_clauses:
                continue
            clause = seg.clauses[ci]
            if clause.sentence != seg.clauses[first].sentence:
                continue
            own = seg.clauses[first]
            if any(seg.tokens[t].norm in PACKAGING or seg.tokens[t].norm in COUNT_UNITS
                   for t in range(own.start, reading.mention.first)):
                continue  # "…, les 10 racks de filtrées 200 et le carton de Falcon 50": counted in its own words
            here = [s for s in saids if clause.start <= s.at < clause.end and s.at not in claimed]
            if not here:
                continue
            said = here[0]
            claimed.update(s.at for s in here)
            product = self.index.products[reading.mention.skus[0]] if len(reading.mention.skus) == 1 else None
            if said.approximate or self._approximate(seg, said, saids):
                reading.qty, reading.issue, reading.said = None, "approximate", said.value
                continue
            qty, issue = self._in_sale_units(seg, reading.mention, product, said, {})
            reading.qty, reading.issue, reading.at = qty, issue, said.at

    def _share(self, readings: list[Reading], index: int, source: Reading, seg: Segmented) -> None:
        sentence = seg.clauses[source.mention.clauses[0]].sentence
        paragraph = seg.clauses[source.mention.clauses[0]].paragraph
        for position, other in enumerate(readings):
            here = seg.clauses[other.mention.clauses[0]]
            if other.qty is None and other.issue == "missing" and (here.sentence == sentence or (
                    here.paragraph == paragraph and position < index)):
                other.qty, other.issue, other.said = source.qty, source.issue, source.said

    def _each_and_same(self, seg: Segmented, readings: list[Reading]) -> None:
        """'autant pour Clio 5', 'même chose en EDTA 4', '10 of each': a figure said once for several."""
        mention_clauses = {ci for r in readings for ci in r.mention.clauses}
        for ci, clause in enumerate(seg.clauses):
            # "10 of each please:" above a list: every line of the list below
            if ci in mention_clauses or not EACH.search(self._clause_text(seg, ci)):
                continue
            figures = [t for t in clause.span if seg.tokens[t].kind == "num" and "." not in seg.tokens[t].norm]
            if len(figures) != 1:
                continue
            value = float(seg.tokens[figures[0]].norm)
            below = [r for r in readings if min(r.mention.clauses) > ci and r.qty is None and r.issue == "missing"
                     and seg.clauses[min(r.mention.clauses)].paragraph == clause.paragraph]
            for reading in below:
                reading.qty, reading.issue = _whole(value)
                if reading.qty is None:
                    reading.said = value
        for index, reading in enumerate(readings):
            if reading.qty is not None or reading.issue not in ("missing",) or not index:
                continue
            text = " ".join(self._clause_text(seg, ci) for ci in reading.mention.clauses)
            if SAME_AGAIN.search(text):
                previous = readings[index - 1]
                reading.qty, reading.issue, reading.said = previous.qty, previous.issue, previous.said
        for index, reading in enumerate(readings):
            text = " ".join(self._clause_text(seg, ci) for ci in reading.mention.clauses)
            if reading.qty is not None and EACH.search(text):
                self._share(readings, index, reading, seg)

    def _each_of_several(self, seg: Segmented, readings: list[Reading]) -> list[Reading]:
        """'5 bags of each of your dark couvertures', '5 cases of each size': a name that fits a few products,
        with a count for each of them, is one line per product (a name that fits many is still asked)."""
        out = []
        for reading in readings:
            mention = reading.mention
            text = " ".join(self._clause_text(seg, ci) for ci in mention.clauses)
            if mention.certain or not 2 <= len(mention.skus) <= 6 or reading.qty is None or reading.issue \
                    or not EACH.search(text) or mention.removed:
                out.append(reading)
                continue
            for sku in mention.skus:
                product = self.index.products[sku]
                out.append(Reading(replace(mention, skus=(sku,), certain=True), reading.qty if
                                   product.entry.unit == self.index.products[mention.skus[0]].entry.unit else None,
                                   None, None, reading.at))
        return out

    def _clause_text(self, seg: Segmented, ci: int) -> str:
        clause = seg.clauses[ci]
        if clause.start >= clause.end:
            return ""
        return seg.text[seg.tokens[clause.start].start: seg.tokens[clause.end - 1].end]

    def _removed(self, seg: Segmented, mention: Mention) -> bool:
        text = " ".join(self._clause_text(seg, ci) for ci in mention.clauses)
        return bool(REMOVAL.search(text))

    def _replaced(self, seg: Segmented, mention: Mention, previous: int = -1) -> bool:
        """'40 poches de 5 L (à la place des 240 briques de 1 L)': what the line replaces is not wanted.

        Not when a figure comes first ("12 au lieu de 8 pour les batteries": the batteries, 12)."""
        clause = seg.clauses[mention.clauses[0]]
        begin = max(clause.start, previous + 1)
        if not mention.tokens or begin >= mention.first:
            return False
        start = seg.tokens[begin].start
        before = seg.text[start: seg.tokens[mention.first].start]
        found = list(INSTEAD.finditer(before))
        if not found:
            return False
        # only figures and counting words between ("au lieu de 8 mettez 12 boîtes" is no replacement)
        opens, after = start + found[-1].start(), start + found[-1].end()
        if any(t.kind == "num" for t in seg.tokens[begin: mention.first] if t.end <= opens):
            return False
        return all(t.kind != "word" or t.norm in STOP or t.norm in COUNT_UNITS or t.norm in PACKAGING
                   for t in seg.tokens[begin: mention.first] if t.start >= after)

    def _cancelled(self, seg: Segmented, mention: Mention) -> bool:
        text = " ".join(self._clause_text(seg, ci) for ci in mention.clauses)
        return bool(CANCEL_LINE.search(text)) and not CORRECTION.search(text) and not INSTEAD.search(text)

    def _minimum(self, reading: Reading) -> None:
        if reading.qty is None or len(reading.mention.skus) != 1 or not reading.mention.certain:
            return
        minimum = self.index.products[reading.mention.skus[0]].entry.min_order_qty
        if minimum > 1 and reading.qty < minimum:
            reading.issue = "below_minimum"


def _clean(amount: float) -> str:
    rounded = round(amount, 4)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:g}"


def _paragraph(seg: Segmented, token: int) -> int:
    for clause in seg.clauses:
        if clause.start <= token < clause.end:
            return clause.paragraph
    return -1


def _in_units_of(value: float, per_unit: int) -> tuple[int | None, str | None]:
    """Single items in sale units, when they make a whole number of them."""
    units = value / per_unit
    return (int(units), None) if units == int(units) else (None, "not_whole")


def _whole(value: float) -> tuple[int | None, str | None]:
    if value <= 0:
        return None, "missing"
    if abs(value - round(value)) < 1e-6:
        return round(value), None
    return None, "not_whole"


def _head_words(product: Product) -> set[str]:
    return {k[2:] for k in product.heads if k.startswith("w:")}


def _pack_after(tokens: list[Token], mention: Mention, product: Product | None = None) -> bool:
    """'20 sponge packs', '50 bin bags 100L rolls': a pack word closes the product, so the count is of packs.
    '2 insulated screwdriver sets': the product's own sale unit, said in the mention, is what is counted."""
    if product is not None and any(tokens[t].kind == "word" and product.unit in unit_classes(tokens[t].norm)
                                   for t in mention.tokens if t > mention.first):
        return True
    k = mention.last + 1
    while k < len(tokens) and tokens[k].glued and tokens[k].kind != "sym":
        k += 1  # the rest of "100L"
    if k >= len(tokens) or tokens[k].kind != "word" or tokens[k].line_break:
        return False
    classes = unit_classes(tokens[k].norm)
    return bool(classes) and "piece" not in classes and tokens[k].norm not in PACKAGING


def _right_after_last_correction(seg: Segmented, tokens: list[Token], later: list[Said]) -> Said:
    """'8, actually make it 80 because the minimum is 20': the figure the last correction says."""
    for said in reversed(later):
        before = later[later.index(said) - 1] if later.index(said) else None
        start = tokens[before.tokens[-1]].end if before is not None else None
        if before is None or CORRECTION.search(seg.text[start:tokens[said.at].start]):
            return said
    return later[-1]


def _has_count_word(tokens: list[Token], said: Said) -> bool:
    k = said.tokens[-1] + 1
    return k < len(tokens) and tokens[k].kind == "word" and bool(unit_classes(tokens[k].norm)
                                                                 or tokens[k].norm in PACKAGING)


def _counted_in_packs_before(tokens: list[Token], at: int) -> bool:
    """The figure said before this one, in the same sentence, counted packs ("10 boxes of …")."""
    for i in range(at - 1, max(-1, at - 25), -1):
        if tokens[i].raw in ".?!\n":
            return False
        if tokens[i].kind == "num":
            k = i + 1
            if k < len(tokens) and tokens[k].norm == "x":
                k += 1
            if k < len(tokens) and tokens[k].kind == "word":
                classes = unit_classes(tokens[k].norm)
                return (bool(classes) and "piece" not in classes) or tokens[k].norm in PACKAGING
            return False
    return False


def _code_starts(tokens: list[Token], k: int, product: Product) -> bool:
    """The product's code begins at token k ("MAS" of "MAS-FFP3V-10")."""
    return compact(product.sku).startswith(tokens[k].norm.lower()) and bool(tokens[k].norm)
