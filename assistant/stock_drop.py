"""The ERP's hourly or daily stock files, dropped in a folder and read every N minutes.

A file is taken only once it has stopped growing (the ERP may still be writing it), is
imported as `comptoir import stock` would (each row carries its as-of time, so a stale
file changes nothing), then moved to `done/` or, with its errors beside it, to `failed/`.
"""

from __future__ import annotations

import logging
import time
from datetime import datetime
from pathlib import Path

from commerce.importing import ImportRejected, import_csv
from commerce.persistence.database import transaction

log = logging.getLogger("comptoir.stock_drop")
SETTLE_SECONDS = 5.0


def read_drop_folder(sessions, folder: str | Path, *, now: datetime, settle: float = SETTLE_SECONDS) -> dict[str, int]:
    """Import every settled CSV of `folder`; returns how many went to done and to failed."""
    folder = Path(folder)
    done, failed = folder / "done", folder / "failed"
    counts = {"done": 0, "failed": 0}
    for path in sorted(folder.glob("*.csv")):
        if time.time() - path.stat().st_mtime < settle:
            continue  # still being written
        try:
            with transaction(sessions) as session:
                report = import_csv(session, "stock", path, now=now, skip_bad=True, commit_batches=True)
        except ImportRejected as rejected:
            report = rejected.report
        except Exception as error:  # unreadable: kept aside with the reason, never retried in a loop
            _move(path, failed, f"{error}\n")
            log.error("stock file %s could not be read: %s", path.name, error)
            counts["failed"] += 1
            continue
        if report.errors:
            _move(path, failed, "".join(f"line {e.line}: {e.reason}\n" for e in report.errors))
            log.warning("stock file %s: %d bad row(s), the good ones imported", path.name, len(report.errors))
            counts["failed"] += 1
        else:
            _move(path, done, None)
            log.info("stock file %s imported", path.name)
            counts["done"] += 1
    return counts


def _move(path: Path, where: Path, errors: str | None) -> None:
    where.mkdir(exist_ok=True)
    target = where / f"{datetime.now():%Y%m%dT%H%M%S}-{path.name}"
    path.replace(target)
    if errors is not None:
        target.with_suffix(".errors.txt").write_text(errors, encoding="utf-8")
