"""The cast for sending a result to a clinic: a signed-in owner's result and an anonymous one.

`clinic`, `other_clinic`, `owner`, `owner_client` and `someone_else` come from tests/conftest.py.
"""

import pytest
from django.test import Client

from assessments import questionnaire_state
from assessments.models import Assessment
from tests.support.assessments import FLAGGED_ANSWERS, HARD_STOP_ANSWERS, save_assessment

CONTACT = {
    "contact_way": "email",
    "contact_name": "Sam",
    "contact_email": "sam@example.org",
    "contact_phone": "",
    "contact_time": "weekday mornings",
}


def send_data(clinic, /, **changes) -> dict:
    return {"clinic": str(clinic.pk), **CONTACT, "agree": "on", **changes}


def anonymous_client_for(assessment: Assessment) -> Client:
    """A browser session that owns `assessment`, as the one that took it does."""
    client = Client()
    session = client.session
    session[questionnaire_state._ANONYMOUS_OWNER] = assessment.anonymous_owner
    session.save()
    return client


@pytest.fixture
def result(owner) -> Assessment:
    """The owner's flagged (consult) result."""
    return save_assessment(FLAGGED_ANSWERS, owner=owner)


@pytest.fixture
def anonymous_result(db) -> Assessment:
    """A hard-stop result taken without an account."""
    return save_assessment(HARD_STOP_ANSWERS)


@pytest.fixture
def anonymous_client(anonymous_result) -> Client:
    return anonymous_client_for(anonymous_result)


def send_url(assessment: Assessment) -> str:
    return f"/results/{assessment.pk}/send/"


def stop_url(assessment: Assessment) -> str:
    return f"/results/{assessment.pk}/stop-sharing/"


def link_url(assessment: Assessment) -> str:
    return f"/results/{assessment.pk}/private-link/"


def revoke_url(assessment: Assessment) -> str:
    return f"/results/{assessment.pk}/private-link/revoke/"
