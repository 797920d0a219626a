"""The sharing panel's reads against the ORM's rules: the latest share (the current one, or else
the last withdrawn) with its clinic, and whether a private link works
(PrivateLinkQuerySet.usable). Both readers of clinics/share_status.py are held to them: its one
fixed query (`sharing_of`), and its columns read in the result page's ownership query
(`sharing_joined`, assessments/access.get_result_for)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.cache import SessionStore
from django.db.models import F
from django.test import RequestFactory

from assessments.access import get_result_for
from assessments.questionnaire_state import record_submission
from clinics.models import PrivateLink, Share
from clinics.private_links import private_link_create, private_link_revoke
from clinics.services import share_send, share_withdraw
from clinics.share_status import Sharing, sharing_of
from tests.support.assessments import save_assessment

pytestmark = pytest.mark.django_db


def read_with_the_assessment(assessment) -> Sharing:
    """As the result page reads it, for the browser session that made the assessment: in the
    ownership query, one statement in all."""
    request = RequestFactory().get(assessment.get_absolute_url())
    request.user, request.session = AnonymousUser(), SessionStore()
    record_submission(request.session, "submitted", assessment.pk, assessment.anonymous_owner)
    found, sharing = get_result_for(request, assessment.pk)
    assert found.pk == assessment.pk
    return sharing


@pytest.fixture(params=[sharing_of, read_with_the_assessment], ids=["alone", "with-assessment"])
def read(request):
    return request.param


SHOWN_SHARE_FIELDS = (
    "pk",
    "assessment_id",
    "clinic_id",
    "sent_at",
    "disposition",
    "due_at",
    "withdrawn_at",
    "contact_way",
    "status",
    "message_to_person",
)
SHOWN_CLINIC_FIELDS = ("pk", "name", "phone", "email", "address")


def assert_as_the_orm_reads_it(assessment, read=sharing_of) -> Sharing:
    sharing = read(assessment)
    expected = (
        Share.objects.filter(assessment=assessment)
        .select_related("clinic")
        .order_by(F("withdrawn_at").desc(nulls_first=True), "-sent_at")
        .first()
    )
    usable = PrivateLink.objects.usable().filter(assessment=assessment).exists()
    assert sharing.has_private_link is usable
    if expected is None:
        assert sharing.latest_share is None
        return sharing
    share = sharing.latest_share
    for name in SHOWN_SHARE_FIELDS:
        assert getattr(share, name) == getattr(expected, name), name
    for name in SHOWN_CLINIC_FIELDS:
        assert getattr(share.clinic, name) == getattr(expected.clinic, name), name
    return sharing


def test_a_result_never_sent_and_without_a_link_has_nothing_to_show(read):
    assert read(save_assessment()) == Sharing(latest_share=None, has_private_link=False)


def test_it_follows_every_send_withdrawal_and_link(
    read, clinic, other_clinic, django_assert_num_queries
):
    """In one query, with the share and its clinic, whatever there is to read."""
    assessment = save_assessment()
    share_send(assessment=assessment, clinic=clinic, contact={"contact_way": "none"})
    private_link_create(assessment=assessment)
    read(assessment)  # the first read also compiles the ownership query (not counted)
    with django_assert_num_queries(1):
        sharing = read(assessment)
    assert sharing.latest_share.is_current and sharing.has_private_link
    assert_as_the_orm_reads_it(assessment, read)

    share_withdraw(assessment=assessment)
    private_link_revoke(assessment=assessment)
    withdrawn = assert_as_the_orm_reads_it(assessment, read).latest_share
    assert withdrawn.withdrawn_at is not None and withdrawn.clinic.name == clinic.name

    share_send(assessment=assessment, clinic=other_clinic, contact={})
    current = assert_as_the_orm_reads_it(assessment, read).latest_share
    assert current.is_current and current.clinic.name == other_clinic.name, "current first"

    share_withdraw(assessment=assessment)
    last = assert_as_the_orm_reads_it(assessment, read).latest_share
    assert last.clinic.name == other_clinic.name, "the last one withdrawn"

    private_link_create(assessment=assessment)
    assert assert_as_the_orm_reads_it(assessment, read).has_private_link
    private_link_revoke(assessment=assessment)
    assert not assert_as_the_orm_reads_it(assessment, read).has_private_link
    private_link_create(assessment=assessment)
    private_link_create(assessment=assessment)  # the first one revoked by the second
    assert assert_as_the_orm_reads_it(assessment, read).has_private_link


def test_it_reads_only_this_result(read, clinic):
    other = save_assessment()
    share_send(assessment=other, clinic=clinic, contact={})
    private_link_create(assessment=other)
    assessment = save_assessment()
    assert read(assessment) == Sharing(latest_share=None, has_private_link=False)


def test_the_clinics_notes_and_the_persons_contact_details_are_not_read(read, clinic):
    assessment = save_assessment()
    share_send(assessment=assessment, clinic=clinic, contact={"contact_email": "sam@example.org"})
    share = read(assessment).latest_share
    left = {"staff_note", "contact_name", "contact_email", "contact_phone", "contact_time"}
    assert left <= share.get_deferred_fields()
    assert "notify_email" in share.clinic.get_deferred_fields()
