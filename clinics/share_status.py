"""The result page's live sharing panel: where the result was sent, the clinic's reply, the
person's controls (stop sharing, send, the private link).

Rendered on every request, never from the result body's cache (assessments/views.py): a
withdrawal, a review or a message from the clinic shows at once.
"""

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, Subquery
from django.http import HttpRequest
from django.template.loader import render_to_string

from assessments.models import Assessment, AssessmentQuerySet
from assessments.rulebook import Disposition
from clinics.models import PrivateLink, Share
from clinics.working_time import reply_time_in_words

# Where the panel goes in the cached result body (templates/assessments/includes/result_body.html).
SHARE_STATUS_MARKER = "<!-- share-status -->"


# The current share first, then the last one withdrawn.
_LATEST_FIRST = (F("withdrawn_at").desc(nulls_first=True), "-sent_at")


def with_share_status(assessments: AssessmentQuerySet) -> AssessmentQuerySet:
    """`assessments` with what the panel reads, in the same query (the result page's
    ownership check, assessments.access.get_assessment_for): the latest share and its clinic,
    joined, and whether a private link works. One query where there were three (the panel is
    still read on every request: nothing of it is cached)."""
    latest = Share.objects.filter(assessment=OuterRef("pk")).order_by(*_LATEST_FIRST)
    return assessments.annotate(
        latest_share=FilteredRelation(
            "shares", condition=Q(shares__pk=Subquery(latest.values("pk")[:1]))
        ),
        has_usable_private_link=Exists(
            PrivateLink.objects.usable().filter(assessment=OuterRef("pk"))
        ),
    ).select_related("latest_share__clinic")


def latest_share(assessment: Assessment) -> Share | None:
    """The current share, or else the last one withdrawn (to say when), or None."""
    if hasattr(assessment, "latest_share"):  # read with the assessment (with_share_status)
        return assessment.latest_share
    return (
        Share.objects.filter(assessment=assessment)
        .select_related("clinic")
        .order_by(*_LATEST_FIRST)
        .first()
    )


def dont_wait_line(disposition: Disposition | str) -> str:
    """For urgent and stop: what to do now, whatever the clinic does."""
    disposition = Disposition(disposition)
    if not disposition.is_stop:
        return ""
    return f"Do not wait for the clinic to reply. {disposition.next_step}"


def share_status_context(
    request: HttpRequest, assessment: Assessment, *, new_private_link: dict | None = None
) -> dict:
    share = latest_share(assessment)
    current = share if share is not None and share.is_current else None
    return {
        "assessment": assessment,
        "share": current,
        "withdrawn": share if share is not None and not share.is_current else None,
        "reply_time": reply_time_in_words(current.disposition) if current else "",
        "dont_wait": dont_wait_line(current.disposition) if current else "",
        "has_private_link": (
            assessment.has_usable_private_link
            if hasattr(assessment, "has_usable_private_link")
            else PrivateLink.objects.usable().filter(assessment=assessment).exists()
        ),
        # Someone with an account has their way back; a private link is offered to the rest
        # (and to an account that still has one, so it can be revoked).
        "offer_private_link": not request.user.is_authenticated,
        # Made just now, after a clinic questionnaire's final submit: shown once, here.
        "new_private_link": new_private_link,
    }


def share_status(
    request: HttpRequest, assessment: Assessment, *, new_private_link: dict | None = None
) -> str:
    return render_to_string(
        "clinics/includes/share_status.html",
        share_status_context(request, assessment, new_private_link=new_private_link),
        request=request,
    )
