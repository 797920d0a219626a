"""What the queue's list shows of an item in each column: QueueAdmin's columns, and the list's
one-pass writer (queue_rows), both write them from here.

A `Cells` is made once for a page: the time zone is read once for every time on it, rather than
once a cell (each read goes through Django's per-request state: about 0.45 ms of the queue's
page, docs/performance.md). Each column is a method of the same name as QueueAdmin's.
"""

from collections.abc import Callable
from datetime import datetime, tzinfo
from html import escape
from typing import Any

from django.contrib import admin
from django.utils import timezone
from django.utils.safestring import SafeData, SafeString

from clinics.time_text import weekday_and_time

RAISED_REASON = "Raised by a later check"


def local_time(value: datetime | None, zone: tzinfo | None = None) -> str:
    """A time as the queue writes one: "Wed 02 Dec 14:05", in `zone` (the current one)."""
    if not value:
        return ""
    return weekday_and_time(value.astimezone(zone or timezone.get_current_timezone()))


class Cells:
    def __init__(self) -> None:
        self.zone = timezone.get_current_timezone()
        # One "now" for the page: every row is overdue or not by the same clock.
        self.now = timezone.now()

    def title(self, share) -> str:
        # What names the item (its select box's label): str(share), in the page's time zone.
        return share.title(self.zone)

    def sent(self, share) -> str:
        return local_time(share.sent_at, self.zone)

    def disposition_shown(self, share) -> str:
        return markup(
            '<span class="queue-disposition queue-disposition--{}">{}</span>',
            share.disposition,
            share.get_disposition_display(),
        )

    def reasons(self, share) -> str:
        reasons = share.queue_reasons
        if share.result_disposition and share.disposition != share.result_disposition:
            # A later check raised it: its reasons are on the item's page, not the result's.
            return "; ".join(filter(None, [RAISED_REASON, reasons]))
        return reasons or "-"

    def due(self, share) -> str:
        if share.due_at is None:
            return "-"
        if share.is_overdue(self.now):
            return markup(
                '{} <strong class="queue-overdue">Overdue</strong>',
                local_time(share.due_at, self.zone),
            )
        return local_time(share.due_at, self.zone)

    def status_shown(self, share) -> str:
        return share.get_status_display()

    def assignee(self, share) -> str:
        return share.assigned_to.get_username() if share.assigned_to_id else "-"

    def contact(self, share) -> str:
        return share.get_contact_way_display()

    def note(self, share) -> str:
        return "Yes" if share.has_note else ""


def column(name: str, description: str) -> Callable[[Any, Any], str]:
    """QueueAdmin's `name` column: Cells' method of that name, for one item."""

    @admin.display(description=description)
    def cell(model_admin, share) -> str:
        return getattr(Cells(), name)(share)

    cell.__name__ = name
    # For queue_rows, which calls this method of the page's one Cells instead.
    cell.cells_method = name
    return cell


def markup(template: str, *values) -> SafeString:
    """`template` with `values` escaped into it: format_html's result for the list's columns,
    without its per-value lazy-string checks (about 12 µs a call, two calls a row)."""
    return SafeString(template.format(*map(escaped, values)))


def escaped(value) -> str:
    """`value` as HTML: as django.utils.html.conditional_escape writes it, which costs a
    lazy-string check per call (thousands a page) for the same standard-library escape."""
    if isinstance(value, SafeData):
        return str(value)
    return escape(str(value))
