"""For a queue item's page: the same person's other results sent to this clinic, what changed
between two of them, the later checks of its result (before and after sessions), and the items
just before and after it in the queue's order."""

from django.db.models import Q, QuerySet

from assessments import rulebook
from assessments.rulebook import Disposition, Level
from assessments.trend import since_last_time
from clinics.models import Share
from roller_sessions.models import Check


def other_results_sent_here(share: Share, *, within: QuerySet) -> QuerySet:
    """The same person's other shares to this clinic in `within` (the viewer's queue, so the
    row-level rule holds here too), oldest first.

    The same account, or the same anonymous browser reference when there is no account (which
    may be a browser several people share: the page says so).
    """
    assessment = share.assessment
    if assessment.owner_id:
        same_person = Q(assessment__owner_id=assessment.owner_id)
    elif assessment.anonymous_owner:
        same_person = Q(
            assessment__owner__isnull=True, assessment__anonymous_owner=assessment.anonymous_owner
        )
    else:
        return Share.objects.none()
    return (
        within.select_related(None)
        .filter(same_person, clinic_id=share.clinic_id)
        .exclude(pk=share.pk)
        .select_related("assessment")
        .only(
            "pk",
            "sent_at",
            "disposition",
            "status",
            "assessment__created_at",
            "assessment__points",
            "assessment__factors",
            "assessment__rulebook_version",
        )
        .order_by("sent_at")
    )


def what_changed(share: Share, other: Share) -> str:
    """From the earlier of the two results to the later: disposition, points, factors."""
    earlier, later = sorted((other, share), key=lambda s: s.assessment.created_at)
    first, last = earlier.assessment, later.assessment
    words = []
    if earlier.disposition != later.disposition:
        then, now = Disposition(earlier.disposition), Disposition(later.disposition)
        words.append(f"{then.label} \u2192 {now.label}")
    if first.points != last.points:
        words.append(f"{first.points} \u2192 {last.points} points")
    changes = since_last_time(
        last.factors,
        first.factors,
        latest_version=last.rulebook_version,
        previous_version=first.rulebook_version,
    )
    if changes.appeared:
        words.append("new: " + "; ".join(f["title"] for f in changes.appeared))
    if changes.went_away:
        words.append("gone: " + "; ".join(f["title"] for f in changes.went_away))
    direction = "Since then" if other is earlier else "Later"
    return f"{direction}: " + (", ".join(words) if words else "no change")


def queue_neighbours(queue: QuerySet, share: Share) -> dict:
    """The items just before and just after `share` in the queue's order (Share.Meta)."""
    same_open = Q(is_open=share.is_open)
    same_priority = same_open & Q(priority=share.priority)
    same_sent = same_priority & Q(sent_at=share.sent_at)
    after = (
        Q(is_open__lt=share.is_open)
        | (same_open & Q(priority__gt=share.priority))
        | (same_priority & Q(sent_at__gt=share.sent_at))
        | (same_sent & Q(id__gt=share.id))
    )
    before = (
        Q(is_open__gt=share.is_open)
        | (same_open & Q(priority__lt=share.priority))
        | (same_priority & Q(sent_at__lt=share.sent_at))
        | (same_sent & Q(id__lt=share.id))
    )
    queue = queue.filter(clinic_id=share.clinic_id)
    return {
        "previous": queue.filter(before).reverse().first(),
        "next": queue.filter(after).first(),
    }


# --- Later checks (rulebook section 6) ----------------------------------------------------------


def later_checks(share: Share) -> list[dict]:
    """Every check and check-in of the item's result (the base of the person's sessions), newest
    first, each with what changed since the one before it (the base itself for the oldest).

    Only while the share is current: once the person stops sharing, staff see none of it. One
    query, whatever the number of checks.
    """
    if not share.is_current:
        return []
    checks = list(
        Check.objects.filter(base_id=share.assessment_id)
        .select_related("session", "logged_session")
        .defer("answers", "lower_risk", "checklist", "all_changes")
        .order_by("created_at", "id")
    )
    rows = []
    previous = share.assessment
    for check in checks:
        rows.append(
            {
                "check": check,
                "date": check.date,
                "kind": check_kind_in_words(check),
                "disposition": Disposition(check.disposition).label,
                "changed": (
                    "Since the result sent: "
                    if previous is share.assessment
                    else "Since the check before: "
                )
                + result_changes(previous, check),
                "answered": answered_in_words(check),
                "session": session_in_words(check),
            }
        )
        previous = check
    return rows[::-1]


def check_kind_in_words(check) -> str:
    if check.is_checkin:
        days = check.days_after
        day_words = f"{days} day{'s' if days != 1 else ''}"
        return f"Check-in {day_words} after the session of {check.session.date:%d %b %Y}"
    return "Check before a session"


def result_changes(earlier, later) -> str:
    """From one scored result (an assessment or a check) to the next, in words: disposition,
    level, points, the factors that appeared and went (with their rule ids, for staff)."""
    words = []
    if earlier.disposition != later.disposition:
        then, now = Disposition(earlier.disposition), Disposition(later.disposition)
        words.append(f"{then.label} \u2192 {now.label}")
    if earlier.level != later.level:
        words.append(f"{Level(earlier.level).label} \u2192 {Level(later.level).label}")
    if earlier.points != later.points:
        words.append(f"{earlier.points} \u2192 {later.points} points")
    changes = since_last_time(
        later.factors,
        earlier.factors,
        latest_version=later.rulebook_version,
        previous_version=earlier.rulebook_version,
    )
    if changes.appeared:
        words.append("new: " + "; ".join(_factor_named(f) for f in changes.appeared))
    if changes.went_away:
        words.append("gone: " + "; ".join(_factor_named(f) for f in changes.went_away))
    return ", ".join(words) if words else "No change"


def _factor_named(factor: dict) -> str:
    return f"{factor['title']} ({factor['rule_id']})"


def answered_in_words(check) -> list[tuple[str, str]]:
    """What the person answered that day, question and answer, in words."""
    questions = rulebook.CHECKIN_QUESTIONS if check.is_checkin else rulebook.CHECK_QUESTIONS
    return [
        (question.text, question.describe(check.given.get(question.key)))
        for question in questions
        if question.key in check.given
    ]


def session_in_words(check) -> str:
    """Before a session: whether it was logged. A check-in: the reactions it recorded."""
    if check.is_checkin:
        if not check.recorded:
            return "Recorded no reaction"
        past = rulebook.QUESTIONS[rulebook.KEY_PAST_REACTIONS]
        return f"Recorded as past reactions: {past.describe(check.recorded)}"
    session = getattr(check, "logged_session", None)
    if session is None:
        return "No session logged"
    return f"Session logged on {session.date:%d %b %Y}"
