"""Email reminders (opt-in, off by default): a check-in due, and the earliest next session.

A reminder row is written for every logged session, whatever the person chose, so turning
reminders on later covers the sessions already logged. Its task (roller_sessions.tasks) runs at
`due_at` and queues the email through the outbox only if, by then, the person has reminders on
with a confirmed address and the reminder still applies. The email names no health details:
only that something is due, a link to "My sessions", and a link that turns reminders off,
also as List-Unsubscribe and List-Unsubscribe-Post (RFC 8058) for the mail client's button.
"""

from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from assessments.rulebook import CHECKIN_DAYS
from roller_sessions.models import Reminder, ReminderChoice, Session

# Reminders go out at this hour of the person's day (TIME_ZONE), not at the hour of the session.
REMINDER_HOUR = 9
_UNSUBSCRIBE_SALT = "roller_sessions.reminders.off"


def _at_reminder_hour(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(REMINDER_HOUR)))


def checkin_kind(day: int) -> str:
    return Reminder.Kind(f"checkin_{day}")


def reminders_schedule(session: Session, *, next_earliest: datetime.date | None) -> None:
    """Write the session's reminders (check-ins on days 1, 3 and 7, and the earliest next date)
    and enqueue their tasks for their due times once the caller's transaction commits."""
    from roller_sessions.tasks import reminder_deliver

    rows = [
        Reminder(
            session=session,
            kind=checkin_kind(day),
            due_at=_at_reminder_hour(session.date + datetime.timedelta(days=day)),
        )
        for day in CHECKIN_DAYS
    ]
    if next_earliest is not None:
        rows.append(
            Reminder(
                session=session,
                kind=Reminder.Kind.NEXT_SESSION,
                due_at=_at_reminder_hour(next_earliest),
            )
        )
    created = Reminder.objects.bulk_create(rows)
    for reminder in created:
        transaction.on_commit(
            lambda r=reminder: reminder_deliver.using(run_after=r.due_at).enqueue(reminder_id=r.pk)
        )


def reminder_address(user) -> str | None:
    """The person's confirmed primary email address, or None: reminders need one."""
    address = EmailAddress.objects.filter(user=user, verified=True, primary=True).first()
    return address.email if address else None


def reminders_wanted(user) -> bool:
    return ReminderChoice.objects.filter(user=user, email_reminders=True).exists()


@transaction.atomic
def reminders_set(*, user, on: bool) -> ReminderChoice:
    """Turn email reminders on or off for `user`. On needs a confirmed address (ValueError)."""
    if on and reminder_address(user) is None:
        raise ValueError("Reminders need a confirmed email address.")
    choice, _ = ReminderChoice.objects.update_or_create(
        user=user, defaults={"email_reminders": on, "changed_at": timezone.now()}
    )
    return choice


def unsubscribe_token(user) -> str:
    """The token of the link that turns this person's reminders off: signed, not stored."""
    return signing.dumps(user.pk, salt=_UNSUBSCRIBE_SALT, compress=True)


def user_for_unsubscribe_token(token: str):
    """The person the token was made for, or None for a bad token or a deleted account."""
    try:
        pk = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if isinstance(pk, bool) or not isinstance(pk, int):
        return None
    return get_user_model().objects.filter(pk=pk, is_active=True).first()


def unsubscribe_url(user) -> str:
    path = reverse("roller_sessions:reminders_off", args=[unsubscribe_token(user)])
    return settings.SITE_URL + path


def reminder_email(reminder: Reminder, user) -> dict:
    """Subject, body and headers of a reminder: no health details, no answers, no results."""
    my_sessions = settings.SITE_URL + reverse("roller_sessions:mine")
    off = unsubscribe_url(user)
    if reminder.kind == Reminder.Kind.NEXT_SESSION:
        subject = "ScalpSafe: the earliest date for your next session"
        first = (
            "Today is the earliest date we suggested for your next session. Before it, take "
            "the short check on ScalpSafe:"
        )
    else:
        subject = "ScalpSafe: a check-in is due"
        first = "A check-in after your last session is due. It takes a minute, on ScalpSafe:"
    body = (
        f"{first}\n{my_sessions}\n\n"
        "You asked for these reminders. To turn them off, open this link and press the "
        f"button:\n{off}\n\nScalpSafe\n"
    )
    headers = {
        "List-Unsubscribe": f"<{off}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    return {"subject": subject, "body": body, "headers": headers}
