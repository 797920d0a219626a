"""The queue writes times as strftime does (clinics/time_text.py), without calling it."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from clinics.time_text import date_and_time, weekday_and_time


def every_hour_of_a_leap_year(zone):
    start = datetime(2028, 1, 1, tzinfo=UTC)
    for hours in range(0, 366 * 24, 7):  # 7: every hour of the day, every weekday
        yield (start + timedelta(hours=hours, minutes=hours % 60)).astimezone(zone)


@pytest.mark.parametrize("zone", [UTC, ZoneInfo("Europe/London"), ZoneInfo("Pacific/Chatham")])
def test_each_time_is_written_as_strftime_writes_it(zone):
    for value in every_hour_of_a_leap_year(zone):
        assert weekday_and_time(value) == f"{value:%a %d %b %H:%M}"
        assert date_and_time(value) == f"{value:%d %b %Y %H:%M}"


# From 1000: Python 3.11's strftime writes earlier years unpadded, later versions pad them.
@pytest.mark.parametrize("year", [1000, 1900, 9999])
def test_years_far_off_are_written_as_strftime_writes_them(year):
    value = datetime(year, 12, 31, 23, 59)
    assert date_and_time(value) == f"{value:%d %b %Y %H:%M}"
    assert weekday_and_time(value) == f"{value:%a %d %b %H:%M}"
