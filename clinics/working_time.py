"""When a clinic aims to reply: the "due by" of a result sent to it (issue "The clinic loop").

Counted from sending, in the site's TIME_ZONE: urgent 4 hours; stop 2 working days; consult 5
working days, Monday to Friday. The rest (change, go ahead) has no reply time.

Working days keep the time of day they were sent at: sent Friday 15:00, 2 working days is
Tuesday 15:00. Sent on a Saturday or Sunday, the count starts at 00:00 on the Monday after (the
earliest reading of "Monday to Friday": nobody is due before the week starts). Urgent is 4 hours
of the clock, weekends included, because an urgent result cannot wait for Monday.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from assessments.rulebook import Disposition

URGENT_REPLY = timedelta(hours=4)
WORKING_DAYS_TO_REPLY: dict[Disposition, int] = {Disposition.STOP: 2, Disposition.CONSULT: 5}
SATURDAY = 5


def due_at(disposition: Disposition | str, sent_at: datetime) -> datetime | None:
    """When the clinic aims to have replied; None when the disposition sets no reply time."""
    disposition = Disposition(disposition)
    if disposition is Disposition.URGENT:
        return sent_at + URGENT_REPLY
    days = WORKING_DAYS_TO_REPLY.get(disposition)
    if days is None:
        return None
    return add_working_days(sent_at, days)


def add_working_days(start: datetime, days: int) -> datetime:
    local = timezone.localtime(start)
    zone = local.tzinfo
    day, at = local.date(), local.time().replace(tzinfo=None)
    if day.weekday() >= SATURDAY:
        day, at = day + timedelta(days=7 - day.weekday()), time.min
    while days:
        day += timedelta(days=1)
        if day.weekday() < SATURDAY:
            days -= 1
    # A wall-clock time on the due day, made aware again (so a clock change in between keeps
    # the time people read, not the number of hours).
    return timezone.make_aware(datetime.combine(day, at), zone)


def reply_time_in_words(disposition: Disposition | str) -> str:
    """How soon the clinic aims to reply, for the person who sent it ("" if no time is set)."""
    disposition = Disposition(disposition)
    if disposition is Disposition.URGENT:
        return f"within {URGENT_REPLY // timedelta(hours=1)} hours"
    days = WORKING_DAYS_TO_REPLY.get(disposition)
    return f"within {days} working days (Monday to Friday)" if days else ""
