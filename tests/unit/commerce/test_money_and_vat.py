"""Money and VAT: property tests on the arithmetic, tables for regimes and mentions."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commerce.errors import CommerceError, ErrorCode
from commerce.money import apply_discount, line_total, round_cent, to_decimal
from commerce.vat import VAT_RATES, Regime, regime_for, summarize, valid_eu_vat_number

prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999.99"), places=2)
quantities = st.integers(min_value=1, max_value=5000)
rates = st.sampled_from(VAT_RATES)
lines = st.lists(st.tuples(prices, quantities, rates), min_size=1, max_size=40)


def test_float_is_refused_as_money():
    with pytest.raises(CommerceError) as error:
        to_decimal(0.1)
    assert error.value.code is ErrorCode.FLOAT_MONEY


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("4.20", "4.20"), ("4,20", "4.20"), ("1 234,50", "1234.50"), ("1\u00a0234,5", "1234.5"), (7, "7")],
)
def test_amounts_are_read_from_french_and_plain_notation(raw, expected):
    assert to_decimal(raw) == Decimal(expected)


@pytest.mark.parametrize("raw", ["abc", "", "NaN", "Infinity", True])
def test_non_amounts_are_refused(raw):
    with pytest.raises(CommerceError):
        to_decimal(raw)


@pytest.mark.parametrize(
    ("amount", "rounded"),
    [("0.005", "0.01"), ("0.015", "0.02"), ("2.675", "2.68"), ("-0.005", "-0.01"), ("1.2349", "1.23")],
)
def test_rounding_is_half_up_to_the_cent(amount, rounded):
    assert round_cent(Decimal(amount)) == Decimal(rounded)


def test_discount_rounds_the_net_unit_price_to_the_cent():
    assert apply_discount(Decimal("3.95"), Decimal("10")) == Decimal("3.56")  # 3.555 -> 3.56
    assert apply_discount(Decimal("0.32"), Decimal("5")) == Decimal("0.30")  # 0.304


@given(lines)
def test_totals_are_the_sum_of_their_parts(items):
    summary = summarize(((line_total(p, q), r) for p, q, r in items), Regime.DOMESTIC)
    assert summary.total_ht == sum(line_total(p, q) for p, q, _ in items)
    assert summary.total_ht == sum(v.base_ht for v in summary.per_rate)
    assert summary.total_vat == sum(v.amount for v in summary.per_rate)
    assert summary.total_ttc == summary.total_ht + summary.total_vat


@given(lines)
def test_vat_per_rate_is_the_rate_times_its_base_rounded_half_up(items):
    summary = summarize(((line_total(p, q), r) for p, q, r in items), Regime.DOMESTIC)
    for vat in summary.per_rate:
        base = sum(line_total(p, q) for p, q, r in items if r == vat.rate)
        assert vat.base_ht == base
        expected = (base * vat.rate / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        assert vat.amount == expected
        assert vat.amount.as_tuple().exponent == -2


@given(lines)
def test_exempt_regimes_charge_no_vat_but_keep_bases(items):
    for regime in (Regime.INTRA_EU, Regime.EXPORT):
        summary = summarize(((line_total(p, q), r) for p, q, r in items), regime)
        assert summary.total_vat == 0
        assert summary.total_ttc == summary.total_ht
        assert summary.mention and "Exonération de TVA" in summary.mention


def test_vat_is_computed_on_the_sum_of_lines_not_per_line():
    # Three lines of 0.05 at 5.5 %: per line 0.00275 -> 0.00 each; on the base 0.15 -> 0.01.
    summary = summarize([(Decimal("0.05"), Decimal("5.5"))] * 3, Regime.DOMESTIC)
    assert summary.per_rate[0].amount == Decimal("0.01")


def test_one_vat_line_per_rate_highest_first():
    summary = summarize(
        [(Decimal("10.00"), Decimal("5.5")), (Decimal("20.00"), Decimal("20")),
         (Decimal("5.00"), Decimal("5.5")), (Decimal("3.00"), Decimal("2.1"))],
        Regime.DOMESTIC,
    )
    assert [(v.rate, v.base_ht, v.amount) for v in summary.per_rate] == [
        (Decimal("20"), Decimal("20.00"), Decimal("4.00")),
        (Decimal("5.5"), Decimal("15.00"), Decimal("0.83")),
        (Decimal("2.1"), Decimal("3.00"), Decimal("0.06")),
    ]


@pytest.mark.parametrize(
    ("country", "vat_number", "regime", "mention"),
    [
        ("FR", "FR40303265045", Regime.DOMESTIC, None),
        ("FR", None, Regime.DOMESTIC, None),
        ("BE", "BE0428759497", Regime.INTRA_EU, "Exonération de TVA, article 262 ter I du CGI"),
        ("DE", "DE136695976", Regime.INTRA_EU, "Exonération de TVA, article 262 ter I du CGI"),
        ("BE", "BE0428759490", Regime.DOMESTIC, None),  # bad check digits: French VAT applies
        ("BE", None, Regime.DOMESTIC, None),  # no number: not a B2B intra-EU delivery
        ("DE", "BE0428759497", Regime.DOMESTIC, None),  # number of another country
        ("CH", "CHE-116.281.710", Regime.EXPORT, "Exonération de TVA, article 262 I du CGI"),
        ("US", None, Regime.EXPORT, "Exonération de TVA, article 262 I du CGI"),
        ("MC", None, Regime.DOMESTIC, None),
    ],
)
def test_regime_and_legal_mention(country, vat_number, regime, mention):
    assert regime_for(country, vat_number) is regime
    assert summarize([(Decimal("1.00"), Decimal("20"))], regime).mention == mention


def test_greek_vat_numbers_use_the_el_prefix():
    assert valid_eu_vat_number("EL094259216", "GR")
