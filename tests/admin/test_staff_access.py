"""What clinic staff may not do in the admin, and who is not let in at all."""

import pytest
from django.contrib.auth.models import Group

from assessments.models import Assessment
from clinics.services import CLINIC_STAFF_GROUP
from tests.support.assessments import (
    CHANGELIST_URL,
    change_url,
    save_assessment,
)

pytestmark = pytest.mark.django_db


def test_it_refuses_to_add_an_assessment(staff_client, admin_client):
    assert staff_client.get(f"{CHANGELIST_URL}add/").status_code == 403
    assert admin_client.get(f"{CHANGELIST_URL}add/").status_code == 403


def test_it_refuses_to_delete_an_assessment(staff_client, admin_client):
    assessment = save_assessment()

    assert staff_client.post(f"{CHANGELIST_URL}{assessment.pk}/delete/").status_code == 403
    assert admin_client.post(f"{CHANGELIST_URL}{assessment.pk}/delete/").status_code == 403
    actions = staff_client.get(CHANGELIST_URL).context["action_form"].fields["action"].choices
    assert "delete_selected" not in [name for name, _ in actions]
    assert Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.parametrize("user", ["owner", "anonymous"])
def test_it_sends_people_who_are_not_staff_to_the_admin_login(client, owner, user):
    assessment = save_assessment(owner=owner)
    if user == "owner":
        client.force_login(owner)

    for url in (CHANGELIST_URL, change_url(assessment)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_it_refuses_staff_outside_the_clinic_group(client, django_user_model):
    plain_staff = django_user_model.objects.create_user("plain", password="x", is_staff=True)
    assessment = save_assessment()
    client.force_login(plain_staff)

    assert client.get(CHANGELIST_URL).status_code == 403
    assert client.get(change_url(assessment)).status_code == 403


def test_it_gives_the_clinic_staff_group_only_view_and_review(clinic_staff):
    group = Group.objects.get(name=CLINIC_STAFF_GROUP)

    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("assessments", "view_assessment"),
        ("assessments", "change_assessment"),
    }
    assert not clinic_staff.has_perm("auth.view_user")
    assert not clinic_staff.is_superuser


def test_it_creates_no_account_by_migration(django_user_model):
    assert django_user_model.objects.count() == 0
