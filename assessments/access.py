"""Who may see an assessment: one helper, so every page answers 404 to anyone else."""

import uuid

from django.http import Http404, HttpRequest

from assessments import questionnaire_state
from assessments.models import SNAPSHOT_JSON_FIELDS, Assessment, AssessmentQuerySet
from clinics.private_links import assessments_granted
from scalpsafe.security import log_event


def visible_to(request: HttpRequest) -> AssessmentQuerySet:
    """Every assessment this request may see: the one rule the helpers below apply."""
    # One filter with the conditions ORed (not two querysets combined with `|`, which costs
    # the ORM twice the work on every result page).
    return Assessment.objects.owned_by(
        request.user,
        questionnaire_state.anonymous_owner(request.session),
        or_=assessments_granted(request.session),
    )


def assessment_is_visible(request: HttpRequest, assessment_id: uuid.UUID) -> bool:
    """Whether this request may (still) see the assessment, without a 404 or a log line."""
    return visible_to(request).filter(pk=assessment_id).exists()


def get_assessment_for(
    request: HttpRequest, assessment_id: uuid.UUID, *, without_snapshot: bool = False
) -> Assessment:
    """The assessment if it belongs to this person (account or browser session), or this
    browser session opened a private link to it that still works (clinics/private_links.py);
    else 404.

    `without_snapshot` leaves the saved result's JSON columns unread, for pages that usually
    do not need them (they load on first access).
    """
    visible = visible_to(request)
    if without_snapshot:
        visible = visible.defer(*SNAPSHOT_JSON_FIELDS)
    try:
        return visible.get(pk=assessment_id)
    except Assessment.DoesNotExist:
        # Someone guessing or reusing another person's link is worth knowing about.
        log_event("assessment_not_found", request, assessment_id=assessment_id)
        raise Http404("No such assessment.") from None
