"""Import a CSV file of one kind: all good rows in one transaction, or none.

A file with bad rows is rejected whole with every bad row listed (line numbers count
the header as line 1); with `skip_bad` the good rows are imported and the others
reported. Re-importing the same file changes nothing (rows are upserted by their key).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from commerce.conditions import Condition, ConditionKind, find_conflicts
from commerce.errors import CommerceError, ErrorCode
from commerce.importing.kinds import HEADERS, KEYS, OPTIONAL, READERS, Known
from commerce.persistence import stock_store
from commerce.persistence.catalog_store import all_conditions
from commerce.persistence.tables import (
    ConditionRow,
    ContactRow,
    CustomerRow,
    LoyaltyTierRow,
    ProductRow,
    StockRow,
)

KINDS = tuple(HEADERS)
TABLES = {"catalog": ProductRow, "customers": CustomerRow, "contacts": ContactRow, "stock": StockRow,
          "tiers": LoyaltyTierRow}
INT_MAX = 2**31 - 1  # an INTEGER column, on PostgreSQL as on SQLite
CHUNK = 1000


@dataclass(frozen=True, slots=True)
class RowError:
    line: int
    reason: str


@dataclass
class ImportReport:
    kind: str
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[RowError] = field(default_factory=list)
    applied: bool = False

    @property
    def imported(self) -> int:
        return self.inserted + self.updated + self.unchanged


class ImportRejected(CommerceError):
    def __init__(self, report: ImportReport) -> None:
        super().__init__(
            ErrorCode.IMPORT_REJECTED,
            f"{report.kind}: {len(report.errors)} bad row(s), nothing imported",
            report=report,
        )
        self.report = report


def read_rows(path: str | Path) -> tuple[list[str], list[tuple[int, dict]]]:
    raw = Path(path).read_bytes()
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CommerceError(
            ErrorCode.IMPORT_REJECTED, f"{path}: not UTF-8 (byte {error.start}); save it as UTF-8"
        ) from None
    reader = csv.DictReader(io.StringIO(content, newline=""))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    reader.fieldnames = header
    rows = []
    for row in reader:
        # The reader's line_num is the physical line, multi-line quoted cells included.
        rows.append((reader.line_num, row))
    return header, rows


def _known(session: Session, kind: str) -> Known:
    known = Known()
    if kind in ("stock", "conditions"):
        known.skus = set(session.scalars(select(ProductRow.sku)))
    if kind in ("contacts", "conditions"):
        known.customers = set(session.scalars(select(CustomerRow.customer_id)))
    if kind == "conditions":
        known.segments = {s for s in session.scalars(select(CustomerRow.segment)) if s}
        known.categories = set(session.scalars(select(ProductRow.category)))
    if kind == "contacts":
        known.slack_ids = {
            sid: email
            for sid, email in session.execute(select(ContactRow.slack_user_id, ContactRow.email))
            if sid
        }
    return known


def import_csv(
    session: Session,
    kind: str,
    path: str | Path,
    *,
    now: datetime,
    skip_bad: bool = False,
    progress: Callable[[int], None] | None = None,
    commit_batches: bool = False,
) -> ImportReport:
    """Validate then write; raises ImportRejected (nothing written) when rows are bad.

    With `commit_batches`, a stock file is written 1,000 rows per transaction once every row
    is valid: other work is not held for the whole file, and a snapshot interrupted half-way
    is completed by importing the file again (each row carries its as-of time)."""
    if kind not in READERS:
        raise CommerceError(ErrorCode.IMPORT_REJECTED, f"unknown kind {kind!r}: {', '.join(KINDS)}")
    header, rows = read_rows(path)
    report = ImportReport(kind=kind, rows=len(rows))
    missing = [c for c in HEADERS[kind] if c not in header and c not in OPTIONAL[kind]]
    if missing and not (kind in TABLES and kind not in ("stock", "tiers") and KEYS[kind] in header):
        report.errors.append(RowError(1, f"missing column(s): {', '.join(missing)}"))
        raise ImportRejected(report)
    if missing:
        # a partial file (say sku and price_ht): existing rows keep what it does not carry,
        # a new row needs every column; a file of new rows only lacks columns, plainly
        completed = _completed(session, kind, rows, missing, report)
        if completed is None:
            report.errors.append(RowError(1, f"missing column(s): {', '.join(missing)}"))
            raise ImportRejected(report)
        rows = completed
    known = _known(session, kind)
    reader = READERS[kind]
    records: list[tuple[int, object]] = []
    seen: dict[str, int] = {}
    for done, (line, row) in enumerate(rows, start=1):
        if None in row:  # more cells than the header has columns
            report.errors.append(RowError(line, "more cells than header columns"))
            continue
        try:
            record = reader(row, known, line)
            if kind in TABLES:
                _check_fits(TABLES[kind], record)
        except ValueError as error:
            report.errors.append(RowError(line, str(error)))
            continue
        key_column = KEYS.get(kind)
        if key_column:
            key = record[key_column]
            if key in seen:
                report.errors.append(RowError(line, f"duplicate {key_column} {key} (line {seen[key]})"))
                continue
            seen[key] = line
            if kind == "catalog":
                known.skus.add(key)
            if kind == "customers":
                known.customers.add(key)
        records.append((line, record))
        if progress and done % 500 == 0:
            progress(500)
    if progress:
        progress(len(rows) % 500)
    if kind == "conditions":
        records = _drop_conflicts(session, records, report)
    if kind == "tiers" and records and not any(r["threshold_ht"] == 0 for _, r in records):
        report.errors.append(RowError(1, "the ladder needs a first tier from threshold_ht 0"))
    report.warnings = [RowError(line, reason) for line, reason in known.warnings]
    if report.errors and not skip_bad:
        raise ImportRejected(report)
    if kind in ("catalog", "customers", "contacts"):
        # a file of some columns changes those only: pack size, aliases, thresholds... stay as they are
        _write_rows(session, kind, [record for _, record in records], report, now, columns=set(header))
    elif kind == "stock" and commit_batches:
        rows_only = [record for _, record in records]
        for start in range(0, len(rows_only), CHUNK):
            _write_stock(session, rows_only[start:start + CHUNK], report, now)
            session.commit()
    else:
        WRITERS[kind](session, [record for _, record in records], report, now)
    session.flush()
    report.applied = True
    return report


def _drop_conflicts(session: Session, records: list, report: ImportReport) -> list:
    incoming = [cond for _, cond in records]
    by_identity = {cond.identity(): line for line, cond in records}
    existing = [c for c in all_conditions(session) if c.identity() not in by_identity]
    lines = {id(cond): line for line, cond in records}
    bad: set[int] = set()
    for a, b in find_conflicts([*existing, *incoming]):
        for cond, other in ((a, b), (b, a)):
            if id(cond) in lines:
                where = f"line {lines[id(other)]}" if id(other) in lines else "an existing rule"
                report.errors.append(
                    RowError(
                        lines[id(cond)],
                        f"conflicts with {where}: both are {cond.kind.value} for "
                        f"{cond.scope()} and disagree",
                    )
                )
                bad.add(id(cond))
    report.errors.sort(key=lambda e: e.line)
    return [(line, cond) for line, cond in records if id(cond) not in bad]


def _completed(session: Session, kind: str, rows: list[tuple[int, dict]], missing: list[str],
               report: ImportReport) -> list[tuple[int, dict]] | None:
    """Rows of a partial file, with the columns it lacks read from the rows already stored
    (None when it changes no stored row: then it is a file that lacks columns)."""
    table, key = TABLES[kind], KEYS[kind]
    wanted = [(row.get(key) or "").strip() for _, row in rows]
    stored: dict[str, dict] = {}
    for start in range(0, len(wanted), CHUNK):
        for row in session.scalars(select(table).where(getattr(table, key).in_(wanted[start:start + CHUNK]))):
            stored[getattr(row, key)] = {c: _as_cell(getattr(row, c)) for c in missing}
    if not stored:
        return None
    out = []
    for (line, row), value in zip(rows, wanted, strict=True):
        if value in stored:
            out.append((line, {**row, **stored[value]}))
        else:
            report.errors.append(RowError(line, f"new {key} {value or '(empty)'}: the file lacks column(s) "
                                                f"{', '.join(missing)}"))
    return out


def _as_cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _check_fits(table, record: dict) -> None:
    """Each value fits its column (length, digits, integer range), or the row is refused with
    the reason: the same answer on SQLite, which would store it, as on PostgreSQL, which would fail."""
    for name, value in record.items():
        column = table.__table__.columns.get(name)
        if column is None or value is None:
            continue
        kind = column.type
        length = getattr(kind, "length", None)
        if isinstance(value, str) and length and len(value) > length:
            raise ValueError(f"{name} is longer than {length} characters ({len(value)})")
        if isinstance(value, Decimal):
            precision, scale = getattr(kind, "precision", None), getattr(kind, "scale", None)
            if precision is not None and scale is not None:
                exponent = value.as_tuple().exponent
                if isinstance(exponent, int) and -exponent > scale:
                    raise ValueError(f"{name} has more than {scale} decimals: {value}")
                if abs(value) >= Decimal(10) ** (precision - scale):
                    raise ValueError(f"{name} is too large: {value} (at most {precision - scale} digits before "
                                     f"the decimal point)")
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT_MAX:
            raise ValueError(f"{name} is too large: {value}")


def _write_rows(session: Session, kind: str, records: list[dict], report: ImportReport, now, *,
                columns: set[str]) -> None:
    key = KEYS[kind]
    _upsert(session, TABLES[kind], key, records, report, now, columns=columns | {key})
    if kind == "catalog":
        _add_stock_rows(session, records)


def _upsert(session: Session, table, key: str, records: list[dict], report: ImportReport, now, *,
            columns: set[str] | None = None) -> None:
    """Insert new rows whole; of an existing row, change only the `columns` the file carries."""
    column = getattr(table, key)
    existing: dict[str, dict] = {}
    keys = [r[key] for r in records]
    names = [c for c in records[0]] if records else []
    for start in range(0, len(keys), CHUNK):
        chunk = keys[start : start + CHUNK]
        for row in session.execute(select(table).where(column.in_(chunk))).scalars():
            existing[getattr(row, key)] = {n: getattr(row, n) for n in names}
    new, changed = [], []
    for record in records:
        old = existing.get(record[key])
        if old is None:
            new.append({**record, "updated_at": now})
            continue
        if columns is not None:
            record = {n: v for n, v in record.items() if n in columns}
            old = {n: v for n, v in old.items() if n in columns}
        if old != record:
            changed.append({**record, "updated_at": now})
        else:
            report.unchanged += 1
    for start in range(0, len(new), CHUNK):
        session.execute(insert(table), new[start : start + CHUNK])
    for start in range(0, len(changed), CHUNK):
        session.execute(update(table), changed[start : start + CHUNK])
    report.inserted += len(new)
    report.updated += len(changed)


def _write_catalog(session, records, report, now) -> None:
    _upsert(session, ProductRow, "sku", records, report, now)
    _add_stock_rows(session, records)


def _add_stock_rows(session, records) -> None:
    """Every product gets a stock row so that reservations have something to lock."""
    have = set(session.scalars(select(StockRow.sku)))
    fresh = [{"sku": r["sku"], "on_hand": 0, "reserved": 0, "preordered": 0, "incoming_qty": 0,
              "alert_threshold": 0, "safety_stock": 0, "alert_level": 0}
             for r in records if r["sku"] not in have]
    for start in range(0, len(fresh), CHUNK):
        session.execute(insert(StockRow), fresh[start : start + CHUNK])


def _write_customers(session, records, report, now) -> None:
    _upsert(session, CustomerRow, "customer_id", records, report, now)


def _write_contacts(session, records, report, now) -> None:
    _upsert(session, ContactRow, "email", records, report, now)


def _write_stock(session, records, report, now) -> None:
    for record in records:
        record["as_of"] = record["as_of"] or now
    taken, stale = stock_store.apply_snapshots(session, records, now=now)
    report.updated += taken
    report.unchanged += len(stale)
    report.warnings.extend(RowError(0, f"{sku}: older snapshot ignored") for sku in stale)


def _write_conditions(session, records: list[Condition], report, now) -> None:
    rows = {
        _identity(row): row for row in session.scalars(select(ConditionRow))
    }
    for cond in records:
        row = rows.get(cond.identity())
        if row is None:
            session.add(
                ConditionRow(
                    customer_id=cond.customer_id or "",
                    segment=cond.segment or "",
                    sku=cond.sku or "",
                    category=cond.category or "",
                    kind=cond.kind.value,
                    value=cond.value,
                    min_qty=cond.min_qty,
                    starts_on=cond.starts_on,
                    ends_on=cond.ends_on,
                    best_price=cond.best_price,
                )
            )
            report.inserted += 1
        elif row.value != cond.value or bool(row.best_price) != cond.best_price:
            row.value, row.best_price = cond.value, cond.best_price
            report.updated += 1
        else:
            report.unchanged += 1


def _identity(row: ConditionRow) -> tuple:
    return (ConditionKind(row.kind), row.customer_id, row.segment, row.sku, row.category,
            row.min_qty, row.starts_on, row.ends_on)


def _write_tiers(session, records: list[dict], report, now) -> None:
    """A ladder is replaced whole: the file is the distributor's ladder."""
    before = {row.name for row in session.scalars(select(LoyaltyTierRow))}
    session.execute(delete(LoyaltyTierRow))
    session.execute(insert(LoyaltyTierRow), [{**r, "updated_at": now} for r in records])
    report.inserted += len({r["name"] for r in records} - before)
    report.updated += len({r["name"] for r in records} & before)


WRITERS = {
    "catalog": _write_catalog,
    "stock": _write_stock,
    "customers": _write_customers,
    "contacts": _write_contacts,
    "conditions": _write_conditions,
    "tiers": _write_tiers,
}
