"""The shortcuts taken for speed answer exactly what the long way answers.

Each one skips work that cannot change the result (a regex that cannot match, a candidate that
cannot reach the top): these tests hold them to that, on every message of our labelled sets and
on texts written to sit at the edges.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from intents import cues, splits
from intents.link import _most_said

DATA = Path(__file__).resolve().parents[2] / "data"


def _texts() -> list[str]:
    files = [DATA / "intents_dev.jsonl", DATA / "intents_alt.jsonl", *sorted(DATA.glob("*/messages.jsonl"))]
    out = []
    for path in files:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(json.loads(line)["text"])
    return out


TEXTS = _texts()
EDGES = [
    "je commande, commandez, ne pas commander ; annule et remplace la commande",
    "merci merci beaucoup : thanks thanks a lot",
    "out of office out of the office",
    "",
    "ab",
]


def test_the_labelled_sets_are_there() -> None:
    assert len(TEXTS) > 1000


def test_the_literal_trie_finds_every_literal_a_substring_scan_finds() -> None:
    for text in [*TEXTS, *EDGES]:
        lowered = text.lower()
        expected = frozenset(lit for lit in cues._LITERALS.words if lit in lowered)
        assert cues._present(lowered) == expected, text[:80]


def test_a_literal_inside_a_longer_one_is_found() -> None:
    # every literal said on its own, and glued inside a longer word
    for lit in cues._LITERALS.words:
        assert lit in cues._present(lit)
        assert lit in cues._present("x" + lit + "x")


@pytest.mark.parametrize("name", ["EACH_AFTER", "EACH_SIZES"])
def test_each_patterns_match_only_where_each_is_said(name: str) -> None:
    pattern = getattr(splits, name)
    for text in TEXTS:
        if pattern.search(text):
            lowered = text.lower()
            assert "each" in lowered or "chaque" in lowered or "chacun" in lowered, text[:80]


def test_halves_match_only_where_a_half_is_said() -> None:
    for text in TEXTS:
        if splits.HALVES.search(text):
            assert "half" in text.lower() or "moiti" in text.lower()


def test_a_listed_family_needs_parts_after_its_colon() -> None:
    for text in [*TEXTS, "gants nitrile 4121X : 24 paires en taille 9 et 12 paires en 10"]:
        if splits.LISTED.search(text):
            assert splits.LISTED_PARTS.search(text), text[:80]


def test_a_listed_family_is_still_written_out() -> None:
    out = splits.expand_splits("gants enduits nitrile 4121X : 24 paires en taille 9 et 12 paires en 10")
    assert "24 paires gants enduits nitrile 4121X taille 9" in out
    assert "12 paires gants enduits nitrile 4121X taille 10" in out


def test_the_most_said_are_those_a_full_sort_ranks_first() -> None:
    weights = {"w:a": 1.0, "w:b": 0.5, "w:c": 0.25, "w:d": 0.1 + 0.2, "w:e": 0.3}
    matched = [(f"SKU-{i:03d}", frozenset(keys)) for i, keys in enumerate(
        [("w:a",), ("w:b",), ("w:a", "w:b"), ("w:c",), ("w:d",), ("w:e",)] * 20)]
    for limit in (1, 5, 20, 21, 60, 119, 200):
        got = _most_said(matched, weights.__getitem__, limit)
        full = sorted(matched, key=lambda m: (-round(sum(weights[k] for k in m[1]), 9), m[0]))[:limit]
        assert got == full


def test_a_tie_to_the_last_bit_is_broken_by_sku() -> None:
    # 0.1 + 0.2 is not 0.3 to the last bit: the two are one tie, ranked by SKU
    weights = {"w:d": 0.1 + 0.2, "w:e": 0.3}
    matched = [("B", frozenset({"w:d"})), ("A", frozenset({"w:e"})), ("C", frozenset({"w:d"}))]
    assert [sku for sku, _ in _most_said(matched, weights.__getitem__, 2)] == ["A", "B"]


def test_a_pattern_is_skipped_only_when_no_match_could_start() -> None:
    from intents import masks

    for text in [*TEXTS, "Livraison mardi 12 au bâtiment 4, BC n° 4471, 3 boîtes de 100"]:
        if not any(t.isdigit() for t in text):
            continue
        lowered = text.lower()
        if len(lowered) != len(text):
            continue
        present = masks._OPENED.present(lowered)
        for pattern, opening in zip(masks.UNCASED, masks._OPENINGS, strict=True):
            if opening is not None and opening.isdisjoint(present):
                assert pattern.search(lowered) is None, (pattern.pattern[:60], text[:80])


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\b(?:mardi|lundi)\s+\d+", {"mardi", "lundi"}),
    (r"\bbo[iî]tes?\s+de", {"boite", "boîte"}),
    (r"(?<![/\d])\bthe\s+\d", {"the"}),
    (r"\d+\s*h", None),  # a figure can be anywhere
    (r"(?:abc)?def", None),  # an optional opening opens nothing for sure
    (r"\b(?:en|in|)\s+2000", None),  # nor does an empty alternative
    (r"[A-Z]{2}-\d+", None),
])
def test_openings(pattern: str, expected: set[str] | None) -> None:
    from intents.literals import openings

    assert openings(pattern) == (frozenset(expected) if expected is not None else None)


def test_a_pattern_that_opens_with_a_digit_finds_the_same_tried_only_where_digits_start():
    from intents import masks

    pairs = [(p, d) for p, d in zip(masks.CASED, masks._CASED_DIGIT, strict=True) if d]
    pairs += [(p, d) for p, d in zip(masks.UNCASED, masks._UNCASED_DIGIT, strict=True) if d]
    assert len(pairs) > 10
    for text in [*TEXTS, "le 12/03 à 10h30, 3 x 1 200 € HT, tél. 01 23 45 67 89, 44100 Nantes, 5 %"]:
        starts = [m.start() for m in masks._DIGIT_STARTS.finditer(text)]
        for subject in (text, text.lower()):
            for pattern, _ in pairs:
                assert masks._spans(pattern, subject, starts) == [m.span() for m in pattern.finditer(subject)]


@pytest.mark.parametrize(("pattern", "expected"), [
    (r"\b\d{5}\s+[A-Z]", True),
    (r"(?<![/\d])\b(?:[01]?\d|2[0-3])h", True),
    (r"\b(?:1[0-2]|0?[1-9])\s?(?:am|pm)\b", True),
    (r"\b\d+-bed\b|\b\d+\s*fois\b", True),
    (r"\b[A-Z]{2}\d+", False),  # letters first
    (r"(?:€|\$)\s?\d", False),  # a currency first
    (r"\d{4}", False),  # no boundary: it may start inside a run of digits
    (r"\b(?:\d+|x)\s", False),
])
def test_starts_with_word_digit(pattern: str, expected: bool) -> None:
    from intents.literals import starts_with_word_digit

    assert starts_with_word_digit(pattern) is expected


def test_the_products_looked_at_for_a_bare_figure_are_all_those_that_have_it():
    from intents import Parser
    from tests.unit.intents.conftest import TRADE

    linker = Parser(TRADE).reader.linker
    for sku in linker.index.products:
        for figure in linker.written_by_figure[sku]:
            assert sku in linker._having_figures([figure]), (sku, figure)
    assert "BA13-250" in linker._having_figures(["2.5"])  # "2,50 m" as the name writes it
