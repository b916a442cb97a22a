"""The whole parser on the demo catalog, case by case (real catalog, shipped intent model).

Where the labelling rules of the shared corpora decide a case (approximate or contradictory
figures give no quantity, a correction is not a question), these tests follow them."""

from __future__ import annotations

import json

import pytest

from intents import IntentKind, clean_message
from intents.batch import parse_batch
from tests.unit.intents.conftest import lines

GLOVES = ("GANT-NIT-L", "GANT-NIT-M", "GANT-NIT-S", "GANT-NIT-XL")


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Avez-vous 200 ramettes A4 en stock ?", "check_stock", [("PAP-A4-80", 200)]),
        ("Merci de nous livrer 10 toners HP 305 noir", "place_order", [("CART-HP305-BK", 10)]),
        ("Do you have 30 boxes of FFP2 masks in stock?", "check_stock", [("MASQ-FFP2-20", 30)]),
        ("Pouvez-vous me faire un devis pour 3 écrans 27 pouces ?", "request_quote", [("ECR-27", 3)]),
        ("please deliver 12 rolls of packing tape", "place_order", [("RUB-ADH-50", 12)]),
        ("Commande : 5 PAP-A4-80 et 2 cla-lev-50", "place_order", [("PAP-A4-80", 5), ("CLA-LEV-50", 2)]),
    ],
)
def test_plain_requests(parser, text, kind, expected):
    intent = parser.parse(text)
    assert intent.kind.value == kind
    assert lines(intent) == expected
    assert not intent.clarify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("gants nitrile L : 12 boîtes", [("GANT-NIT-L", 12)]),  # quantity after the product
        ("Pour les gants nitrile taille M, we'd need 8", [("GANT-NIT-M", 8)]),
        ("Il nous faut 1 500 ramettes A4", [("PAP-A4-80", 1500)]),  # thousands separators
        ("We need 3,000 sheet protectors", [("POC-PERF-100", 30)]),  # single items of a box of 100
        ("Merci de livrer vingt-cinq stylos bleus", [("STY-BIC-BL", 25)]),  # number words
        ("Please send a dozen highlighters", [("SURL-JA", 12)]),
        ("Commande : une douzaine de surligneurs", [("SURL-JA", 12)]),
        ("x10 cartouches HP 305 noir", [("CART-HP305-BK", 10)]),
        ("cartouche HP 305 noir x 4", [("CART-HP305-BK", 4)]),
        ("Commande:\n- 10 ramettes A4\n- 5 classeurs 80 mm\n- 2 boîtes de pochettes perforées",
         [("PAP-A4-80", 10), ("CLA-LEV-80", 5), ("POC-PERF-100", 2)]),
        ("Commande\nPAP-A4-80 | 20\nSOU-SF | 3", [("PAP-A4-80", 20), ("SOU-SF", 3)]),
    ],
)
def test_quantities_in_all_their_forms(parser, text, expected):
    intent = parser.parse(text)
    assert lines(intent) == expected, intent


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Merci de nous livrer 2 cartons de ramettes A4", [("PAP-A4-80", 10)]),  # 2 cartons of 5
        ("Merci de livrer 3 boîtes de gants nitrile L", [("GANT-NIT-L", 3)]),  # boîte is the sale unit
        ("Merci de livrer 50 cartons d'expédition format moyen", [("CART-EXP-M", 50)]),  # carton is the product
        ("Please deliver 2 cases of mineral water", [("EAU-50CL", 48)]),
    ],
)
def test_packs_are_resolved_against_the_matched_product(parser, text, expected):
    assert lines(parser.parse(text)) == expected


def test_a_count_in_a_unit_the_catalog_does_not_sell_is_asked_in_sale_units(parser):
    # pens are sold by the piece: "3 boîtes" is no count of pens
    intent = parser.parse("Merci de livrer 3 boîtes de stylos bleus")
    assert intent.clarify and lines(intent) == [("STY-BIC-BL", None)] and intent.lines[0].issue == "not_whole"
    assert "pièce" in intent.questions[0]


def test_a_count_below_the_minimum_order_is_asked_about(parser):
    intent = parser.parse("Merci de livrer 3 stylos bleus")
    assert intent.clarify and intent.lines[0].issue == "below_minimum"
    assert "10" in intent.questions[0]


