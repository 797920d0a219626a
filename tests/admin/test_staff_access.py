"""Who gets into which part of the admin: clinic staff work their queue and read their clinic's
audit trail; the assessment list and the clinics are the operator's (superusers') alone."""

import pytest
from django.contrib.auth.models import Group

from assessments.models import Assessment
from clinics.models import Clinic
from clinics.services import CLINIC_STAFF_GROUP, share_review
from tests.support.assessments import CHANGELIST_URL, change_url, save_assessment
from tests.support.queue import AUDIT_URL, CLINICS_URL, CONSULT_ANSWERS, QUEUE_URL, send

pytestmark = pytest.mark.django_db


def test_it_refuses_to_add_or_delete_an_assessment_even_to_the_operator(admin_client):
    assessment = save_assessment()

    assert admin_client.get(f"{CHANGELIST_URL}add/").status_code == 403
    assert admin_client.post(f"{CHANGELIST_URL}{assessment.pk}/delete/").status_code == 403
    actions = admin_client.get(CHANGELIST_URL).context_data["action_form"].fields["action"].choices
    assert "delete_selected" not in [name for name, _ in actions]
    assert Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.parametrize("user", ["owner", "anonymous"])
def test_it_sends_people_who_are_not_staff_to_the_admin_login(client, owner, user):
    assessment = save_assessment(owner=owner)
    if user == "owner":
        client.force_login(owner)

    for url in (CHANGELIST_URL, change_url(assessment), QUEUE_URL, AUDIT_URL, CLINICS_URL):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_it_refuses_staff_outside_the_clinic_staff_group(client, django_user_model):
    plain_staff = django_user_model.objects.create_user("plain", password="x", is_staff=True)
    assessment = save_assessment()
    client.force_login(plain_staff)

    # The operator's pages do not exist for them; the clinic pages need the group's rights.
    for url in (CHANGELIST_URL, change_url(assessment), CLINICS_URL):
        assert client.get(url).status_code == 404, url
    for url in (QUEUE_URL, AUDIT_URL):
        assert client.get(url).status_code == 403, url


def test_the_clinic_staff_group_works_the_queue_and_reads_the_trail(clinic_staff):
    group = Group.objects.get(name=CLINIC_STAFF_GROUP)

    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("clinics", "view_share"),
        ("clinics", "change_share"),
        ("assessments", "view_auditevent"),
    }
    assert not clinic_staff.has_perm("auth.view_user")
    assert not clinic_staff.is_superuser


def test_staff_see_the_queue_and_the_trail_on_the_admin_home_and_nothing_else(staff_client):
    page = staff_client.get("/admin/").content.decode()

    assert "ScalpSafe clinic" in page
    assert 'href="/admin/clinics/share/"' in page
    assert 'href="/admin/assessments/auditevent/"' in page
    assert 'href="/admin/assessments/assessment/"' not in page
    assert 'href="/admin/clinics/clinic/"' not in page


def test_the_clinics_do_not_exist_for_staff(staff_client, clinic):
    assert staff_client.get(CLINICS_URL).status_code == 404
    assert staff_client.get(f"{CLINICS_URL}{clinic.pk}/change/").status_code == 404
    assert staff_client.post(f"{CLINICS_URL}{clinic.pk}/change/", {"name": "x"}).status_code == 404
    assert staff_client.get(f"{CLINICS_URL}{clinic.pk}/history/").status_code == 404
    assert (
        staff_client.post(f"{CLINICS_URL}{clinic.pk}/delete/", {"post": "yes"}).status_code == 404
    )
    assert staff_client.get(f"{CLINICS_URL}add/").status_code == 404
    assert staff_client.post(f"{CLINICS_URL}add/", {"name": "x"}).status_code == 404
    clinic.refresh_from_db()
    assert clinic.name == "North Hair Clinic"


def test_the_operator_deactivates_a_clinic_and_removes_a_member(
    admin_client, clinic, clinic_staff, django_user_model
):
    stays = django_user_model.objects.create_user("stays", password="x", is_staff=True)
    clinic.members.add(stays)
    theirs = send(clinic, CONSULT_ANSWERS)
    share_review(share=theirs, reviewer=clinic_staff, assigned_to=clinic_staff)
    kept = send(clinic, CONSULT_ANSWERS)
    share_review(share=kept, reviewer=stays, assigned_to=stays)

    response = admin_client.post(
        f"{CLINICS_URL}{clinic.pk}/change/",
        {
            "name": clinic.name,
            "slug": clinic.slug,
            "phone": clinic.phone,
            "email": clinic.email,
            "address": "",
            "notify_email": clinic.notify_email,
            "members": [stays.pk],
            # "is_active" left out: unticked.
        },
    )

    assert response.status_code == 302
    clinic.refresh_from_db()
    assert clinic.is_active is False
    assert list(clinic.members.all()) == [stays]
    # What the removed member had is the team's again, not stranded on someone who left.
    theirs.refresh_from_db()
    kept.refresh_from_db()
    assert (theirs.assigned_to, kept.assigned_to) == (None, stays)


def test_the_operator_cannot_delete_a_clinic(admin_client, clinic):
    assert (
        admin_client.post(f"{CLINICS_URL}{clinic.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert Clinic.objects.filter(pk=clinic.pk).exists()


def test_it_creates_no_account_by_migration(django_user_model):
    assert django_user_model.objects.count() == 0
