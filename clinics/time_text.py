"""How the queue writes a time: what `strftime` writes for its two formats, without `strftime`.

The queue's list writes three times a row (the item's name, "Sent" and "Due by"): at 50 rows,
150 `strftime` calls of about 5 µs each, which read the C library's locale tables every time.
Here the same text comes from fixed tables (0.6 µs). The names are those of the C locale, the
one Python runs in unless `locale.setlocale` is called (nothing in ScalpSafe calls it), so the
text is `strftime`'s (tests/admin/test_time_text.py holds the two equal over every day of a year).
"""

from datetime import datetime

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# "00" to "59": a day of the month, an hour or a minute, as %d, %H and %M write it.
_TWO_DIGITS = tuple(f"{number:02d}" for number in range(60))


def weekday_and_time(value: datetime) -> str:
    """`value` as `%a %d %b %H:%M` writes it: "Wed 02 Dec 14:05"."""
    return (
        f"{_WEEKDAYS[value.weekday()]} {_TWO_DIGITS[value.day]} {_MONTHS[value.month - 1]} "
        f"{_TWO_DIGITS[value.hour]}:{_TWO_DIGITS[value.minute]}"
    )


def date_and_time(value: datetime) -> str:
    """`value` as `%d %b %Y %H:%M` writes it: "02 Dec 2026 14:05"."""
    return (
        f"{_TWO_DIGITS[value.day]} {_MONTHS[value.month - 1]} {value.year} "
        f"{_TWO_DIGITS[value.hour]}:{_TWO_DIGITS[value.minute]}"
    )
