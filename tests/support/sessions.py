"""Sessions in tests (rulebook section 6): a base, checks, logged sessions and check-ins made
through the services, with today's date given so a test controls the days."""

import datetime
import uuid

from django.utils import timezone

from assessments.models import Assessment
from roller_sessions import services
from roller_sessions.models import Check, Session
from tests.support.answers import answers as answer_set
from tests.support.assessments import save_assessment

# A check before a session that changes nothing: scalp as it was, no reaction, same device
# disinfected.
CALM_CHECK = {"scalp_today": ["none"], "reaction_now": "no", "device_today": "same_disinfected"}


def today() -> datetime.date:
    return timezone.localdate()


def days_from_today(days: int) -> datetime.date:
    return today() + datetime.timedelta(days=days)


def save_base(owner, *, days_ago: int = 0, **changes) -> Assessment:
    """A saved assessment of `owner` (safe answers with `changes`), `days_ago` days old."""
    # Days by the site's calendar (the rule counts local dates): the same local time of day,
    # `days_ago` dates back. Subtracting 24-hour days from now lands a day off when a summer
    # time change lies between (late in the evening, in Europe/London).
    now = timezone.localtime()
    day = now.date() - datetime.timedelta(days=days_ago)
    created_at = timezone.make_aware(datetime.datetime.combine(day, now.time()))
    return save_assessment(answer_set(**changes), owner=owner, created_at=created_at)


def take_check(owner, *, on: datetime.date | None = None, **given) -> Check:
    return services.check_take(
        user=owner,
        given={**CALM_CHECK, **given},
        submission_id=uuid.uuid4(),
        today=on or today(),
    )


def log_session(check: Check) -> Session:
    return services.session_log(check=check, date=check.date, today=check.date)


def take_and_log(owner, *, on: datetime.date | None = None, **given) -> Session:
    return log_session(take_check(owner, on=on, **given))


def take_checkin(session: Session, day: int, *signs: str, days_after: int | None = None) -> Check:
    on = session.date + datetime.timedelta(days=day if days_after is None else days_after)
    return services.checkin_take(
        session=session,
        day=day,
        given={"after_signs": list(signs) or ["none"]},
        submission_id=uuid.uuid4(),
        today=on,
    )


def many_sessions(owner, count: int) -> Assessment:
    """`count` sessions, one a day, made straight through the models (the services would
    take minutes for 500)."""
    base = save_base(owner, days_ago=count + 2)
    template = take_check(owner, on=days_from_today(-count - 1))
    Check.objects.filter(pk=template.pk).delete()
    for days in range(count, 0, -1):
        check = Check.objects.create(
            **{
                f.name: getattr(template, f.name)
                for f in Check._meta.concrete_fields
                if f.name not in ("id", "submission_id", "date", "created_at")
            },
            submission_id=uuid.uuid4(),
            date=days_from_today(-days),
        )
        Session.objects.create(
            owner=owner,
            base=base,
            before_check=check,
            date=check.date,
            device_today=check.given["device_today"],
        )
    return base
