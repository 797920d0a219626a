"""Who may see an assessment: one helper, so every page answers 404 to anyone else."""

import uuid

from django.http import Http404, HttpRequest

from assessments import session
from assessments.models import Assessment
from scalpsafe.security import log_event


def get_assessment_for(request: HttpRequest, assessment_id: uuid.UUID) -> Assessment:
    """The assessment if it belongs to this person (account or browser session), else 404."""
    visible = Assessment.objects.owned_by(request.user, session.anonymous_owner(request.session))
    assessment = visible.filter(pk=assessment_id).first()
    if assessment is None:
        # Someone guessing or reusing another person's link is worth knowing about.
        log_event("assessment_not_found", request, assessment_id=assessment_id)
        raise Http404("No such assessment.")
    return assessment
