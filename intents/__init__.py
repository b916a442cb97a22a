"""Language: text -> Intent (French and English), knowing the catalog only by its entries.

The pipeline (see `intents.pipeline`): clean -> segment -> link -> quantities -> classify -> decide.
"""

from intents.catalog import CatalogEntry, entries_from_csv, entries_from_rows
from intents.clean import CleanedText, clean_message
from intents.model import Intent, IntentKind, IntentLine
from intents.pipeline import Parser

__all__ = [
    "CatalogEntry",
    "CleanedText",
    "Intent",
    "IntentKind",
    "IntentLine",
    "Parser",
    "clean_message",
    "entries_from_csv",
    "entries_from_rows",
]
