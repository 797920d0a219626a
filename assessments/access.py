"""Who may see an assessment: one helper, so every page answers 404 to anyone else."""

import uuid

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest

from assessments import questionnaire_state
from assessments.models import SNAPSHOT_JSON_FIELDS, Assessment, AssessmentQuerySet
from clinics.private_links import assessments_granted_by, private_link_granted_ids
from clinics.share_status import Sharing, sharing_from, sharing_joined, sharing_of
from scalpsafe.compiled_get import CompiledGet
from scalpsafe.security import log_event


def visible_to(request: HttpRequest) -> AssessmentQuerySet:
    """Every assessment this request may see: the one rule the helpers below apply."""
    return _visible(
        request.user,
        questionnaire_state.anonymous_owner(request.session),
        private_link_granted_ids(request.session),
    )


def _visible(user, anonymous_owner: str, granted: list[int]) -> AssessmentQuerySet:
    # One filter with the conditions ORed (not two querysets combined with `|`, which costs
    # the ORM twice the work on every result page).
    return Assessment.objects.owned_by(user, anonymous_owner, or_=assessments_granted_by(granted))


def assessment_is_visible(request: HttpRequest, assessment_id: uuid.UUID) -> bool:
    """Whether this request may (still) see the assessment, without a 404 or a log line."""
    return visible_to(request).filter(pk=assessment_id).exists()


def _visible_one(
    user_id: int | None, anonymous_owner: str, granted: list[int], assessment_id: uuid.UUID
) -> AssessmentQuerySet:
    # The same rule as visible_to, from the values alone (CompiledGet calls it with stand-ins).
    user = get_user_model()(pk=user_id) if user_id is not None else None
    return _visible(user, anonymous_owner, granted).filter(pk=assessment_id)


# The pages that read one assessment run this query on every request: the ORM builds and
# compiles it once per shape (signed in or not, how many private links), not every time.
_visible_one_compiled = CompiledGet(_visible_one)
_visible_one_without_snapshot = CompiledGet(
    lambda *values: _visible_one(*values).defer(*SNAPSHOT_JSON_FIELDS)
)


def get_assessment_for(
    request: HttpRequest, assessment_id: uuid.UUID, *, without_snapshot: bool = False
) -> Assessment:
    """The assessment if it belongs to this person (account or browser session), or this
    browser session opened a private link to it that still works (clinics/private_links.py);
    else 404.

    `without_snapshot` leaves the saved result's JSON columns unread, for pages that usually
    do not need them (they load on first access).
    """
    values = _ownership_values(request, assessment_id)
    query = _visible_one_without_snapshot if without_snapshot else _visible_one_compiled
    try:
        return query.get(*values)
    except Assessment.DoesNotExist:
        raise _not_found(request, values[-1]) from None


def get_result_for(request: HttpRequest, assessment_id: uuid.UUID) -> tuple[Assessment, Sharing]:
    """For the result page: the assessment as `get_assessment_for(without_snapshot=True)` gives
    it (or 404), and its sharing for the live panel (clinics/share_status.py), read in the same
    statement: one round trip to the database fewer on the page people open most."""
    values = _ownership_values(request, assessment_id)
    try:
        found = _visible_one_without_snapshot.get_joined(sharing_joined, *values)
        if found is None:  # a shape the ORM builds every time: the two reads apart
            assessment = _visible_one_without_snapshot.get(*values)
            return assessment, sharing_of(assessment)
    except Assessment.DoesNotExist:
        raise _not_found(request, values[-1]) from None
    assessment, sharing_values = found
    return assessment, sharing_from(assessment._state.db, sharing_values)


def _ownership_values(request: HttpRequest, assessment_id) -> tuple:
    """The values the ownership query is built from: who asks, and which assessment."""
    if not isinstance(assessment_id, uuid.UUID):
        assessment_id = Assessment._meta.pk.to_python(assessment_id)  # as a filter would
    user = request.user
    return (
        user.pk if user.is_authenticated else None,
        questionnaire_state.anonymous_owner(request.session),
        private_link_granted_ids(request.session),
        assessment_id,
    )


def _not_found(request: HttpRequest, assessment_id: uuid.UUID) -> Http404:
    # Someone guessing or reusing another person's link is worth knowing about.
    log_event("assessment_not_found", request, assessment_id=assessment_id)
    return Http404("No such assessment.")
