"""The distributor's calendar: which day it is, and where a day begins, in its time zone.

Monthly limits, promotion dates and quote validity are days of the distributor's calendar
(`COMPTOIR_TIMEZONE`, Europe/Paris by default), not of UTC: an order at 23:30 UTC on
30 November is a December order in Paris. Moments are stored in UTC; this module is the one
place that turns them into days and days back into moments.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/Paris"
_zone = ZoneInfo(DEFAULT_TIMEZONE)


def configure(name: str | None) -> ZoneInfo:
    """Set the distributor's time zone (settings do this at start); refuses an unknown name."""
    global _zone
    try:
        _zone = ZoneInfo(name or DEFAULT_TIMEZONE)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone: {name!r} (an IANA name such as Europe/Paris)") from None
    return _zone


def zone() -> ZoneInfo:
    return _zone


def local_day(moment: datetime) -> date:
    """The distributor's day at that moment."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(_zone).date()


def day_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The first and last moments (UTC) of the distributor's days `start` to `end`."""
    lo = datetime.combine(max(start, date(1970, 1, 2)), time.min, tzinfo=_zone)
    hi = datetime.combine(min(end, date(9998, 12, 31)), time.max, tzinfo=_zone)
    return lo.astimezone(UTC), hi.astimezone(UTC)
