"""Day boundaries follow the distributor's time zone (COMPTOIR_TIMEZONE, Europe/Paris by default)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from assistant.config import load_settings
from commerce import days
from commerce.demo import load_demo
from commerce.persistence.database import transaction
from tests.e2e.conftest import CLAIRE, set_stock
from tests.fakes import Conversation, make_assistant

LATE_NOVEMBER = datetime(2026, 11, 30, 22, 30, tzinfo=UTC)  # 23:30 in Paris, still November
DECEMBER_IN_PARIS = datetime(2026, 11, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 December in Paris


@pytest.fixture
def paris():
    yield days.configure("Europe/Paris")
    days.configure(None)


def test_the_distributors_day_is_not_utcs(paris):
    assert days.local_day(DECEMBER_IN_PARIS) == date(2026, 12, 1)
    assert days.local_day(LATE_NOVEMBER) == date(2026, 11, 30)
    lo, hi = days.day_bounds(date(2026, 12, 1), date(2026, 12, 31))
    assert lo == datetime(2026, 11, 30, 23, 0, tzinfo=UTC) and hi.date() == date(2026, 12, 31)


def test_the_time_zone_is_a_setting_and_a_bad_one_is_refused(tmp_path):
    try:
        load_settings({"COMPTOIR_TIMEZONE": "America/Montreal", "COMPTOIR_VAR_DIR": str(tmp_path)})
        assert days.local_day(DECEMBER_IN_PARIS) == date(2026, 11, 30)
        with pytest.raises(ValueError, match="unknown time zone"):
            load_settings({"COMPTOIR_TIMEZONE": "Mars/Olympus", "COMPTOIR_VAR_DIR": str(tmp_path)})
    finally:
        days.configure(None)


def test_a_monthly_limit_starts_again_at_midnight_in_paris(engine, sessions, paris):
    with transaction(sessions) as session:
        load_demo(session, now=LATE_NOVEMBER)
    set_stock(sessions, "GANT-NIT-M", 500)
    assistant, clock = make_assistant(engine, LATE_NOVEMBER)
    chat = Conversation(assistant, clock)
    assert "confirmée" in chat.say(CLAIRE, "Merci de nous livrer 40 boîtes de gants nitrile M")  # ACME: 50 a month
    clock.advance(hours=1)  # 30 November 23:30 UTC: December has begun in Paris
    assert "confirmée" in chat.say(CLAIRE, "Merci de nous livrer 40 boîtes de gants nitrile M")
