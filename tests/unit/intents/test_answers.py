"""Short answers that complete a pending request."""

from __future__ import annotations

import pytest

from intents.answers import match_choice, read_approval, read_quantity, read_yes_no

GLOVES = ("GANT-NIT-S", "GANT-NIT-M", "GANT-NIT-L", "GANT-NIT-XL")
HP305 = ("CART-HP305-BK", "CART-HP305-CL", "CART-HP305XL-BK", "CART-HP305XL-CL")


@pytest.mark.parametrize(
    ("answer", "family", "sku"),
    [("taille L", GLOVES, "GANT-NIT-L"), ("XL svp", GLOVES, "GANT-NIT-XL"), ("size M please", GLOVES, "GANT-NIT-M"),
     ("le 2e", GLOVES, "GANT-NIT-M"), ("la couleur", HP305, "CART-HP305-CL"), ("the black one", HP305, "CART-HP305-BK"),
     ("305XL couleur", HP305, "CART-HP305XL-CL"), ("GANT-NIT-S", GLOVES, "GANT-NIT-S")],
)
def test_choices(entries, answer, family, sku):
    assert match_choice(answer, [entries[s] for s in family]).sku == sku


@pytest.mark.parametrize("answer", ["je ne sais pas", "les deux", "bonjour"])
def test_unclear_choices_stay_unresolved(entries, answer):
    assert match_choice(answer, [entries[s] for s in GLOVES]) is None


@pytest.mark.parametrize(("answer", "qty"), [("50", 50), ("cinquante", 50), ("a dozen", 12), ("30 boîtes", 30),
                                             ("oui", None), ("entre 10 et 20", None)])
def test_quantities(answer, qty):
    assert read_quantity(answer) == qty


@pytest.mark.parametrize(("answer", "value"), [("oui", True), ("Oui merci", True), ("ok", True), ("yes please", True),
                                               ("non merci", False), ("no", False), ("peut-être", None)])
def test_yes_no(answer, value):
    assert read_yes_no(answer) is value


@pytest.mark.parametrize(
    ("answer", "verdict"),
    [("APPROUVÉ", (True, None)), ("approuve", (True, None)), ("APPROVED", (True, None)),
     ("REFUSÉ : budget épuisé", (False, "budget épuisé")), ("REJECTED: too expensive", (False, "too expensive")),
     ("Bonjour, une question", None)],
)
def test_approver_verdicts(answer, verdict):
    assert read_approval(answer) == verdict