@pytest.mark.parametrize(
    "text",
    [
        "Merci de nous livrer 10 ramettes A4 avant le 15/12. Tél : 01 23 45 67 89",
        "Commande de 10 ramettes A4, budget 2 000 € HT, livraison 12 rue de la Paix 75002 Paris",
        "Notre BC n° 45781 : 10 ramettes A4. SIRET 123 456 789 00012",
        "PO 4500012345 - please deliver 10 reams of A4 paper by December 3, 2026",
        "Suite à notre commande du 3 novembre, merci de livrer 10 ramettes A4 à 10h30",
    ],
)
def test_numbers_that_are_not_quantities_are_never_read_as_quantities(parser, text):
    assert lines(parser.parse(text)) == [("PAP-A4-80", 10)]


def test_sizes_and_model_numbers_belong_to_the_product(parser):
    assert lines(parser.parse("2 paires de chaussures de sécurité pointure 42")) == [("CHAU-S3-42", 2)]
    assert lines(parser.parse("Commande de 4 écrans 24 pouces")) == [("ECR-24", 4)]
    assert lines(parser.parse("Commande de 6 HP 305XL noir")) == [("CART-HP305XL-BK", 6)]
    assert lines(parser.parse("Commande de 3 toners CF226A")) == [("TON-HP26A", 3)]


def test_typos_and_missing_accents(parser):
    assert lines(parser.parse("merci de livrer 10 ramètes A4 et 4 desinfectant surfaces")) == [
        ("PAP-A4-80", 10), ("NET-DESINF-1L", 4)]
    assert lines(parser.parse("commande 3 destructeur de documants")) == [("DEST-P4", 3)]


@pytest.mark.parametrize(
    ("text", "candidates"),
    [
        ("Merci de nous livrer 5 cartouches HP 305", ("CART-HP305-BK", "CART-HP305-CL")),  # not the 305XL
        ("Il nous faudrait 12 boîtes de gants nitrile", GLOVES),
        ("Commande de 20 stylos Bic", ("STY-BIC-BL", "STY-BIC-NR", "STY-BIC-RG")),
    ],
)
def test_ambiguous_mentions_are_asked_back_never_guessed(parser, text, candidates):
    intent = parser.parse(text)
    assert intent.clarify and intent.kind is IntentKind.PLACE_ORDER
    [line] = intent.lines
    assert line.sku is None and set(line.candidates) == set(candidates)
    assert "lequel" in intent.questions[0]


def test_certain_lines_are_kept_next_to_an_ambiguous_one(parser):
    intent = parser.parse("Merci de livrer 10 ramettes A4 et 5 cartouches HP 305")
    assert intent.clarify
    assert intent.lines[0].sku == "PAP-A4-80" and intent.lines[0].qty == 10
    assert intent.lines[1].sku is None


def test_an_order_without_quantity_asks_for_it_in_the_buyers_language(parser):
    french = parser.parse("Je voudrais commander des chemises cartonnées")
    english = parser.parse("I would like to order some file folders please")
    assert french.clarify and "Quelle quantité" in french.questions[0]
    assert english.clarify and english.lang == "en" and "How many" in english.questions[0]


def test_approximations_are_asked_with_the_figure_said(parser):
    intent = parser.parse("Il nous faudrait une trentaine de classeurs 80 mm")
    [line] = intent.lines
    assert (line.sku, line.qty, line.issue, line.said) == ("CLA-LEV-80", None, "approximate", 30)
    assert intent.clarify and "30" in intent.questions[0]


def test_a_stock_question_does_not_need_a_quantity(parser):
    intent = parser.parse("Avez-vous du papier A4 recyclé en stock ?")
    assert intent.kind is IntentKind.CHECK_STOCK and lines(intent) == [("PAP-A4-80-REC", None)]
    assert not intent.clarify


@pytest.mark.parametrize(
    "text",
    [
        "Merci !",
        "Merci beaucoup, bien reçu.",
        "Réponse automatique : je suis absente du bureau jusqu'au 3 décembre.",
        "Out of Office: I am currently away with limited access to email.",
        "Finalement, annulez notre demande de 10 ramettes, merci.",
        "Découvrez notre newsletter de novembre ! Pour vous désinscrire, cliquez ici.",
    ],
)
def test_thanks_auto_replies_cancellations_and_newsletters_are_not_orders(parser, text):
    assert parser.parse(text).kind is IntentKind.NONE


