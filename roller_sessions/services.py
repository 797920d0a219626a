"""The write paths of sessions (rulebook section 6): take a check, confirm a consult, log a
session, take a check-in, delete a session. The answer sets come from assessments.checks
(pure); this module adds the database, the clock and the clinic.

Every check of a base that is with a clinic shows on its queue item; an `urgent` or `stop` one
raises the item (clinics.services.share_raise_for_check), in the same transaction.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone

from assessments import page_cache, rulebook
from assessments.checks import (
    CheckRefusal,
    check_answers,
    check_refusal,
    checkin_answers,
    clean_check,
    clean_checkin,
    consult_reasons,
    device_uses,
    next_session_earliest,
    reactions_merge,
    session_may_be_logged,
)
from assessments.models import Assessment
from assessments.scoring import score
from clinics.services import share_raise_for_check
from roller_sessions import reminders
from roller_sessions.models import Check, ConsultConfirmation, Session


class NoBase(Exception):
    """The person has no assessment yet: the full questionnaire comes first."""


class CheckNotAllowed(Exception):
    """No check today (section 6): `refusal` says why, `base` is the assessment it is about."""

    def __init__(self, refusal: CheckRefusal, base: Assessment):
        super().__init__(refusal.value)
        self.refusal = refusal
        self.base = base


class SessionNotAllowed(Exception):
    """The session cannot be logged; the message says why, in words for the person."""


class CheckinNotDue(Exception):
    """No check-in is offered for this session and day (yet, or any more)."""


def local_today() -> datetime.date:
    """The person's day, in the site's TIME_ZONE."""
    return timezone.localdate()


def base_for(user: AbstractBaseUser) -> Assessment | None:
    """The base of a person's checks: their newest assessment (section 6), or None."""
    return Assessment.objects.filter(owner=user).order_by("-created_at").first()


def base_check_refusal(base: Assessment, today: datetime.date) -> CheckRefusal | None:
    return check_refusal(
        base_date=timezone.localdate(base.created_at),
        base_rulebook_version=base.rulebook_version,
        base_disposition=rulebook.Disposition(base.disposition),
        today=today,
    )


def sessions_log(base: Assessment) -> list[dict]:
    """The sessions logged since `base`, oldest first, as assessments.checks reads them: date,
    device_today and the reactions their check-ins recorded. Two queries, whatever the count."""
    sessions = (
        Session.objects.filter(base=base)
        .order_by("date", "created_at")
        .only("date", "device_today")
        .prefetch_related(
            Prefetch("checkins", queryset=Check.objects.only("session_id", "recorded"))
        )
    )
    return [
        {
            "date": session.date,
            "device_today": session.device_today,
            "added_reactions": [code for c in session.checkins.all() for code in c.recorded],
        }
        for session in sessions
    ]


def reactions_recorded(base: Assessment) -> list[str]:
    """Every past_reactions code recorded by a check-in of any session of `base`."""
    recorded = Check.objects.filter(base=base, kind=Check.Kind.CHECKIN).values_list(
        "recorded", flat=True
    )
    return [code for codes in recorded for code in codes]


def _base_answers_with_later_reactions(base: Assessment) -> dict:
    """The base's answers, with the reactions that check-ins of an earlier base's sessions
    recorded after this base was taken merged into its past_reactions.

    Section 6 carries what check-ins record for every later check "of this base"; read to
    the letter, an infection recorded by a late check-in of an older session would be lost
    to the newer base, which was taken before it. The safer reading keeps it: "a serious
    reaction is not forgotten until a new full assessment after seeing a professional"."""
    # By the person's day, the base's own day included: a reaction recorded that day may
    # have come after the questionnaire.
    later = Check.objects.filter(
        owner_id=base.owner_id,
        kind=Check.Kind.CHECKIN,
        date__gte=timezone.localdate(base.created_at),
    ).exclude(base=base)
    recorded = [code for codes in later.values_list("recorded", flat=True) for code in codes]
    answers = dict(base.answers)
    if recorded:
        answers[rulebook.KEY_PAST_REACTIONS] = reactions_merge(
            answers.get(rulebook.KEY_PAST_REACTIONS) or [], recorded
        )
    return answers


def confirmed_reasons(check: Check) -> set[str]:
    """Every consult reason confirmed for `check`: on it, or on an earlier check of its base.
    Section 6: a confirmation covers "that check, and any later check of this base", not a
    check taken before it."""
    return {
        reason
        for reasons in ConsultConfirmation.objects.filter(
            base_id=check.base_id, before_check__created_at__lte=check.created_at
        ).values_list("reasons", flat=True)
        for reason in reasons
    }


