"""Who may see an assessment: one helper, so every page answers 404 to anyone else."""

import uuid

from django.http import Http404, HttpRequest

from assessments import questionnaire_state
from assessments.models import SNAPSHOT_JSON_FIELDS, Assessment
from scalpsafe.security import log_event


def get_assessment_for(
    request: HttpRequest, assessment_id: uuid.UUID, *, without_snapshot: bool = False
) -> Assessment:
    """The assessment if it belongs to this person (account or browser session), else 404.

    `without_snapshot` leaves the saved result's JSON columns unread, for pages that usually
    do not need them (they load on first access).
    """
    visible = Assessment.objects.owned_by(
        request.user, questionnaire_state.anonymous_owner(request.session)
    )
    if without_snapshot:
        visible = visible.defer(*SNAPSHOT_JSON_FIELDS)
    try:
        return visible.get(pk=assessment_id)
    except Assessment.DoesNotExist:
        # Someone guessing or reusing another person's link is worth knowing about.
        log_event("assessment_not_found", request, assessment_id=assessment_id)
        raise Http404("No such assessment.") from None