@pytest.mark.parametrize(
    ("text", "kind", "ref"),
    [
        ("Où en est le devis D-2026-0142 ?", "quote_status", "D-2026-0142"),
        ("Any news on my order C-2026-0042?", "order_status", "C-2026-0042"),
        ("Bon pour accord sur le devis D-2026-0142", "accept_quote", "D-2026-0142"),
        ("We accept quote D-2026-0150, please go ahead.", "accept_quote", "D-2026-0150"),
        ("Quel est notre encours ?", "check_encours", None),
        ("What's our credit limit?", "check_encours", None),
    ],
)
def test_follow_ups_are_not_new_requests(parser, text, kind, ref):
    intent = parser.parse(text)
    assert (intent.kind.value, intent.ref, intent.lines) == (kind, ref, ())


def test_french_quoted_reply_and_signature_are_removed(parser):
    text = ("Parfait, ajoutez 5 classeurs 80 mm svp.\n\nCordialement,\nClaire Martin\nACME Industries\n"
            "Tél. 01 23 45 67 89\n\nLe lun. 3 nov. 2026 à 10:12, Comptoir <commandes@comptoir.fr> a écrit :\n"
            "> Votre commande de 200 ramettes A4 est confirmée.")
    intent = parser.parse(text)
    assert lines(intent) == [("CLA-LEV-80", 5)]


def test_outlook_french_block_with_non_breaking_space(parser):
    text = ("Merci de livrer 3 souris sans fil.\n\nDe\u00a0: Comptoir <commandes@comptoir.fr>\n"
            "Envoyé\u00a0: lundi 3 novembre 2026 10:12\nÀ\u00a0: Claire Martin\nObjet\u00a0: RE: Commande\n\n"
            "Votre commande de 200 ramettes A4 est confirmée.")
    assert lines(parser.parse(text)) == [("SOU-SF", 3)]


def test_english_quote_marker(parser):
    text = ("Please add 2 wireless mice.\n\nOn Mon, Nov 3, 2026 at 10:12 AM Comptoir <orders@comptoir.fr> wrote:\n"
            "> Your order for 20 boxes of gloves is confirmed.")
    assert lines(parser.parse(text)) == [("SOU-SF", 2)]


def test_a_bullet_list_after_the_greeting_is_not_a_signature(parser):
    text = "Bonjour,\nMerci de nous livrer :\n- 10 ramettes A4\n- 2 classeurs 80 mm\nMerci d'avance\n- Julien"
    assert lines(parser.parse(text)) == [("PAP-A4-80", 10), ("CLA-LEV-80", 2)]
    cleaned = clean_message("Merci\n-- \n- 10 ramettes A4\nJulien Roux\n+33 6 12 34 56 78")
    assert "10 ramettes" in cleaned.body and "+33" not in cleaned.body


def test_lines_only_in_the_quoted_message_are_used_when_the_text_points_at_them(parser):
    text = ("Bonjour, pareil que la commande ci-dessous svp.\n\n-----Original Message-----\nFrom: Claire\n"
            "Sent: Monday\nTo: Comptoir\nSubject: Commande\n\nMerci de livrer 10 ramettes A4 et 3 souris sans fil")
    intent = parser.parse(text)
    assert intent.kind is IntentKind.PLACE_ORDER
    assert lines(intent) == [("PAP-A4-80", 10), ("SOU-SF", 3)]


def test_two_requests_keep_the_main_one_and_the_other(parser):
    intent = parser.parse("Avez-vous 20 souris sans fil en stock ? Si oui merci de nous les livrer.")
    assert (intent.kind, intent.secondary) == (IntentKind.CHECK_STOCK, IntentKind.PLACE_ORDER)
    assert lines(intent) == [("SOU-SF", 20)]
    intent = parser.parse("Merci pour la livraison d'hier. Au fait, quel est notre encours ?")
    assert intent.kind is IntentKind.CHECK_ENCOURS
    intent = parser.parse("Merci de livrer 10 ramettes A4. Et au passage, quel est notre encours ?")
    assert (intent.kind, intent.secondary) == (IntentKind.PLACE_ORDER, IntentKind.CHECK_ENCOURS)