def _existing(submission_id: uuid.UUID, owner: AbstractBaseUser) -> Check | None:
    # Another person's submission id finds nothing: ids are random, never shown to others.
    return Check.objects.filter(submission_id=submission_id, owner=owner).first()


def _save(check: Check) -> Check:
    check.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            check.save(force_insert=True)
    except IntegrityError:
        existing = _existing(check.submission_id, check.owner)
        if existing is None:
            raise
        return existing
    share_raise_for_check(base=check.base, disposition=check.disposition, check_id=check.pk)
    return check


@transaction.atomic
def check_take(
    *,
    user: AbstractBaseUser,
    given: dict,
    submission_id: uuid.UUID,
    today: datetime.date | None = None,
) -> Check:
    """Take the check before a session against the person's newest assessment and save it.

    Idempotent on `submission_id`. Raises NoBase, CheckNotAllowed (too old, older rulebook, or
    an urgent or stop base), or AnswerError (a ValueError naming the key) for bad answers.
    """
    existing = _existing(submission_id, user)
    if existing is not None:
        return existing
    today = today or local_today()
    base = base_for(user)
    if base is None:
        raise NoBase()
    refusal = base_check_refusal(base, today)
    if refusal is not None:
        raise CheckNotAllowed(refusal, base)
    clean = clean_check(given)
    log = sessions_log(base)
    result = score(check_answers(_base_answers_with_later_reactions(base), clean, log, today))
    return _save(
        Check.from_snapshot(
            result.to_dict(),
            owner=user,
            base=base,
            kind=Check.Kind.BEFORE,
            submission_id=submission_id,
            date=today,
            given=clean,
            next_earliest=next_session_earliest(base.answers, today),
        )
    )


@transaction.atomic
def consult_confirm(*, check: Check, today: datetime.date | None = None) -> ConsultConfirmation:
    """Record "I have talked to a professional about these reasons and they said I can go
    ahead" for a `consult` check: its reasons and the date. Confirming twice records once."""
    if check.kind != Check.Kind.BEFORE or check.disposition != rulebook.Disposition.CONSULT:
        raise SessionNotAllowed("Only a check that says to talk to a professional asks this.")
    existing = ConsultConfirmation.objects.filter(before_check=check).first()
    if existing is not None:
        return existing
    return ConsultConfirmation.objects.create(
        base_id=check.base_id,
        before_check=check,
        reasons=consult_reasons(check.result),
        confirmed_on=today or local_today(),
    )


def session_may_be_logged_for(check: Check) -> bool:
    """Whether this check's result allows logging (section 6), its consult confirmations
    included. Not whether it is still today: see session_log."""
    return check.kind == Check.Kind.BEFORE and session_may_be_logged(
        check.result, confirmed_reasons(check)
    )


def superseded_because(check: Check) -> str | None:
    """Why a check before a session can no longer be logged whatever its result, in words for
    the person, or None. The newest check of the newest base is the one that says how the scalp
    is now: an earlier check of the same day (a calm one, before a `stop` one) is not."""
    newest = base_for(check.owner)
    if newest is None or newest.pk != check.base_id:
        return "You have taken the full questionnaire since this check. Take a new check first."
    later = {"base_id": check.base_id, "created_at__gt": check.created_at}
    if Session.objects.filter(**later).exists():
        return "A session was logged after this check was taken. Take a new check first."
    if Check.objects.filter(kind=Check.Kind.BEFORE, **later).exists():
        return "You have taken a newer check since this one. Log your session from the newest."
    return None


@transaction.atomic
def session_log(
    *, check: Check, date: datetime.date, today: datetime.date | None = None
) -> Session:
    """Log the session `check` allowed, on `date` (which must be today, the check's day).

    Idempotent: a check logs one session, so a double post returns the first. Raises
    SessionNotAllowed, with the reason in words, otherwise.
    """
    today = today or local_today()
    # Lock the check: two concurrent posts take turns, and the second finds the session.
    check = Check.objects.select_for_update().select_related("base").get(pk=check.pk)
    existing = Session.objects.filter(before_check=check).first()
    if existing is not None:
        return existing
    if check.kind != Check.Kind.BEFORE:
        raise SessionNotAllowed("A session is logged from the check before it.")
    if date > today:
        raise SessionNotAllowed("A session cannot be logged for a date in the future.")
    if date != today or check.date != today:
        raise SessionNotAllowed(
            "A session is logged on the day of its check. Take a new check before your next "
            "session."
        )
    superseded = superseded_because(check)
    if superseded is not None:
        raise SessionNotAllowed(superseded)
    if not session_may_be_logged_for(check):
        raise SessionNotAllowed("This check's result does not allow a session today.")
    session = Session(
        owner=check.owner,
        base_id=check.base_id,
        before_check=check,
        date=date,
        device_today=check.given[rulebook.DEVICE_TODAY.key],
    )
    session.save(force_insert=True)
    reminders.reminders_schedule(session, next_earliest=check.next_earliest)
    return session


