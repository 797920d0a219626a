"""A questionnaire started from a clinic's link (/c/<slug>/): what its final submit sends, and
the private link given afterwards to a person without an account.

The clinic is chosen by agreeing to the notice that names it (assessments/views.py,
`consent_page`), kept with that consent in the questionnaire state, and asked about once more
at the end: the contact step (`CONTACT_STEP_KEY`, a `ContactForm`, not a rulebook question; its
details go only into the share).
"""

from django.db import transaction

from assessments.models import Assessment
from clinics.models import Clinic, PrivateLink, Share
from clinics.private_links import private_link_create, private_link_email_send
from clinics.services import AlreadySentElsewhere, ClinicUnavailable, share_send

CONTACT_STEP_KEY = "contact"


def result_send_to_link_clinic(
    *, assessment: Assessment, clinic_id: int, contact: dict
) -> Share | None:
    """Send the just-saved `assessment` to the clinic whose link started the questionnaire.

    Call inside the final submit's transaction. Returns the share, or None when it could not
    be sent (the clinic was deactivated or removed since, or a replayed submit finds the result
    already with another clinic): the result is saved all the same, and can be sent elsewhere
    from its page.
    """
    clinic = Clinic.objects.filter(pk=clinic_id).first()
    if clinic is None:
        return None
    try:
        return share_send(assessment=assessment, clinic=clinic, contact=contact)
    except (ClinicUnavailable, AlreadySentElsewhere):
        return None


@transaction.atomic
def private_link_give_once(*, assessment: Assessment, email: str) -> str | None:
    """The private link offered after a clinic questionnaire's final submit; returns its token.

    Made when the result page first shows (not in the final submit, whose concurrent replays
    could each make one, revoking each other's, with the browser shown a revoked one), and only
    if the result has no usable link yet. When the person gave an email, the link is emailed
    too, with no health details.
    """
    # Two result pages opened at once take turns here: one link, one email.
    Assessment.objects.select_for_update().only("pk").get(pk=assessment.pk)
    if PrivateLink.objects.usable().filter(assessment=assessment).exists():
        return None
    token = private_link_create(assessment=assessment)
    if email:
        private_link_email_send(assessment=assessment, to=email, token=token)
    return token
