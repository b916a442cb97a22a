"""Stage 6 — decide: the intent, its lines and reference, and what to ask before acting.

Asking is cheap, a wrong delivery is not. An order or a quote request asks back when a
product is ambiguous or unknown, when a quantity is missing, approximate, contradictory,
not a whole number of sale units or below the minimum, and when nothing at all can be
read; a stock question asks only about the product. An acceptance or a quote chase asks
"which quote?" when nothing in the message (a number, a product, a date, the quoted
thread) says which. Only the lines of the main request are kept: a stock question asked
"by the way" in an order is answered apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from intents.cues import has
from intents.index import CatalogIndex
from intents.model import LINE_KINDS, Intent, IntentKind, IntentLine
from intents.quantities import CORRECTION, Reading
from intents.read import Read
from intents.refs import Refs

ASKING = frozenset({"approximate", "contradictory", "not_whole", "missing", "below_minimum"})


@dataclass(frozen=True, slots=True)
class Decision:
    kind: IntentKind
    readings: tuple[Reading, ...]


SAME_AGAIN = re.compile(r"\b(?:r[ée]cap|rappel|recap|summary|soit|total|en tout|in total|to confirm|pour confirmer|"
                        r"je confirme|confirming|i\.e\.|c'est-[àa]-dire)\b", re.I)


# a line of its own with no figure, or a line that opens with a label: a site, a section
HEADING = re.compile(r"\n[ \t]*[^\W\d][^\n\d]{2,60}[ \t]*:?[ \t]*\n|\n[ \t]*(?:[-*•·][ \t]*)?[^\W\d][^\n\d:]{1,40}:")


def main_readings(kind: IntentKind, read: Read, body: str) -> list[Reading]:
    """The lines of the main request: removed and duplicate mentions dropped, side questions apart."""
    wanted = [r for r in read.readings if not r.mention.removed]
    # "… et 2 batteries 60 Ah. Finalement, supprimez les batteries": a later removal takes the line away
    # (only when it names one product that was ordered before it, never a guess among several)
    for gone in (r for r in read.readings if r.mention.removed and r.mention.skus):
        before = [r for r in wanted if r.mention.sku and r.mention.sku in gone.mention.skus
                  and r.mention.last < gone.mention.first]
        if len(before) == 1:
            wanted.remove(before[0])
    wanted = _labels_apart(read, _corrected(read, wanted))
    named = {r.mention.sku for r in wanted if r.mention.sku}
    # "13 x 75 mm tubes — do you have the 2 mL EDTA ones": a vague name for a product named for sure elsewhere
    wanted = [r for r in wanted if r.mention.sku or not (set(r.mention.skus) & named) or r.qty is not None]
    seen: dict[str, Reading] = {}
    out: list[Reading] = []
    for reading in wanted:
        sku = reading.mention.sku
        if sku is not None and sku in seen:
            first = seen[sku]
            if first.qty is None and reading.qty is not None:  # "... the Peugeot 208 II one, 1 copy"
                out[out.index(first)] = reading
                seen[sku] = reading
            elif first.qty is not None and reading.qty is not None and first.issue is None \
                    and reading.issue is None and _other_section(read, first, reading):
                # "Hôtel d'Arcachon: eau plate, 10 packs … Hôtel de Biarritz: eau plate, 10 packs": 20
                merged = Reading(first.mention, first.qty + reading.qty, None, None, first.at)
                out[out.index(first)] = merged
                seen[sku] = merged
            continue
        if sku is not None:
            seen[sku] = reading
        out.append(reading)
    if kind in (IntentKind.PLACE_ORDER, IntentKind.REQUEST_QUOTE) and len(out) > 1:
        # "Commandez-moi 2 batteries. Et au passage, vous avez du pneu hiver en stock ?"
        sentences = {id(r): _sentence_text(read, r) for r in out}
        side = [r for r in out if r.qty is None and has("stock", sentences[id(r)]) and "?" in sentences[id(r)]
                and not has("order", sentences[id(r)]) and not has("quote", sentences[id(r)])]
        if side and len(side) < len(out):
            out = [r for r in out if r not in side]
        # "Je compare avec le fût": a product named in passing, with no request and no figure
        remarks = [r for r in out if r.qty is None and r.issue == "missing" and not r.mention.via_code
                   and not any(has(c, sentences[id(r)]) for c in ("order", "quote", "stock", "question"))
                   and any(o.qty is not None for o in out if o is not r)]
        out = [r for r in out if r not in remarks]
    if kind is IntentKind.CHECK_STOCK and len(out) > 1:
        sentences = {id(r): _sentence_text(read, r) for r in out}
        side = [r for r in out if has("quote", sentences[id(r)]) and not has("stock", sentences[id(r)])]
        if side and len(side) < len(out):
            out = [r for r in out if r not in side]
    return out


def _corrected(read: Read, readings: list[Reading]) -> list[Reading]:
    """'1 carton de 16A... non finalement 2 cartons de 16A', '5 RCDs 63A, actually make that 6 RCDs':
    the product said again after a correction takes the new figure."""
    out: list[Reading] = []
    for reading in readings:
        earlier = next((r for r in reversed(out) if r.mention.sku and r.mention.sku in reading.mention.skus), None)
        if earlier is not None and reading.qty is not None:
            between = read.seg.text[read.seg.tokens[earlier.mention.last].end:read.seg.tokens[reading.mention.first].start]
            if CORRECTION.search(between) and len(between) < 120:
                out[out.index(earlier)] = Reading(earlier.mention, reading.qty, reading.issue, reading.said, reading.at)
                continue
        out.append(reading)
    return out


def _labels_apart(read: Read, readings: list[Reading]) -> list[Reading]:
    """'- Bordeaux : 6 magnums de champagne brut': the word before the colon labels the line (a
    site, a team), the product is after it and the figure is its."""
    tokens, text = read.seg.tokens, read.seg.text
    out = list(readings)
    for label, product in pairwise(readings):
        if label.qty is None or product.qty is not None or label.at is None or not label.mention.tokens \
                or not product.mention.tokens or product.mention.sku is None:
            continue
        between = text[tokens[label.mention.last].end:tokens[product.mention.first].start]
        colon = text.find(":", tokens[label.mention.last].end, tokens[product.mention.first].start)
        if "\n" in between or colon < 0 or tokens[label.at].start < colon:
            continue
        line_start = text.rfind("\n", 0, tokens[label.mention.first].start) + 1
        if re.search(r"\d", text[line_start:tokens[label.mention.first].start]):
            continue
        if label in out and product in out:
            out[out.index(product)] = Reading(product.mention, label.qty, label.issue, label.said, label.at)
            out.remove(label)
    return out


def _other_section(read: Read, first: Reading, second: Reading) -> bool:
    """Two lines of one product under two headings of a consolidated order (another paragraph,
    each with lines of its own), not the same line said again."""
    seg = read.seg
    one = seg.clauses[first.mention.clauses[0]].paragraph
    two = seg.clauses[second.mention.clauses[0]].paragraph
    between = seg.text[seg.tokens[first.mention.last].end:seg.tokens[second.mention.first].start]
    if one == two and not HEADING.search(between):
        return False
    return not CORRECTION.search(between) and not SAME_AGAIN.search(between)


def _sentence_text(read: Read, reading: Reading) -> str:
    seg = read.seg
    sentence = seg.clauses[reading.mention.clauses[0]].sentence
    spans = [c for c in seg.clauses if c.sentence == sentence and c.start < c.end]
    if not spans:
        return ""
    return seg.text[seg.tokens[spans[0].start].start: seg.tokens[spans[-1].end - 1].end + 1]


def lines_of(readings: list[Reading]) -> list[IntentLine]:
    out = []
    for reading in readings:
        mention = reading.mention
        said = int(reading.said) if reading.said and reading.said == int(reading.said) else None
        if mention.sku is not None:
            # below the minimum order: the order handler proposes the minimum itself
            out.append(IntentLine(mention.sku, reading.qty, mention.text, (), reading.issue == "approximate",
                                  issue=reading.issue, said=said))
        else:
            out.append(IntentLine(None, reading.qty, mention.text, tuple(mention.skus), False, issue=reading.issue,
                                  said=said))
    return out


def choose_ref(kind: IntentKind, refs: Refs) -> str | None:
    quote, order = refs.first("D"), refs.first("C")
    if kind in (IntentKind.QUOTE_STATUS, IntentKind.ACCEPT_QUOTE):
        return quote or order
    if kind is IntentKind.ORDER_STATUS:
        return order or quote
    if kind is IntentKind.PLACE_ORDER:
        return quote or order
    if kind is IntentKind.REQUEST_QUOTE:
        return quote or order
    return order or quote


def needs_asking(kind: IntentKind, lines: list[IntentLine], *, ref: str | None, identified: bool,
                 unread_repeat: bool = False) -> bool:
    if kind is IntentKind.PLACE_ORDER and unread_repeat:
        return True  # "la même commande que le mois dernier": which lines, we cannot read
    if kind in LINE_KINDS:
        if not lines:
            return not (ref and ref.startswith("D") and kind is not IntentKind.CHECK_STOCK)
        if any(line.sku is None for line in lines):
            return True
        if kind is IntentKind.CHECK_STOCK:
            return False
        return any(line.qty is None or line.issue in ASKING for line in lines)
    if kind in (IntentKind.ACCEPT_QUOTE, IntentKind.QUOTE_STATUS):
        return not ref and not identified
    return False


def questions(kind: IntentKind, lines: list[IntentLine], index: CatalogIndex, lang: str, *, ref: str | None,
              identified: bool) -> list[str]:
    fr = lang == "fr"
    out: list[str] = []
    if kind in LINE_KINDS and not lines and not (ref and ref.startswith("D") and kind is not IntentKind.CHECK_STOCK):
        out.append({
            IntentKind.PLACE_ORDER: ("Quels produits et quelles quantités souhaitez-vous commander ?",
                                     "Which products and quantities would you like to order?"),
            IntentKind.REQUEST_QUOTE: ("Pour quels produits et quelles quantités souhaitez-vous un devis ?",
                                       "Which products and quantities should the quote cover?"),
            IntentKind.CHECK_STOCK: ("De quel produit exactement souhaitez-vous connaître le stock ?",
                                     "Which product exactly would you like the stock of?"),
        }[kind][0 if fr else 1])
    for line in lines:
        if line.sku is None and len(line.candidates) == 1:
            # one product comes close, not close enough: a yes or no, not a choice of one
            name = index.entry(line.candidates[0]).name
            out.append(f"Pour « {line.text} », s'agit-il de « {name} » ({line.candidates[0]}) ?" if fr else
                       f"For \"{line.text}\", do you mean \"{name}\" ({line.candidates[0]})?")
        elif line.sku is None and line.candidates:
            names = " ; ".join(index.entry(s).name for s in line.candidates[:6])
            out.append(f"Pour « {line.text} », lequel voulez-vous : {names} ?" if fr else
                       f"For \"{line.text}\", which one do you mean: {names.replace(' ; ', '; ')}?")
        elif line.sku is None:
            out.append(f"Je ne trouve pas « {line.text} » dans notre catalogue : pouvez-vous préciser la référence ?"
                       if fr else f"I cannot find \"{line.text}\" in our catalogue: could you give the reference?")
        elif kind is IntentKind.CHECK_STOCK:
            continue
        else:
            name = index.entry(line.sku).name
            unit = index.entry(line.sku).unit or ("unité" if fr else "unit")
            if line.issue == "approximate":
                out.append(f"Combien de « {name} » exactement (vous parlez d'environ {line.said}) ?" if fr and line.said
                           else f"Combien de « {name} » exactement ?" if fr else
                           f"How many \"{name}\" exactly{f' (you said about {line.said})' if line.said else ''}?")
            elif line.issue == "contradictory":
                out.append(f"Les quantités indiquées pour « {name} » ne concordent pas : combien en {unit} ?" if fr else
                           f"The quantities given for \"{name}\" do not agree: how many, in {unit}?")
            elif line.issue == "not_whole":
                out.append(f"« {name} » se vend par {unit} : combien de {_plural_fr(unit)} souhaitez-vous ?" if fr else
                           f"\"{name}\" is sold by the {unit}: how many would you like?")
            elif line.issue == "below_minimum":
                minimum = index.entry(line.sku).min_order_qty
                out.append(f"« {name} » se commande par {minimum} minimum : combien en souhaitez-vous ?" if fr else
                           f"\"{name}\" has a minimum order of {minimum}: how many would you like?")
            elif line.qty is None:
                out.append(f"Quelle quantité de « {name} » vous faut-il ?" if fr else f"How many \"{name}\" do you need?")
    if kind in (IntentKind.ACCEPT_QUOTE, IntentKind.QUOTE_STATUS) and not ref and not identified:
        out.append("De quel devis s'agit-il ? Pouvez-vous m'indiquer son numéro (D-AAAA-NNNN) ?" if fr else
                   "Which quote do you mean? Could you give its number (D-YYYY-NNNN)?")
    return out


def build(kind: IntentKind, readings: list[Reading], index: CatalogIndex, *, refs: Refs, lang: str,
          identified: bool, secondary: IntentKind | None = None, on_behalf: str | None = None,
          discount=None, unread_repeat: bool = False) -> Intent:
    ref = choose_ref(kind, refs)
    lines = lines_of(readings) if kind in LINE_KINDS else []
    clarify = needs_asking(kind, lines, ref=ref, identified=identified, unread_repeat=unread_repeat)
    asked = questions(kind, lines, index, lang, ref=ref, identified=identified) if clarify else []
    if unread_repeat and kind is IntentKind.PLACE_ORDER:
        asked.insert(0, "Pouvez-vous me rappeler les articles et quantités de la commande à renouveler ?" if lang == "fr"
                     else "Could you list the items and quantities of the order to repeat?")
    if clarify and not asked:
        asked = ["Pouvez-vous préciser votre demande ?" if lang == "fr" else "Could you tell me a little more?"]
    return Intent(kind=kind, lines=tuple(lines), ref=ref, clarify=clarify, questions=tuple(asked), lang=lang,
                  on_behalf_of=on_behalf, discount_pct=discount, secondary=secondary)


def _plural_fr(word: str) -> str:
    """'combien de racks', 'combien de rouleaux': the unit after 'combien de' is plural."""
    last = word.split()[-1] if word else word
    if not last or last[-1] in "sxz":
        return word
    return word + ("x" if last.endswith(("eau", "au", "eu")) else "s")
