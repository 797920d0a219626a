"""For a queue item's page: the same person's other results sent to this clinic, what changed
between two of them, and the items just before and after it in the queue's order."""

from django.db.models import Q, QuerySet

from assessments.rulebook import Disposition
from assessments.trend import since_last_time
from clinics.models import Share


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
