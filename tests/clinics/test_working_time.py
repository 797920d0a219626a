"""When a clinic aims to reply: urgent 4 hours; stop 2 and consult 5 working days, Mon-Fri."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments.rulebook import Disposition
from clinics.working_time import add_working_days, due_at, reply_time_in_words

LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _london(settings):
    settings.TIME_ZONE = "Europe/London"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


@pytest.mark.parametrize(
    ("disposition", "sent", "due"),
    [
        # Urgent is 4 hours of the clock, weekend or not.
        (Disposition.URGENT, "2026-12-04 22:30", "2026-12-05 02:30"),
        (Disposition.URGENT, "2026-12-05 10:00", "2026-12-05 14:00"),
        # Working days keep the time of day: Wednesday 10:00 + 2 is Friday 10:00.
        (Disposition.STOP, "2026-12-02 10:00", "2026-12-04 10:00"),
        # Friday 15:00 + 2 working days skips the weekend: Tuesday 15:00.
        (Disposition.STOP, "2026-12-04 15:00", "2026-12-08 15:00"),
        # Sent on a Saturday or Sunday, the count starts on Monday at 00:00.
        (Disposition.STOP, "2026-12-05 11:00", "2026-12-09 00:00"),
        (Disposition.STOP, "2026-12-06 23:59", "2026-12-09 00:00"),
        (Disposition.CONSULT, "2026-12-01 09:00", "2026-12-08 09:00"),
        (Disposition.CONSULT, "2026-12-04 17:00", "2026-12-11 17:00"),
        # Across the end of British Summer Time (25 October 2026): still 09:00 on the day.
        (Disposition.CONSULT, "2026-10-22 09:00", "2026-10-29 09:00"),
    ],
)
def test_it_counts_from_sending(disposition, sent, due):
    assert due_at(disposition, at(sent)) == at(due)


@pytest.mark.parametrize("disposition", [Disposition.CHANGE, Disposition.GO_AHEAD, "go_ahead"])
def test_the_rest_have_no_reply_time(disposition):
    assert due_at(disposition, at("2026-12-02 10:00")) is None
    assert reply_time_in_words(disposition) == ""


def test_it_reads_a_utc_time_in_the_local_zone():
    # 23:30 UTC on Friday 4 December is still Friday in London, so + 2 working days is Tuesday.
    sent = datetime(2026, 12, 4, 23, 30, tzinfo=ZoneInfo("UTC"))
    assert due_at(Disposition.STOP, sent) == at("2026-12-08 23:30")


def test_it_says_how_soon_in_words():
    assert reply_time_in_words(Disposition.URGENT) == "within 4 hours"
    assert reply_time_in_words(Disposition.STOP) == "within 2 working days (Monday to Friday)"
    assert reply_time_in_words("consult") == "within 5 working days (Monday to Friday)"


def test_an_unknown_disposition_is_an_error():
    with pytest.raises(ValueError, match="nonsense"):
        due_at("nonsense", at("2026-12-02 10:00"))


@given(
    sent=st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)),
    days=st.integers(min_value=1, max_value=30),
)
def test_working_days_land_on_a_weekday_and_count_only_weekdays(sent, days):
    start = sent.replace(tzinfo=LONDON)
    due = add_working_days(start, days)
    local = due.astimezone(LONDON)

    assert local.weekday() < 5
    assert due > start
    # Every weekday strictly after the (weekday-adjusted) start, up to the due day, is counted.
    first = start.date()
    while first.weekday() >= 5:
        first += timedelta(days=1)
    weekdays = sum(
        1
        for offset in range(1, (local.date() - first).days + 1)
        if (first + timedelta(days=offset)).weekday() < 5
    )
    assert weekdays == days
