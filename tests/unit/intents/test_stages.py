"""The first stages on their own: clean, segment, features, masks, cues."""

from __future__ import annotations

import re

import pytest

from intents import clean_message
from intents.cues import CUES, _compile
from intents.evaluation import all_sets
from intents.masks import PATTERNS, masked_tokens
from intents.segment import segment
from intents.tokens import CODE, DIM, MEASURE, features, tokenize


def test_clean_keeps_the_quoted_thread_addressable_and_cuts_the_signature():
    cleaned = clean_message("Même commande que ci-dessous svp.\n\nCordialement,\nClaire Martin\nTél. 01 23 45 67 89\n\n"
                            "Le lun. 3 nov. 2026 à 10:12, Comptoir a écrit :\n> 10 ramettes A4")
    assert cleaned.body.strip() == "Même commande que ci-dessous svp."
    assert "10 ramettes A4" in cleaned.quoted
    assert "01 23 45 67 89" not in cleaned.body


@pytest.mark.parametrize("last_line", ["une douzaine de dévidoirs", "deux dévidoirs", "two tape guns"])
def test_a_last_line_that_counts_in_words_is_the_order_not_a_signature(last_line):
    cleaned = clean_message(f"Bonjour,\n\n3 cartons de film manuel 17 µ\n{last_line}\n\nMarc Dupont\nAcheteur")
    assert cleaned.body.endswith(last_line)
    assert "Marc Dupont" in cleaned.signature and "Marc" not in cleaned.body


def test_a_product_code_that_looks_like_a_postcode_in_lower_case_is_an_order_line():
    cleaned = clean_message("Hi,\n- icing sugar 1kg x 10\n- T45 5kg x 4\n\nJames Reed\n14 Mill Lane\nLeeds LS1 4AP")
    assert cleaned.body.endswith("- T45 5kg x 4")
    assert "LS1 4AP" in cleaned.signature


def test_segment_splits_clauses_rows_and_list_items():
    seg = segment("Merci de livrer :\n- 10 ramettes A4\n- 5 classeurs 80 mm, et 2 souris + 1 clavier")
    texts = [" ".join(seg.tokens[t].raw for t in c.span) for c in seg.clauses]
    assert texts == ["Merci de livrer :", "10 ramettes A 4", "5 classeurs 80 mm", "et 2 souris", "1 clavier"]
    assert [c.kind for c in seg.clauses] == ["text", "bullet", "bullet", "bullet", "bullet"]
    assert [c.row for c in seg.clauses] == [0, 1, 2, 2, 2]  # one list item, three clauses
    assert seg.clauses[4].opener == "+"


def test_a_decimal_or_an_abbreviation_does_not_end_a_sentence():
    seg = segment("Il faut env. 30 vis 3.5x25 et 2,5 m de câble.")
    assert len({c.sentence for c in seg.clauses}) == 1


@pytest.mark.parametrize(
    ("text", "key", "role"),
    [
        ("plaque BA13", "c:ba13", CODE),
        ("vis 3,5x25", "d:3.5x25", DIM),
        ("pneu 205/55 R16", "c:r16", CODE),
        ("huile 5W30", "c:5w30", None),
        ("batterie 60 Ah", "m:ah:60", MEASURE),
        ("tube Ø300", "m:len:300", MEASURE),
        ("gants taille L", "w:l", None),
        ("compresses 10x10 cm", "d:10x10", DIM),
    ],
)
def test_numbers_that_belong_to_the_product_are_features_not_counts(text, key, role):
    tokens = tokenize(text)
    found, roles = features(tokens)
    assert key in {f.key for f in found}, [f.key for f in found]
    if role is not None:
        assert role in roles.values()


@pytest.mark.parametrize(
    "text",
    [
        "Livrer avant le 15/12, tél. 01 23 45 67 89",
        "Budget 2 000 € HT, 12 rue de la Paix 75002 Paris",
        "Notre BC n° 45781, SIRET 123 456 789 00012",
        "Quai 3 à 10h30, semaine 48",
        "Quai 3 à 10:30, semaine 48",
        "PO 4500012345 - deliver by December 3, 2026, dock 4",
    ],
)
def test_masks_cover_numbers_that_are_never_quantities(text):
    tokens = tokenize(text)
    numbers = {i for i, t in enumerate(tokens) if t.kind == "num"}
    assert numbers and masked_tokens(text, tokens) == numbers


def test_a_spaced_colon_after_a_ratio_opens_a_quantity_not_a_time():
    text = "Café en grains 80/20 : 30 sachets"
    tokens = tokenize(text)
    thirty = next(i for i, t in enumerate(tokens) if t.norm == "30")
    assert thirty not in masked_tokens(text, tokens)


def _messages() -> list[str]:
    texts = [m["text"] for s in all_sets() for m in s.messages]
    return texts or ["Merci de livrer 10 ramettes A4"]


def test_cue_prefilters_never_change_what_the_cues_find():
    # the literal prefilter and the lower-cased matching are a pure speed-up: same answers as
    # the plain case-insensitive patterns, on every labelled message
    plain = {name: re.compile(_compile(list(cue._patterns)).pattern, re.I) for name, cue in CUES.items()}
    for text in _messages():
        for name, cue in CUES.items():
            assert cue.search(text) == bool(plain[name].search(text)), (name, text[:80])


def test_masks_on_lower_cased_text_find_what_case_insensitive_patterns_find():
    for text in _messages()[:400]:
        tokens = tokenize(text)
        spans = sorted((m.start(), m.end()) for p in PATTERNS for m in p.finditer(text))
        expected = {i for i, t in enumerate(tokens) if t.kind == "num"
                    and any(a < t.end and t.start < b for a, b in spans)}
        assert masked_tokens(text, tokens) == expected, text[:80]


def test_variants_then_a_count_with_its_unit_for_each_are_written_out_one_line_each():
    from intents.splits import expand_splits

    assert expand_splits("t'as du PER 16 ? bleu et rouge, 2 couronnes de chaque") == \
        "t'as du PER 16 ? 2 couronnes bleu, 2 couronnes rouge"
    assert expand_splits("cyan and magenta, 3 each") == "3 cyan, 3 magenta"


@pytest.mark.parametrize(("text", "lang"), [
    ("6 new hires starting Dec 1st, one per new hire: 6 laptops, 6 docks", "en"),
    ("Hey, can you get us 4 more like last time? Cheers", "en"),
    ("Salut, tu peux me mettre 4 cartons comme la dernière fois ? Merci", "fr"),
    ("Livraison demain si possible, 3 palettes", "fr"),
])
def test_a_short_message_is_told_by_its_commonest_words(text, lang):
    from intents.language import detect

    assert detect(text) == lang
