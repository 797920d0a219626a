"""{{ value|date_as:"..." }} (scalpsafe/templatetags/dates.py) writes what Django's `date`
filter writes, for every value and format: its own pieces where it knows every letter, Django's
filter for the rest."""

import datetime
import zoneinfo

import pytest
from django.template import engines
from django.utils import timezone

from scalpsafe.templatetags import dates

LONDON = zoneinfo.ZoneInfo("Europe/London")
FORMATS = [
    "",
    "DATE_FORMAT",
    "j F Y, H:i",
    "l j F, H:i",
    "d/m/Y",
    "j F Y",
    "H:i",
    "D d M",
    "jS F",
    r"j \o\f F",
]
VALUES = [
    datetime.datetime(2026, 3, 29, 0, 59, tzinfo=datetime.UTC),  # the hour before summer time
    datetime.datetime(2026, 3, 29, 1, 0, tzinfo=datetime.UTC),  # the first hour of it
    datetime.datetime(2026, 10, 25, 0, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 10, 25, 1, 30, tzinfo=datetime.UTC),
    datetime.datetime(2026, 12, 31, 23, 59, tzinfo=datetime.UTC),
    datetime.datetime(2027, 1, 1, 0, 0, tzinfo=LONDON),
    datetime.datetime(999, 2, 3, 4, 5, tzinfo=datetime.UTC),  # a year of three digits
    datetime.datetime(2026, 7, 4, 9, 5),  # naive
    datetime.date(2026, 7, 4),
    None,
    "",
    "not a date",
]


def both(value, format_string: str) -> tuple[str, str]:
    """What each filter writes, or the error it raises (a time of a date: TypeError)."""
    engine = engines["django"]
    ours = engine.from_string(f'{{% load dates %}}{{{{ value|date_as:"{format_string}" }}}}')
    django = engine.from_string(f'{{{{ value|date:"{format_string}" }}}}')
    return _written(ours, value), _written(django, value)


def _written(template, value) -> str:
    try:
        return template.render({"value": value})
    except Exception as error:  # noqa: BLE001 (compared: the same error either way)
        return f"raised {type(error).__name__}"


@pytest.mark.parametrize("format_string", FORMATS)
@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_it_writes_what_djangos_date_filter_writes(value, format_string):
    ours, django = both(value, format_string)
    assert ours == django


@pytest.mark.parametrize("zone", ["Europe/London", "America/St_Johns", "Asia/Kathmandu"])
def test_in_the_current_time_zone(zone):
    value = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.UTC)
    with timezone.override(zoneinfo.ZoneInfo(zone)):
        ours, django = both(value, "l j F, H:i")
    assert ours == django
    assert ours.startswith("Monday 1 June, ")


def test_it_writes_its_own_pieces_for_the_letters_it_knows():
    assert dates._pieces("j F Y, H:i") is not None
    assert dates._pieces("l j F, H:i") is not None
    assert dates._pieces("jS F") is None, "S is Django's to write"
    assert dates._pieces(r"j \o\f F") is None