def test_language_is_detected_per_message_and_the_hint_breaks_ties(parser):
    assert parser.parse("Bonjour, avez-vous des gants nitrile ?").lang == "fr"
    assert parser.parse("Hello, do you have nitrile gloves?", lang_hint="fr").lang == "en"
    assert parser.parse("PAP-A4-80 x 10", lang_hint="en").lang == "en"


def test_order_on_behalf_and_rep_discount(parser):
    intent = parser.parse("commande pour ACME : 20 PAP-A4-80, remise 5 %")
    assert (intent.on_behalf_of, intent.discount_pct) == ("ACME", 5)
    assert lines(intent) == [("PAP-A4-80", 20)]


def test_json_shape_is_exactly_the_contract(parser):
    data = json.loads(parser.parse("Merci de livrer 5 cartouches HP 305").to_json())
    assert list(data) == ["intent", "lines", "ref", "clarify", "questions", "lang"]
    assert list(data["lines"][0]) == ["sku", "qty", "text", "candidates"]  # an unresolved line names its options
    assert data["lines"][0]["sku"] is None and data["lines"][0]["qty"] == 5
    assert data["clarify"] is True
    resolved = json.loads(parser.parse("Merci de livrer 5 cartouches HP 305 noir").to_json())
    assert list(resolved["lines"][0]) == ["sku", "qty", "text"]


def test_batch_keeps_order_and_reports_bad_lines(parser):
    rows = ['{"from": "a@b.fr", "subject": "Commande", "text": "10 ramettes A4 svp"}', "not json", "",
            '{"text": "Quel est notre encours ?"}']
    results = list(parse_batch(parser, rows))
    assert results[0]["intent"] == "place_order" and "error" in results[1] and "error" in results[2]
    assert results[3]["intent"] == "check_encours"


def test_another_catalog_is_understood_the_same_way():
    from intents import CatalogEntry, Parser

    lab = Parser([
        CatalogEntry("PIP-10ML", "Pipette graduée 10 ml", "verrerie", "pièce", 20, ("pipette 10 ml",)),
        CatalogEntry("PIP-25ML", "Pipette graduée 25 ml", "verrerie", "pièce", 20, ("pipette 25 ml",)),
        CatalogEntry("GL-BLOUSE-M", "Blouse de laboratoire coton taille M", "epi", "pièce", 1, ("blouse M",)),
    ])
    assert lines(lab.parse("Merci de livrer 2 cartons de pipettes 25 ml")) == [("PIP-25ML", 40)]
    intent = lab.parse("Commande de 10 pipettes graduées")
    assert intent.clarify and intent.lines[0].candidates == ("PIP-10ML", "PIP-25ML")


def test_tables_with_a_designation_column_and_lines_without_separators(parser):
    table = "Référence | Désignation | Quantité\nPAP-A4-80 | Ramette A4 80 g | 20\nSOU-SF | Souris sans fil | 3"
    assert lines(parser.parse(table)) == [("PAP-A4-80", 20), ("SOU-SF", 3)]
    assert lines(parser.parse("Commande : 10 ramettes A4 5 classeurs 80mm")) == [("PAP-A4-80", 10), ("CLA-LEV-80", 5)]


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Kindly send 5 reams of A3 paper", "place_order"), ("Can we get 10 wireless mice by Friday?", "place_order"),
     ("Is the 27-inch monitor available? We need 4.", "check_stock"),
     ("What is the price for 20 USB headsets?", "request_quote"),
     ("Je souhaiterais passer commande de 12 classeurs 50 mm", "place_order")],
)
def test_other_ways_of_asking(parser, text, kind):
    assert parser.parse(text).kind.value == kind


@pytest.mark.parametrize("text", ["1 " * 10000, "ramettes " * 5000, "> " * 10000, "é" * 30000, "\x00\x01" * 100, ""])
def test_hostile_texts_give_an_answer(parser, text):
    intent = parser.parse(text)
    assert intent.kind in IntentKind
    assert all(len(line.text) <= 160 for line in intent.lines)


