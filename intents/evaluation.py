"""Labelled sets, training of the intent model, and held-out scoring.

Scoring follows the corpus rules: intent exact; lines as a multiset of (sku, qty), lines
without a SKU left out (they are questions); the clarify flag exact; ref exact. A label's
`alt` lists partial overrides a careful second reader would also accept: a message is
scored against whichever reading (the main one or an alt) it matches best. A *confident
wrong order* is a place_order asked nothing about that carries a line nobody wrote.

Held out means held out: `leave_one_out` trains on every other set and scores the one
left out, so a figure never comes from messages the model was fitted to.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from intents.catalog import CatalogEntry, entries_from_csv
from intents.classify import Abstract, IntentModel, train
from intents.model import LINE_KINDS, Intent, IntentKind

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class LabelledSet:
    name: str
    catalog: list[CatalogEntry]
    messages: list[dict]
    languages: dict[str, str] = field(default_factory=dict)  # contact email -> language
    corpus: bool = False  # one of the shared corpora (reported separately, and in the mean)


def corpus_dir() -> Path:
    return Path(os.environ.get("COMPTOIR_CORPUS_DIR") or ROOT.parent / "shared" / "corpus")


def load_set(name: str, catalog: Path, messages: Path, contacts: Path | None = None, *,
             corpus: bool = False) -> LabelledSet:
    items = [json.loads(line) for line in messages.read_text(encoding="utf-8").splitlines() if line.strip()]
    languages = {}
    if contacts is not None and contacts.exists():
        with contacts.open(encoding="utf-8") as handle:
            languages = {row["email"].lower(): row.get("language") or "" for row in csv.DictReader(handle)}
    return LabelledSet(name, entries_from_csv(catalog), items, languages, corpus)


def corpus_sets() -> list[LabelledSet]:
    base = corpus_dir()
    if not base.exists():
        return []
    return [load_set(d.name, d / "catalog.csv", d / "messages.jsonl", d / "contacts.csv", corpus=True)
            for d in sorted(base.iterdir()) if (d / "messages.jsonl").exists()]


def our_sets() -> list[LabelledSet]:
    data = ROOT / "tests" / "data"
    demo = ROOT / "commerce" / "demo"
    sets = [load_set("dev (demo catalog)", demo / "catalog.csv", data / "intents_dev.jsonl", demo / "contacts.csv"),
            load_set("alt (catering)", data / "alt_catalog.csv", data / "intents_alt.jsonl")]
    for folder in sorted(p for p in data.iterdir() if (p / "messages.jsonl").exists()):
        sets.append(load_set(folder.name, folder / "catalog.csv", folder / "messages.jsonl", folder / "contacts.csv"))
    return sets


def all_sets() -> list[LabelledSet]:
    return corpus_sets() + our_sets()


# -- abstracts and training ------------------------------------------------------------------
def abstracts(labelled: LabelledSet) -> list[tuple[Abstract, str]]:
    from intents.pipeline import Parser

    parser = Parser(labelled.catalog, intent_model=_NoModel())
    out = []
    for item in labelled.messages:
        hint = labelled.languages.get((item.get("from") or "").lower()) or None
        analysis = parser.analyse(item["text"], subject=item.get("subject") or None, lang_hint=hint)
        out.append((analysis.abstract, item["expected"]["intent"]))
    return out


def train_on(sets: Iterable[LabelledSet], *, seed: int = 7,
             cache: dict[str, list[tuple[Abstract, str]]] | None = None) -> IntentModel:
    examples: list[tuple[Abstract, str]] = []
    for labelled in sets:
        if cache is not None and labelled.name in cache:
            examples += cache[labelled.name]
        else:
            found = abstracts(labelled)
            if cache is not None:
                cache[labelled.name] = found
            examples += found
    return train(examples, seed=seed)


def examples_digest(examples: list[tuple[Abstract, str]]) -> str:
    """A fingerprint of what the model learns from: if the parser's stages change what it
    reads, the digest changes and the shipped model must be rebuilt."""
    import hashlib

    digest = hashlib.sha256()
    for abstract, gold in examples:
        digest.update(f"{gold}\t{abstract.text}\n".encode())
    return digest.hexdigest()


class _NoModel:
    """Stands in for the model while abstracts are computed (they do not depend on it)."""

    def probabilities(self, abstract: Abstract) -> dict[str, float]:
        raise RuntimeError("abstracts only")


# -- scoring -----------------------------------------------------------------------------------
@dataclass
class Scores:
    name: str
    messages: int = 0
    intent_ok: int = 0
    lines_ok: int = 0
    ref_ok: int = 0
    clarify: Counter = field(default_factory=Counter)
    wrong_orders: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def intent(self) -> float:
        return self.intent_ok / max(1, self.messages)

    @property
    def lines(self) -> float:
        return self.lines_ok / max(1, self.messages)

    @property
    def ref(self) -> float:
        return self.ref_ok / max(1, self.messages)

    @property
    def precision(self) -> float:
        tp, fp = self.clarify[(True, True)], self.clarify[(False, True)]
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = self.clarify[(True, True)], self.clarify[(True, False)]
        return tp / (tp + fn) if tp + fn else 1.0


def _variants(expected: dict) -> list[dict]:
    base = {k: v for k, v in expected.items() if k != "alt"}
    return [base] + [{**base, **alt} for alt in expected.get("alt") or []]


def _lines(lines: Iterable[dict]) -> Counter:
    return Counter((line.get("sku"), line.get("qty")) for line in lines if line.get("sku"))


def score_one(intent: Intent, expected: dict) -> tuple[bool, bool, bool, bool, dict]:
    got_lines = Counter((line.sku, line.qty) for line in intent.lines if line.sku)
    best = None
    for variant in _variants(expected):
        checks = (intent.kind.value == variant["intent"], got_lines == _lines(variant.get("lines", [])),
                  intent.clarify == bool(variant.get("clarify")), intent.ref == variant.get("ref"))
        if best is None or sum(checks) > sum(best[0]):
            best = (checks, variant)
    (intent_ok, lines_ok, clarify_ok, ref_ok), variant = best
    return intent_ok, lines_ok, clarify_ok, ref_ok, variant


def score(name: str, parse: Callable[[dict], Intent], messages: list[dict], *, keep_failures: bool = False) -> Scores:
    result = Scores(name)
    for item in messages:
        intent = parse(item)
        intent_ok, lines_ok, _clarify_ok, ref_ok, variant = score_one(intent, item["expected"])
        result.messages += 1
        result.intent_ok += intent_ok
        result.lines_ok += lines_ok
        result.ref_ok += ref_ok
        result.clarify[(bool(variant.get("clarify")), intent.clarify)] += 1
        if intent.kind is IntentKind.PLACE_ORDER and not intent.clarify:
            want = _lines(variant.get("lines", [])) if variant["intent"] == "place_order" else Counter()
            got = Counter((line.sku, line.qty) for line in intent.lines if line.sku and line.qty)
            extra = [f"{sku} x {qty}" for (sku, qty), n in got.items() if want[(sku, qty)] < n]
            if extra:
                result.wrong_orders.append(f"{item['id']}: {', '.join(extra)}")
        if keep_failures and not (intent_ok and lines_ok and intent.clarify == bool(variant.get("clarify"))):
            result.failures.append(
                f"{item['id']}: want {variant['intent']} {sorted(_lines(variant.get('lines', [])).items(), key=str)} "
                f"clarify={bool(variant.get('clarify'))} ref={variant.get('ref')} | got {intent.kind.value} "
                f"{sorted(Counter((ln.sku, ln.qty) for ln in intent.lines if ln.sku).items(), key=str)} "
                f"clarify={intent.clarify} ref={intent.ref} {[ln.candidates[:3] for ln in intent.lines if not ln.sku]}"
                f"\n      {item['text'][:220]!r}")
    return result


def parse_with(parser, labelled: LabelledSet) -> Callable[[dict], Intent]:
    def run(item: dict) -> Intent:
        sender = (item.get("from") or "").lower()
        hint = labelled.languages.get(sender) or None
        known = (sender in labelled.languages) if labelled.languages and sender else None
        return parser.parse(item["text"], subject=item.get("subject") or None, lang_hint=hint, sender_known=known)

    return run


def leave_one_out(sets: list[LabelledSet], *, held_out: Iterable[str] | None = None, seed: int = 7,
                  keep_failures: bool = False, progress: Callable[[str], None] | None = None) -> list[Scores]:
    """For each set (or each named one): train on all the others, score it."""
    from intents.pipeline import Parser

    cache: dict[str, list[tuple[Abstract, str]]] = {}
    names = list(held_out) if held_out is not None else [s.name for s in sets]
    out = []
    for name in names:
        target = next(s for s in sets if s.name == name)
        if progress:
            progress(f"training without {name}...")
        model = train_on([s for s in sets if s.name != name], seed=seed, cache=cache)
        parser = Parser(target.catalog, intent_model=model)
        out.append(score(name, parse_with(parser, target), target.messages, keep_failures=keep_failures))
    return out


def table(results: list[Scores], sets: list[LabelledSet]) -> str:
    corpus = {s.name for s in sets if s.corpus}
    rows = [f"{'set':<22} {'msgs':>5} {'intent':>7} {'lines':>7} {'clarify P/R':>12} {'ref':>6} {'wrong orders':>13}"]
    for r in results:
        rows.append(f"{r.name:<22} {r.messages:>5} {r.intent:>7.3f} {r.lines:>7.3f} "
                    f"{r.precision:>6.2f}/{r.recall:<5.2f} {r.ref:>6.3f} {len(r.wrong_orders):>13}")
    held = [r for r in results if r.name in corpus]
    if held:
        n = len(held)
        rows.append(f"{'mean (corpus domains)':<22} {sum(r.messages for r in held):>5} "
                    f"{sum(r.intent for r in held) / n:>7.3f} {sum(r.lines for r in held) / n:>7.3f} "
                    f"{sum(r.precision for r in held) / n:>6.2f}/{sum(r.recall for r in held) / n:<5.2f} "
                    f"{sum(r.ref for r in held) / n:>6.3f} {sum(len(r.wrong_orders) for r in held):>13}")
    return "\n".join(rows)


def line_intents() -> frozenset[str]:
    return frozenset(k.value for k in LINE_KINDS)
