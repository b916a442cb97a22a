"""The small read-only view of the catalog that the parser is allowed to know.

`intents` never imports `commerce`: the composition root (assistant) turns products
into `CatalogEntry` values and hands them over. Tests and benches can build entries
from a catalog CSV with `entries_from_csv`.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class CatalogEntry:
    sku: str
    name: str
    category: str = ""
    unit: str = ""
    pack_size: int = 1
    aliases: tuple[str, ...] = ()
    min_order_qty: int = 1


def entries_from_rows(rows: Iterable[dict[str, str]]) -> list[CatalogEntry]:
    """Entries from catalog CSV rows (header as in DESIGN.md; extra columns ignored)."""
    entries = []
    for row in rows:
        sku = (row.get("sku") or "").strip()
        if not sku:
            continue
        aliases = tuple(a.strip() for a in (row.get("aliases") or "").split("|") if a.strip())
        pack = (row.get("pack_size") or "").strip()
        minimum = (row.get("min_order_qty") or "").strip()
        entries.append(
            CatalogEntry(
                sku=sku,
                name=(row.get("name") or "").strip(),
                category=(row.get("category") or "").strip(),
                unit=(row.get("unit") or "").strip(),
                pack_size=int(pack) if pack.isdigit() and int(pack) > 0 else 1,
                aliases=aliases,
                min_order_qty=int(minimum) if minimum.isdigit() and int(minimum) > 0 else 1,
            )
        )
    return entries


def entries_from_csv(path: str | Path) -> list[CatalogEntry]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        return entries_from_rows(csv.DictReader(handle))
