"""The result page's live sharing panel: where the result was sent, the clinic's reply, the
person's controls (stop sharing, send, the private link).

Rendered on every request, never from the result body's cache (assessments/views.py): a
withdrawal, a review or a message from the clinic shows at once.
"""

from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string

from assessments.models import Assessment
from assessments.rulebook import Disposition
from clinics.models import PrivateLink, Share
from clinics.working_time import reply_time_in_words

# Where the panel goes in the cached result body (templates/assessments/includes/result_body.html).
SHARE_STATUS_MARKER = "<!-- share-status -->"


def latest_share(assessment: Assessment) -> Share | None:
    """The current share, or else the last one withdrawn (to say when), or None."""
    return (
        Share.objects.filter(assessment=assessment)
        .select_related("clinic")
        .order_by(F("withdrawn_at").desc(nulls_first=True), "-sent_at")
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
        "has_private_link": PrivateLink.objects.usable().filter(assessment=assessment).exists(),
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