def test_an_article_right_before_the_product_is_one_item(parser):
    assert lines(parser.parse("Il me faudrait une imprimante laser pour le bureau")) == [("IMP-LAS-MONO", 1)]
    assert lines(parser.parse("We'd like a box of punched pockets")) == [("POC-PERF-100", 1)]
    assert parser.parse("Je voudrais un devis pour des écrans 27 pouces").lines[0].qty is None


def test_an_unknown_list_item_is_kept_as_a_question_not_dropped(parser):
    intent = parser.parse("Order:\n1. A4 copy paper – 40 reams\n2. Black Bic pens – 2 boxes\n3. Stapler – 1")
    # numbering is not a quantity; pens are sold one by one, so "2 boxes" is asked in pieces
    assert lines(intent) == [("PAP-A4-80", 40), ("STY-BIC-NR", None), (None, 1)]
    assert intent.clarify and "Stapler" in intent.questions[-1]
    assert not parser.parse("Nous serons 12 personnes, merci de livrer 5 plateaux repas").clarify


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, is the paper shredder in stock? We'd need one quickly.", [("DEST-P4", 1)]),
        ("Le destructeur de documents est-il en stock ? Il nous en faudrait un rapidement.", [("DEST-P4", 1)]),
    ],
)
def test_a_pronoun_standing_for_the_product_is_one_of_it(parser, text, expected):
    assert lines(parser.parse(text)) == expected


def test_an_elliptic_variant_resolves_against_the_product_just_named(parser):
    intent = parser.parse("Hi, please deliver 200 small shipping boxes and 100 large ones.")
    assert lines(intent) == [("CART-EXP-S", 200), ("CART-EXP-L", 100)]
    assert not intent.clarify


def test_an_ellipsis_naming_another_family_stays_a_question(parser):
    intent = parser.parse("Hi, please deliver 200 small shipping boxes and 100 large gloves.")
    assert intent.lines[1].sku is None and set(intent.lines[1].candidates) == {"GANT-NIT-L", "GANT-NIT-XL"}
    assert intent.clarify


def test_a_restatement_of_the_same_product_is_not_taken_for_a_variant(parser):
    intent = parser.parse("Pour l'accueil : 1 lot de 10 clés USB 32 Go, soit 10 clés.")
    assert "CLE-USB-64" not in {line.sku for line in intent.lines}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We'd need 8 of the large shipping boxes, actually make it 80 because the minimum is 20.",
         [("CART-EXP-L", 80)]),
        ("Merci de nous livrer 40 chemises... non, 4 paquets de chemises cartonnées.", [("CHE-CART-100", 4)]),
    ],
)
def test_a_correction_keeps_the_corrected_quantity(parser, text, expected):
    intent = parser.parse(text)
    assert lines(intent) == expected
    assert not intent.clarify  # the buyer said which figure: nothing to ask


def test_packs_counted_in_the_next_clause_are_units_of_the_product(parser):
    # POST-76-JA is sold by the pad, 12 pads a pack
    intent = parser.parse("Merci de nous envoyer des post-it jaunes, 3 paquets de 12.")
    assert lines(intent) == [("POST-76-JA", 36)]
    assert not intent.clarify


def test_packs_of_a_count_unlike_the_catalog_are_asked_about(parser):
    intent = parser.parse("Merci de nous envoyer des post-it jaunes, 3 paquets de 10.")
    assert lines(intent) == [("POST-76-JA", None)] and intent.lines[0].issue == "contradictory"
    assert intent.clarify


def test_a_restatement_is_the_same_line_not_a_second_one(parser):
    intent = parser.parse("Pour l'accueil : 10 clés USB 32 Go, soit 1 carton.")
    assert lines(intent) == [("CLE-USB-32", 10)]  # 10 a carton: the counts agree
    assert not intent.clarify


def test_a_restatement_with_another_count_is_asked_about(parser):
    intent = parser.parse("Merci de livrer 10 clés USB 32 Go, soit 2 cartons.")  # 10 a carton
    assert lines(intent) == [("CLE-USB-32", None)] and intent.lines[0].issue == "contradictory"
    assert intent.clarify
