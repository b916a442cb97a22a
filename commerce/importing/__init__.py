"""CSV importers for catalog, stock, customers, contacts and conditions."""

from commerce.importing.runner import KINDS, ImportRejected, ImportReport, RowError, import_csv

__all__ = ["KINDS", "ImportRejected", "ImportReport", "RowError", "import_csv"]
