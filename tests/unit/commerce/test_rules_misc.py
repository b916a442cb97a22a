"""Status tables, availability split, alert levels, loyalty tiers, credit, payment terms."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from commerce.accounts import DEFAULT_TIERS, credit_check, tier_for
from commerce.customers import check_payment_terms
from commerce.errors import CommerceError, ErrorCode, IllegalTransition
from commerce.statuses import order_transition, quote_transition
from commerce.stock import AlertLevel, StockFigures, alert_level, split_availability


@pytest.mark.parametrize(
    ("current", "target"),
    [("draft", "pending_approval"), ("pending_approval", "confirmed"), ("pending_approval", "rejected"),
     ("pending_approval", "expired"), ("confirmed", "shipped"), ("shipped", "invoiced"), ("invoiced", "paid"),
     ("draft", "held"), ("held", "confirmed")],
)
def test_legal_order_moves(current, target):
    assert order_transition(current, target) is True


@pytest.mark.parametrize(
    ("current", "target"),
    [("rejected", "confirmed"), ("paid", "cancelled"), ("shipped", "cancelled"), ("confirmed", "pending_approval"),
     ("expired", "confirmed")],
)
def test_illegal_order_moves_raise(current, target):
    with pytest.raises(IllegalTransition) as error:
        order_transition(current, target)
    assert error.value.code is ErrorCode.ILLEGAL_TRANSITION


def test_repeating_a_move_is_harmless():
    assert order_transition("confirmed", "confirmed") is False
    assert quote_transition("accepted", "accepted") is False


def test_quote_moves():
    assert quote_transition("requested", "to_review")
    assert quote_transition("sent", "accepted")
    with pytest.raises(IllegalTransition):
        quote_transition("expired", "accepted")


def figures(on_hand=10, reserved=0, incoming=0, incoming_date=None, preordered=0):
    return StockFigures("X", on_hand, reserved, incoming, incoming_date, 0, 0, preordered)


def test_availability_ships_what_is_there_and_preorders_incoming():
    got = split_availability(figures(on_hand=10, reserved=4, incoming=20, incoming_date=date(2026, 12, 4)),
                             15, preorderable=False)
    assert (got.ship_now, got.preorder, got.missing, got.preorder_date) == (6, 9, 0, date(2026, 12, 4))


def test_availability_without_incoming_reports_what_is_missing_unless_preorderable():
    assert split_availability(figures(on_hand=3), 5, preorderable=False).missing == 2
    got = split_availability(figures(on_hand=3), 5, preorderable=True)
    assert (got.ship_now, got.preorder, got.missing) == (3, 2, 0)


def test_incoming_already_promised_is_not_promised_twice():
    got = split_availability(figures(on_hand=0, incoming=10, preordered=8), 5, preorderable=False)
    assert (got.preorder, got.missing) == (2, 3)


def test_figures_available_and_virtual():
    data = figures(on_hand=10, reserved=4, incoming=20, incoming_date=date(2026, 12, 4)).to_dict()
    assert data == {"sku": "X", "on_hand": 10, "reserved": 4, "available": 6, "incoming": 20,
                    "incoming_date": "2026-12-04", "virtual": 26}


@pytest.mark.parametrize(
    ("available", "level"),
    [(50, AlertLevel.OK), (21, AlertLevel.OK), (20, AlertLevel.BELOW_ALERT), (6, AlertLevel.BELOW_ALERT),
     (5, AlertLevel.BELOW_SAFETY), (-1, AlertLevel.BELOW_SAFETY)],
)
def test_alert_levels(available, level):
    assert alert_level(available, 20, 5) is level


@pytest.mark.parametrize(
    ("ytd", "tier", "next_tier", "to_next"),
    [("0", "Bronze", "Argent", "5000"), ("4999.99", "Bronze", "Argent", "0.01"),
     ("5000", "Argent", "Or", "10000"), ("39000", "Or", "Platine", "1000"), ("50000", "Platine", None, "0")],
)
def test_loyalty_tier_and_distance_to_the_next(ytd, tier, next_tier, to_next):
    current, nxt, missing = tier_for(Decimal(ytd), DEFAULT_TIERS)
    assert current.name == tier
    assert (nxt.name if nxt else None) == next_tier
    assert missing == Decimal(to_next)


def test_credit_check():
    assert credit_check(Decimal("900"), Decimal("1000"), Decimal("100")).allowed
    over = credit_check(Decimal("900"), Decimal("1000"), Decimal("100.01"))
    assert (over.allowed, over.reason, over.headroom) == (False, "over_limit", Decimal("100"))


def test_payment_terms_are_capped_at_sixty_days():
    assert check_payment_terms(60) == 60
    with pytest.raises(CommerceError) as error:
        check_payment_terms(61)
    assert error.value.code is ErrorCode.BAD_PAYMENT_TERMS


def test_a_reps_cap_is_measured_on_the_net_price_not_the_discount_field():
    from commerce.on_behalf import check_rep_price

    customer_price = Decimal("3.78")
    assert check_rep_price(customer_price, Decimal("3.59"), Decimal("10")).allowed  # -5 %
    lowered = check_rep_price(customer_price, Decimal("2.90"), Decimal("10"))  # a "price", no discount field
    assert not lowered.allowed and lowered.effective_discount_pct == Decimal("23.28")
