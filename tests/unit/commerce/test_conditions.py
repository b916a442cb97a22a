"""Customer conditions: precedence, quantity breaks, promotions, visibility, conflicts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commerce.conditions import CustomerTerms, find_conflicts
from commerce.errors import ErrorCode, ProductNotVisible
from commerce.pricing import BasketLine, price_basket
from tests.factories import customer, product, rule

DAY = date(2026, 11, 22)
PEN = product("PEN-BLUE", price="10.00", category="office")
ACME = customer("ACME", segment="industry")


def unit_price(conditions, item=PEN, qty=1, who=ACME, day=DAY) -> Decimal:
    return CustomerTerms(who, conditions, day).unit_price(item, qty).unit_price_ht


def test_list_price_without_conditions():
    assert unit_price([]) == Decimal("10.00")


@pytest.mark.parametrize(
    ("conditions", "expected"),
    [
        # customer over segment over everyone
        ([rule("price_ht", "9", sku="PEN-BLUE"), rule("price_ht", "8", segment="industry", sku="PEN-BLUE"),
          rule("price_ht", "7", customer="ACME", sku="PEN-BLUE")], "7.00"),
        ([rule("price_ht", "9", sku="PEN-BLUE"), rule("price_ht", "8", segment="industry", sku="PEN-BLUE")],
         "8.00"),
        # SKU over category over all products, at the same "who" level
        ([rule("price_ht", "9", customer="ACME"), rule("price_ht", "8", customer="ACME", category="office"),
          rule("price_ht", "7.5", customer="ACME", sku="PEN-BLUE")], "7.50"),
        # "who" is compared before "what": a customer's category rule beats a segment's SKU rule
        ([rule("price_ht", "6", segment="industry", sku="PEN-BLUE"),
          rule("price_ht", "8", customer="ACME", category="office")], "8.00"),
        # rules of other customers, segments or products do not apply
        ([rule("price_ht", "1", customer="OTHER", sku="PEN-BLUE"), rule("price_ht", "2", segment="retail"),
          rule("price_ht", "3", sku="PEN-RED")], "10.00"),
    ],
)
def test_most_specific_net_price_wins(conditions, expected):
    assert unit_price(conditions) == Decimal(expected)


def test_quantity_breaks_pick_the_highest_threshold_reached():
    breaks = [rule("price_ht", "9", sku="PEN-BLUE", min_qty=10), rule("price_ht", "8", sku="PEN-BLUE", min_qty=100)]
    assert unit_price(breaks, qty=9) == Decimal("10.00")
    assert unit_price(breaks, qty=10) == Decimal("9.00")
    assert unit_price(breaks, qty=99) == Decimal("9.00")
    assert unit_price(breaks, qty=100) == Decimal("8.00")


def test_promotion_applies_only_within_its_dates_and_beats_the_standing_discount():
    rules = [rule("discount_pct", 5, category="office"),
             rule("discount_pct", 20, category="office", starts="2026-11-01", ends="2026-11-30")]
    assert unit_price(rules, day=date(2026, 11, 30)) == Decimal("8.00")
    assert unit_price(rules, day=date(2026, 12, 1)) == Decimal("9.50")
    assert unit_price(rules, day=date(2026, 10, 31)) == Decimal("9.50")


def test_only_the_most_specific_discount_applies_discounts_do_not_stack():
    rules = [rule("discount_pct", 10, segment="industry"), rule("discount_pct", 3, customer="ACME")]
    assert unit_price(rules) == Decimal("9.70")


def test_discount_applies_on_a_net_price_only_when_strictly_more_specific():
    segment_price = rule("price_ht", "8.00", segment="industry", sku="PEN-BLUE")
    assert unit_price([segment_price, rule("discount_pct", 10, customer="ACME")]) == Decimal("7.20")
    assert unit_price([segment_price, rule("discount_pct", 10, segment="industry", sku="PEN-BLUE")]) == Decimal("8.00")
    assert unit_price([segment_price, rule("discount_pct", 10)]) == Decimal("8.00")


def test_explanation_names_every_rule_that_shaped_the_price():
    terms = CustomerTerms(ACME, [rule("price_ht", "8.00", segment="industry", sku="PEN-BLUE"),
                                 rule("discount_pct", 10, customer="ACME", category="office")], DAY)
    explain = terms.unit_price(PEN, 1).explain
    assert explain[0] == "list price 10.00"
    assert "net price 8.00" in explain[1] and "segment industry" in explain[1]
    assert "discount 10 %" in explain[2] and "customer ACME" in explain[2] and explain[2].endswith("7.20")


def test_explanation_says_why_a_discount_was_not_applied():
    terms = CustomerTerms(ACME, [rule("price_ht", "8.00", customer="ACME", sku="PEN-BLUE"),
                                 rule("discount_pct", 10, category="office")], DAY)
    explain = terms.unit_price(PEN, 1).explain
    assert any("not applied" in step for step in explain)


PAPER = product("PAPER-A4", category="paper")
COFFEE = product("COFFEE", category="food", vat="5.5")


def visible(conditions, item, who=ACME) -> bool:
    return CustomerTerms(who, conditions, DAY).visibility(item).allowed


def test_hidden_products_do_not_exist_for_that_customer_only():
    rules = [rule("hidden", customer="ACME", category="food")]
    assert not visible(rules, COFFEE)
    assert visible(rules, PAPER)
    assert visible(rules, COFFEE, who=customer("OTHER"))


def test_visible_only_allow_lists_union_and_deny_the_rest():
    rules = [rule("visible_only", customer="ACME", category="paper"),
             rule("visible_only", customer="ACME", sku="PEN-BLUE")]
    assert visible(rules, PAPER) and visible(rules, PEN)
    assert not visible(rules, COFFEE)


def test_a_more_specific_visibility_rule_wins_and_a_tie_denies():
    hidden_for_segment = rule("hidden", segment="industry", category="food")
    assert visible([hidden_for_segment, rule("visible_only", customer="ACME", sku="COFFEE")], COFFEE)
    assert not visible([rule("hidden", customer="ACME", sku="COFFEE"),
                        rule("visible_only", customer="ACME", sku="COFFEE")], COFFEE)
    # a customer's explicit hide beats the segment allow-list
    assert not visible([rule("visible_only", segment="industry", category="food"),
                        rule("hidden", customer="ACME", sku="COFFEE")], COFFEE)


def test_dated_visibility_rules_expire():
    rules = [rule("hidden", category="food", starts="2026-01-01", ends="2026-06-30")]
    assert visible(rules, COFFEE)


def test_pricing_a_hidden_product_fails_as_if_it_did_not_exist():
    terms = CustomerTerms(ACME, [rule("hidden", customer="ACME", category="food")], DAY)
    with pytest.raises(ProductNotVisible) as error:
        price_basket(terms, {"COFFEE": COFFEE}, [BasketLine("COFFEE", 1)])
    assert error.value.code is ErrorCode.PRODUCT_NOT_VISIBLE
    assert str(error.value) == "unknown SKU: COFFEE"


def test_quantity_limit_is_the_most_specific_max_qty():
    terms = CustomerTerms(ACME, [rule("max_qty", 100, category="office"),
                                 rule("max_qty", 30, customer="ACME", sku="PEN-BLUE")], DAY)
    assert terms.quantity_limit(PEN).value == 30


def test_max_qty_window_is_the_rule_dates_or_the_calendar_month():
    assert rule("max_qty", 5).window(date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    dated = rule("max_qty", 5, starts="2026-11-01", ends="2026-12-31")
    assert dated.window(date(2026, 11, 20)) == (date(2026, 11, 1), date(2026, 12, 31))


def test_conflicts_are_equally_specific_overlapping_and_disagreeing():
    a = rule("price_ht", "8", customer="ACME", sku="PEN-BLUE")
    b = rule("price_ht", "9", customer="ACME", sku="PEN-BLUE")
    assert find_conflicts([a, b]) == [(a, b)]
    assert find_conflicts([a, a]) == []  # the same rule twice agrees
    # different quantity thresholds, a different level, or a promotion are not conflicts
    assert find_conflicts([a, rule("price_ht", "7", customer="ACME", sku="PEN-BLUE", min_qty=50)]) == []
    assert find_conflicts([a, rule("price_ht", "7", segment="industry", sku="PEN-BLUE")]) == []
    assert find_conflicts([a, rule("price_ht", "7", customer="ACME", sku="PEN-BLUE", starts="2026-12-01")]) == []
    # two promotions that overlap do conflict; back-to-back ones do not
    p1 = rule("discount_pct", 10, category="office", starts="2026-11-01", ends="2026-11-30")
    p2 = rule("discount_pct", 15, category="office", starts="2026-11-30", ends="2026-12-31")
    p3 = rule("discount_pct", 15, category="office", starts="2026-12-01", ends="2026-12-31")
    assert find_conflicts([p1, p2]) == [(p1, p2)]
    assert find_conflicts([p1, p3]) == []
    # hiding and allowing the same thing for the same target is a conflict
    assert len(find_conflicts([rule("hidden", customer="ACME", sku="PEN-BLUE"),
                               rule("visible_only", customer="ACME", sku="PEN-BLUE")])) == 1


def test_basket_totals_and_explanations():
    terms = CustomerTerms(ACME, [rule("discount_pct", 10, customer="ACME", category="office")], DAY)
    basket = price_basket(terms, {"PEN-BLUE": PEN, "COFFEE": COFFEE},
                          [BasketLine("PEN-BLUE", 3), BasketLine("COFFEE", 2)])
    data = basket.to_dict()
    assert data["lines"][0] == {"sku": "PEN-BLUE", "qty": 3, "unit_price_ht": "9.00", "total_ht": "27.00",
                                "vat_rate": "20", "explain": list(basket.lines[0].explain)}
    assert data["vat"] == [{"rate": "20", "base_ht": "27.00", "amount": "5.40"},
                           {"rate": "5.5", "base_ht": "20.00", "amount": "1.10"}]
    assert (data["total_ht"], data["total_vat"], data["total_ttc"]) == ("47.00", "6.50", "53.50")
    assert data["regime"] == "domestic" and data["mention"] is None


@pytest.mark.parametrize(("conditions", "expected"), [
    # by default the most specific rule wins, even when a broader one is lower
    ([rule("price_ht", "9", customer="ACME", sku="PEN-BLUE"), rule("price_ht", "7", segment="industry")], "9.00"),
    # a broader rule marked best_price wins when it is lower...
    ([rule("price_ht", "9", customer="ACME", sku="PEN-BLUE"),
      rule("price_ht", "7", segment="industry", best_price=True)], "7.00"),
    # ...and not when it is higher
    ([rule("price_ht", "9", customer="ACME", sku="PEN-BLUE"),
      rule("price_ht", "9.50", segment="industry", best_price=True)], "9.00"),
    # a best_price promotion as a discount on the list price (10.00 - 25 %)
    ([rule("price_ht", "9", customer="ACME", sku="PEN-BLUE"),
      rule("discount_pct", "25", starts="2026-11-01", ends="2026-11-30", best_price=True)], "7.50"),
    # its quantity break still applies
    ([rule("price_ht", "9", customer="ACME", sku="PEN-BLUE"),
      rule("price_ht", "7", segment="industry", min_qty=10, best_price=True)], "9.00"),
])
def test_a_rule_may_let_the_best_price_win_over_the_most_specific(conditions, expected):
    assert unit_price(conditions) == Decimal(expected)


def test_the_best_price_says_why_it_won():
    price = CustomerTerms(ACME, [rule("price_ht", "9", customer="ACME", sku="PEN-BLUE"),
                                 rule("price_ht", "7", segment="industry", best_price=True)], DAY).unit_price(PEN, 1)
    assert price.explain[-1].startswith("best price: net price 7.00") and "lower and wins" in price.explain[-1]
