""" "Stop sharing", and deleting the result or the account: the clinic loses access at once,
and the audit trail records the withdrawal."""

import pytest

from assessments.models import AuditEvent
from clinics.models import Share
from clinics.services import share_send
from tests.sharing.conftest import stop_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(result, clinic):
    return share_send(
        assessment=result,
        clinic=clinic,
        contact={"contact_way": "email", "contact_email": "sam@example.org"},
    )


def withdrawals() -> list:
    return list(
        AuditEvent.objects.filter(action=AuditEvent.Action.WITHDRAWN).values_list(
            "assessment_id", "clinic__slug", "actor_username"
        )
    )


def test_it_asks_first(owner_client, result, sent):
    response = owner_client.get(stop_url(result))
    assert response.status_code == 200
    assert "Stop sharing with North Hair Clinic?" in response.content.decode()
    assert Share.objects.current().exists()


def test_it_withdraws_on_post_and_records_it(owner_client, result, sent, clinic_staff):
    response = owner_client.post(stop_url(result))
    assert response.status_code == 302 and response["Location"] == result.get_absolute_url()
    sent.refresh_from_db()
    assert sent.withdrawn_at is not None and sent.contact_email == ""
    assert not Share.objects.visible_to(clinic_staff).exists()
    assert withdrawals() == [(result.pk, "north", AuditEvent.PERSON)]
    html = owner_client.get(result.get_absolute_url()).content.decode()
    assert "You stopped sharing your result with North Hair Clinic" in html


def test_stopping_twice_is_harmless(owner_client, result, sent):
    owner_client.post(stop_url(result))
    assert owner_client.post(stop_url(result)).status_code == 302
    assert len(withdrawals()) == 1


def test_with_nothing_shared_the_page_goes_back_to_the_result(owner_client, result):
    response = owner_client.get(stop_url(result))
    assert response.status_code == 302 and response["Location"] == result.get_absolute_url()


def test_deleting_the_result_withdraws_it(owner_client, result, sent, clinic_staff):
    owner_client.post(f"/results/{result.pk}/delete/")
    assert not Share.objects.exists()
    assert not Share.objects.visible_to(clinic_staff).exists()
    assert withdrawals() == [(result.pk, "north", AuditEvent.PERSON)]
    assert AuditEvent.objects.get(action=AuditEvent.Action.WITHDRAWN).details["reason"] == "deleted"


def test_deleting_the_account_withdraws_it(owner_client, result, sent):
    response = owner_client.post("/accounts/delete/", {"password": "owner-password-1234"})
    assert response.status_code == 302
    assert not Share.objects.exists()
    assert withdrawals() == [(result.pk, "north", AuditEvent.PERSON)]
