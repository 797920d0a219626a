"""Delivering one reminder: a task that runs at the reminder's due time (`run_after`).

It decides, then, whether the reminder still applies, and queues the email through the outbox
(outbox/, at least once, retried) in the same transaction that marks the reminder emailed: a
reminder is queued once, and a duplicate email happens only where the outbox allows one (a
worker that died between the SMTP server's "accepted" and its "sent").
"""

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from assessments.rulebook import Disposition
from roller_sessions.models import Check, Reminder, Session
from scalpsafe.emails import email_send_later


@task()
def reminder_deliver(reminder_id: int) -> str:
    from roller_sessions import reminders

    with transaction.atomic():
        reminder = (
            Reminder.objects.select_for_update()
            .select_related("session__owner")
            .filter(pk=reminder_id)
            .first()
        )
        if reminder is None or reminder.emailed_at or reminder.skipped_at:
            return "nothing to do"
        now = timezone.now()
        if reminder.due_at > now:
            # Enqueued early (recovered, or the clock moved back): wait for its time.
            reminder_deliver.using(run_after=reminder.due_at).enqueue(reminder_id=reminder.pk)
            return "not yet"
        user = reminder.session.owner
        address = reminders.reminder_address(user)
        if not (reminders.reminders_wanted(user) and address and _still_applies(reminder)):
            reminder.skipped_at = now
            reminder.save(update_fields=["skipped_at"])
            return "skipped"
        # `about` the session's assessment: deleting it, or the account, deletes this email
        # while it is still queued, as for every email about a result.
        email_send_later(
            to=[address],
            about=reminder.session.base_id,
            **reminders.reminder_email(reminder, user),
        )
        reminder.emailed_at = now
        reminder.save(update_fields=["emailed_at"])
        return "queued"


def _still_applies(reminder: Reminder) -> bool:
    session = reminder.session
    # Two sessions logged on one day schedule the same reminders for the same hour: one email.
    same_one_sent = Reminder.objects.filter(
        session__owner_id=session.owner_id,
        kind=reminder.kind,
        due_at=reminder.due_at,
        emailed_at__isnull=False,
    ).exists()
    if same_one_sent:
        return False
    if reminder.kind == Reminder.Kind.NEXT_SESSION:
        # A session logged since makes this date old news; an urgent or stop check since
        # means no next session until a professional has seen it.
        logged_since = Session.objects.filter(
            owner_id=session.owner_id, created_at__gt=session.created_at
        ).exists()
        stopped_since = Check.objects.filter(
            owner_id=session.owner_id,
            created_at__gt=session.created_at,
            disposition__in=[d.value for d in Disposition if d.is_stop],
        ).exists()
        return not (logged_since or stopped_since)
    day = int(reminder.kind.rsplit("_", 1)[1])
    # Taken already, or a later check-in of the session taken (a late one covers this day).
    return not Check.objects.filter(session=session, checkin_day__gte=day).exists()
