"""VAT from net (HT) prices, as B2B invoicing requires. Pure arithmetic, no I/O.

Rates are French: 20, 10, 5.5 and 2.1 %. The regime depends on where goods go and who
buys: domestic (France), intra-EU delivery to a business with a valid EU VAT number
(exempt, art. 262 ter I CGI) or export outside the EU (exempt, art. 262 I CGI).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from stdnum.eu import vat as eu_vat

from commerce.errors import CommerceError, ErrorCode
from commerce.money import ZERO, to_decimal, vat_amount

VAT_RATES: tuple[Decimal, ...] = (Decimal("20"), Decimal("10"), Decimal("5.5"), Decimal("2.1"))

# EU member states (ISO 3166 alpha-2). Monaco is treated as France for VAT.
EU_COUNTRIES = frozenset(
    ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"]
)
FRANCE_FOR_VAT = frozenset({"FR", "MC"})


class Regime(StrEnum):
    DOMESTIC = "domestic"
    INTRA_EU = "intra_eu"
    EXPORT = "export"


MENTIONS: dict[Regime, str | None] = {
    Regime.DOMESTIC: None,
    Regime.INTRA_EU: "Exonération de TVA, article 262 ter I du CGI",
    Regime.EXPORT: "Exonération de TVA, article 262 I du CGI",
}


def parse_vat_rate(value: Decimal | str | int) -> Decimal:
    rate = to_decimal(value)
    for known in VAT_RATES:
        if rate == known:
            return known
    raise CommerceError(ErrorCode.BAD_VAT_RATE, f"unknown VAT rate: {value}% (20, 10, 5.5, 2.1)")


def valid_eu_vat_number(number: str | None, country: str | None = None) -> bool:
    """Syntax and check digits (python-stdnum); the prefix must match the country."""
    if not number:
        return False
    try:
        compact = eu_vat.validate(number)
    except Exception:  # stdnum raises several ValidationError subclasses
        return False
    if not country:
        return True
    expected = "EL" if country.upper() == "GR" else country.upper()
    return compact[:2].upper() == expected


def regime_for(country: str, vat_number: str | None) -> Regime:
    country = (country or "FR").upper()
    if country in FRANCE_FOR_VAT:
        return Regime.DOMESTIC
    if country in EU_COUNTRIES:
        # Without a valid EU VAT number, the sale is taxed as a domestic one.
        return Regime.INTRA_EU if valid_eu_vat_number(vat_number, country) else Regime.DOMESTIC
    return Regime.EXPORT


@dataclass(frozen=True, slots=True)
class VatLine:
    rate: Decimal
    base_ht: Decimal
    amount: Decimal


@dataclass(frozen=True, slots=True)
class VatSummary:
    regime: Regime
    mention: str | None
    per_rate: tuple[VatLine, ...]
    total_ht: Decimal
    total_vat: Decimal
    total_ttc: Decimal


def summarize(lines: Iterable[tuple[Decimal, Decimal]], regime: Regime) -> VatSummary:
    """VAT per rate on the sum of the (already rounded) line totals HT of that rate.

    `lines` are (line_total_ht, vat_rate) pairs. Exempt regimes keep the bases per rate
    (useful on an invoice) with a zero amount.
    """
    bases: dict[Decimal, Decimal] = defaultdict(lambda: ZERO)
    for total_ht, rate in lines:
        bases[rate] += total_ht
    exempt = regime is not Regime.DOMESTIC
    per_rate = tuple(
        VatLine(rate=rate, base_ht=base, amount=ZERO if exempt else vat_amount(base, rate))
        for rate, base in sorted(bases.items(), key=lambda item: item[0], reverse=True)
    )
    total_ht = sum((v.base_ht for v in per_rate), ZERO)
    total_vat = sum((v.amount for v in per_rate), ZERO)
    return VatSummary(
        regime=regime,
        mention=MENTIONS[regime],
        per_rate=per_rate,
        total_ht=total_ht,
        total_vat=total_vat,
        total_ttc=total_ht + total_vat,
    )
