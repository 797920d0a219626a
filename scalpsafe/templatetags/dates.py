"""{{ value|date_as:"j F Y, H:i" }}: what Django's `date` filter writes, for the format letters the
site's dates use, without reading the format letter by letter on every use.

Django's filter runs the format through DateFormat on every date: about 40 µs a date in a
template, and the result page's sharing panel, rendered on every request, writes two: two
thirds of its render (docs/performance.md, twenty-second sitting). Here a format is split
once per process into its letters and the text between them. The letters are Django's, with
Django's meaning and its month and weekday names: j, d, F, Y, H, i, l. A format with any other
letter (or a backslash), or a value that is not a date and time, goes to Django's filter, so
the answer is always the one it gives.
"""

import datetime
import functools
from collections.abc import Callable

from django import template
from django.template.defaultfilters import date as django_date
from django.utils.dates import MONTHS, WEEKDAYS

register = template.Library()

# Each letter as django.utils.dateformat.DateFormat writes it.
_LETTERS: dict[str, Callable[[datetime.datetime], str]] = {
    "j": lambda value: str(value.day),
    "d": lambda value: f"{value.day:02d}",
    "F": lambda value: str(MONTHS[value.month]),
    "Y": lambda value: f"{value.year:04d}",
    "H": lambda value: f"{value.hour:02d}",
    "i": lambda value: f"{value.minute:02d}",
    "l": lambda value: str(WEEKDAYS[value.weekday()]),
}


@functools.lru_cache(maxsize=64)
def _pieces(format_string: str) -> tuple | None:
    """The format's letters (as functions) and text, or None for one Django's filter writes."""
    pieces = []
    for character in format_string:
        if character in _LETTERS:
            pieces.append(_LETTERS[character])
        elif character.isalpha() or character == "\\":
            return None
        else:
            pieces.append(character)
    return tuple(pieces)


# expects_localtime: the value arrives in the current time zone, as Django's filter gets it.
@register.filter(expects_localtime=True)
def date_as(value, format_string: str) -> str:
    # No format: Django's filter writes DATE_FORMAT's.
    known = format_string and isinstance(value, datetime.datetime)
    pieces = _pieces(format_string) if known else None
    if pieces is None:
        return django_date(value, format_string)
    return "".join(piece if isinstance(piece, str) else piece(value) for piece in pieces)
