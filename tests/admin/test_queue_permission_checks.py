"""The queue's list asks for the user's permissions a few times a page, not once per action each
time Django lists the actions (QueueAdmin.get_actions), and the actions stay the user's own."""

import pytest
from django.contrib.auth import models as auth_models
from django.contrib.auth.models import Permission

from tests.support.queue import QUEUE_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def permission_checks(monkeypatch):
    asked = []
    check = auth_models._user_has_perm

    def counted(user, perm, obj):
        asked.append(perm)
        return check(user, perm, obj)

    monkeypatch.setattr(auth_models, "_user_has_perm", counted)
    return asked


def action_choices(page) -> list[str]:
    return [value for value, _label in page.context_data["action_form"].fields["action"].choices]


def test_the_list_checks_each_permission_about_once(staff_client, permission_checks):
    page = staff_client.get(QUEUE_URL)

    assert page.status_code == 200
    # Django's own list asked 17 times here: the page's view and change, then each of the five
    # actions' permission, three times a page.
    assert len(permission_checks) <= 7, permission_checks
    # Every action still offered (tests/admin/test_queue_review.py checks the list itself).
    assert {"assign_to_me", "mark_closed", "export_csv"} <= set(action_choices(page))


def test_each_request_reads_the_actions_afresh(staff_client, clinic_staff):
    everything = action_choices(staff_client.get(QUEUE_URL))
    # Allowed to view the queue but no longer to change it: only the export is left.
    clinic_staff.groups.clear()
    clinic_staff.user_permissions.add(Permission.objects.get(codename="view_share"))

    assert action_choices(staff_client.get(QUEUE_URL)) == ["", "export_csv"]
    assert everything != ["", "export_csv"]
