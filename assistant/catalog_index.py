"""The parser's view of the catalog, rebuilt only when the catalog changes."""

from __future__ import annotations

import threading

from sqlalchemy.orm import Session

from commerce.catalog import Product
from commerce.persistence import catalog_store
from intents import CatalogEntry, Parser


def entry_of(product: Product) -> CatalogEntry:
    return CatalogEntry(sku=product.sku, name=product.name, category=product.category, unit=product.unit,
                        pack_size=product.pack_size, aliases=tuple(product.aliases),
                        min_order_qty=product.min_order_qty or 1)


class CatalogIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._parser: Parser | None = None
        self._entries: dict[str, CatalogEntry] = {}

    def parser(self, session: Session) -> Parser:
        version = catalog_store.catalog_version(session)
        with self._lock:
            if self._parser is None or version != self._version:
                entries = [entry_of(p) for p in catalog_store.all_products(session)]
                self._parser = Parser(entries)
                self._entries = {e.sku: e for e in entries}
                self._version = version
            return self._parser

    def entries(self, skus) -> list[CatalogEntry]:
        return [self._entries[s] for s in skus if s in self._entries]