@dataclass(frozen=True)
class DueCheckin:
    """A check-in offered now: `day` (1, 3 or 7) after `session`."""

    session: Session
    day: int


def checkin_due_day(session: Session, taken_days: set[int], today: datetime.date) -> int | None:
    """The check-in offered now for `session`: the latest of days 1, 3 and 7 reached and not
    taken, unless a later one was taken (a late check-in counts the days actually passed, so
    the days it skipped are not offered again). None when none is."""
    passed = (today - session.date).days
    reached = [day for day in rulebook.CHECKIN_DAYS if day <= passed]
    if not reached:
        return None
    latest = reached[-1]
    if any(day >= latest for day in taken_days):
        return None
    return latest


def checkins_due(user: AbstractBaseUser, today: datetime.date | None = None) -> list[DueCheckin]:
    """Every check-in offered to `user` now, oldest session first. Two queries."""
    today = today or local_today()
    sessions = (
        Session.objects.filter(owner=user, date__lt=today)
        .order_by("date", "created_at")
        .prefetch_related(
            Prefetch("checkins", queryset=Check.objects.only("session_id", "checkin_day"))
        )
    )
    due = []
    for session in sessions:
        taken = {c.checkin_day for c in session.checkins.all()}
        day = checkin_due_day(session, taken, today)
        if day is not None:
            due.append(DueCheckin(session=session, day=day))
    return due


@transaction.atomic
def checkin_take(
    *,
    session: Session,
    day: int,
    given: dict,
    submission_id: uuid.UUID,
    today: datetime.date | None = None,
) -> Check:
    """Take the check-in offered `day` days after `session` and save it with what it records.

    Idempotent on `submission_id`; one check-in per session and day. Raises CheckinNotDue when
    this check-in is not offered now, AnswerError for bad answers.
    """
    existing = _existing(submission_id, session.owner)
    if existing is not None:
        return existing
    today = today or local_today()
    # Lock the session: two check-ins of one session take turns.
    session = Session.objects.select_for_update().select_related("before_check").get(pk=session.pk)
    taken = set(session.checkins.values_list("checkin_day", flat=True))
    if checkin_due_day(session, taken, today) != day:
        raise CheckinNotDue()
    clean = clean_checkin(given)
    before = session.before_check
    session_answers = dict(before.answers)
    session_answers[rulebook.KEY_PAST_REACTIONS] = reactions_merge(
        session_answers[rulebook.KEY_PAST_REACTIONS], reactions_recorded(before.base)
    )
    days_after = (today - session.date).days
    answers, recorded = checkin_answers(session_answers, clean, days_after)
    result = score(answers)
    return _save(
        Check.from_snapshot(
            result.to_dict(),
            owner=session.owner,
            base_id=session.base_id,
            kind=Check.Kind.CHECKIN,
            submission_id=submission_id,
            date=today,
            given=clean,
            session=session,
            checkin_day=day,
            days_after=days_after,
            recorded=recorded,
        )
    )


@transaction.atomic
def session_delete(*, session: Session) -> None:
    """Delete a logged session with its check-ins, its reminders and the check that allowed
    it (the person's own record: nothing of it stays)."""
    before_check = session.before_check
    session.delete()
    before_check.delete()
    # My assessments caches the owner's trend chart, which draws the checks (as
    # assessments.services does for a deleted assessment: now and once committed).
    page_cache.trend_charts_forget([session.owner_id])
    transaction.on_commit(lambda: page_cache.trend_charts_forget([session.owner_id]))


def device_uses_so_far(base: Assessment) -> int:
    """How many times the device has been used, counting the sessions logged since `base`."""
    return device_uses(base.answers, sessions_log(base))


def newest_stop_check(base: Assessment) -> Check | None:
    """The newest check or check-in of `base`, when it said `urgent` or `stop`, else None.

    "Before a session" shows it before the questions, and "My sessions" gives no earliest next
    date while it stands: neither may read as "go ahead" after "get medical help today"."""
    newest = Check.objects.filter(base=base).order_by("-date", "-created_at").first()
    if newest is not None and rulebook.Disposition(newest.disposition).is_stop:
        return newest
    return None
