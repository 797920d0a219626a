"""Who may see an assessment: one helper, so every page answers 404 to anyone else."""

import uuid

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from assessments import session
from assessments.models import Assessment


def get_assessment_for(request: HttpRequest, assessment_id: uuid.UUID) -> Assessment:
    """The assessment if it belongs to this person (account or browser session), else 404."""
    visible = Assessment.objects.owned_by(request.user, session.anonymous_owner(request.session))
    return get_object_or_404(visible, pk=assessment_id)
