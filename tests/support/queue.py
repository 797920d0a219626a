"""Queue items for the admin tests: results sent to a clinic through the real service."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser

from assessments.models import Assessment
from clinics.models import Clinic, Share
from clinics.services import share_send
from tests.support.assessments import FLAGGED_ANSWERS, HARD_STOP_ANSWERS, save_assessment
from tests.support.questionnaire import SAFE_ANSWERS

# One answer set per disposition: urgent, stop, consult, go ahead.
URGENT_ANSWERS = {
    **SAFE_ANSWERS,
    "used_before": "yes",
    "past_reactions": ["none"],
    "reaction_now": "yes",
}
STOP_ANSWERS = HARD_STOP_ANSWERS
CONSULT_ANSWERS = FLAGGED_ANSWERS
GO_AHEAD_ANSWERS = SAFE_ANSWERS

QUEUE_URL = "/admin/clinics/share/"
AUDIT_URL = "/admin/assessments/auditevent/"
CLINICS_URL = "/admin/clinics/clinic/"

CONTACT = {
    "contact_way": "phone",
    "contact_name": "Sam Person",
    "contact_email": "sam@example.org",
    "contact_phone": "07700 900123",
    "contact_time": "Weekday mornings",
}


def item_url(share: Share, view: str = "change") -> str:
    return f"{QUEUE_URL}{share.pk}/{view}/"


def send(
    clinic: Clinic,
    answers: dict | None = None,
    *,
    assessment: Assessment | None = None,
    owner: AbstractBaseUser | None = None,
    sent_at: datetime | None = None,
    contact: dict | None = None,
    **fields,
) -> Share:
    """A result (saved from `answers` unless given) sent to `clinic` by `share_send`.

    `sent_at` moves the sending (and its due time) back or forward, as if it had been sent then.
    """
    if assessment is None:
        assessment = save_assessment(answers, owner=owner, **fields)
    share = share_send(assessment=assessment, clinic=clinic, contact=contact or CONTACT)
    if sent_at is not None:
        from clinics.working_time import due_at

        Share.objects.filter(pk=share.pk).update(
            sent_at=sent_at, due_at=due_at(share.disposition, sent_at)
        )
    share.refresh_from_db()
    return share


def listed(response) -> list:
    return [row.pk for row in response.context_data["cl"].result_list]


def clinic_staff_group():
    """The "Clinic staff" group with the permissions its migrations give (clinics 0002).

    Live-server tests flush the database after each test, migrated rows included, so a browser
    test makes it again when an earlier one removed it.
    """
    from django.contrib.auth.models import Group, Permission

    from clinics.services import CLINIC_STAFF_GROUP

    group, _ = Group.objects.get_or_create(name=CLINIC_STAFF_GROUP)
    group.permissions.set(
        Permission.objects.filter(
            content_type__app_label="clinics", codename__in=["view_share", "change_share"]
        )
        | Permission.objects.filter(
            content_type__app_label="assessments", codename="view_auditevent"
        )
    )
    return group
