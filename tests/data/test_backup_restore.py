"""Backups that restore: `manage.py backup`, an empty database, `manage.py restore`, and every
row of every table is back with the same values, and the pages render from it. On both
databases (`make backup` and `make restore` run these two commands).

The comparison reads every installed model (tests/support/backups.py, `every_row`), so a model
added later is covered as soon as the cast below makes a row of it: add it to the cast and to
MUST_HAVE_ROWS when it lands (issue 15's checks, sessions and reminders are in).
"""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from assessments.audit import audit_event_record
from assessments.models import Assessment, AuditEvent, ReviewStatus
from assessments.services import assessment_delete
from clinics.private_links import private_link_create, private_link_email_send
from clinics.services import share_review, share_send
from roller_sessions.reminders import reminders_set
from roller_sessions.services import consult_confirm
from tests.support import sessions
from tests.support.assessments import FLAGGED_ANSWERS, HARD_STOP_ANSWERS, save_assessment
from tests.support.backups import connected_to, empty_database, every_row, manage, own_database
from tests.support.queue import CONTACT, clinic_staff_group, item_url

pytestmark = [pytest.mark.system, pytest.mark.django_db(transaction=True)]

MESSAGE = "Please call us before your next session."
# Tables the cast fills: a comparison of empty tables would prove nothing.
MUST_HAVE_ROWS = [
    "auth.User",
    "auth.User_groups",
    "assessments.Assessment",
    "assessments.AuditEvent",
    "clinics.Clinic",
    "clinics.Clinic_members",
    "clinics.Share",
    "clinics.PrivateLink",
    "outbox.OutgoingEmail",
    "django_tasks_database.DBTaskResult",
    "sessions.Session",
    "account.EmailAddress",
    "roller_sessions.Check",
    "roller_sessions.Session",
    "roller_sessions.ConsultConfirmation",
    "roller_sessions.ReminderChoice",
    "roller_sessions.Reminder",
]


@pytest.fixture(autouse=True)
def _clinic_staff_group(transactional_db):
    # Before `clinic_staff`: a transactional test before this one flushed the group that a
    # data migration made (tests/support/queue.py).
    clinic_staff_group()


@pytest.fixture
def cast(owner, someone_else, admin_user, clinic, clinic_staff, owner_client):
    """Everything the site keeps: accounts, a clinic with staff, an owner's result sent to it
    with contact details and reviewed, an anonymous result with a private link (and its email),
    outbox rows and tasks, audit entries, a signed-in browser session; and someone's sessions
    (rulebook section 6): a base sent to the clinic, a consult check confirmed and logged, a
    check-in, reminders on."""
    mine = save_assessment(HARD_STOP_ANSWERS, owner=owner)
    share = share_send(assessment=mine, clinic=clinic, contact=CONTACT)
    share_review(
        share=share,
        reviewer=clinic_staff,
        status=ReviewStatus.IN_PROGRESS,
        note="Called once",
        message=MESSAGE,
    )
    audit_event_record(
        actor=clinic_staff,
        action=AuditEvent.Action.VIEWED,
        assessment_id=mine.pk,
        clinic=clinic,
        details={"page": "queue item"},
    )
    base = sessions.save_base(someone_else, days_ago=5, needle_length="1_1_to_1_5")
    base_share = share_send(assessment=base, clinic=clinic, contact=CONTACT)
    check = sessions.take_check(someone_else, on=sessions.days_from_today(-2))
    consult_confirm(check=check, today=check.date)
    session = sessions.log_session(check)
    checkin = sessions.take_checkin(session, 1, "shedding")
    reminders_set(user=someone_else, on=True)
    anonymous = save_assessment(FLAGGED_ANSWERS)
    token = private_link_create(assessment=anonymous)
    private_link_email_send(assessment=anonymous, to="anon@example.org", token=token)
    return {
        "mine": mine,
        "share": share,
        "anonymous": anonymous,
        "token": token,
        "base_share": base_share,
        "checkin": checkin,
    }


@pytest.fixture
def target(tmp_path):
    database = empty_database("restored", tmp_path)
    yield database
    database.drop()


def _restore(backup: Path, target, tmp_path) -> None:
    restored = manage("restore", str(backup), "--noinput", database=target, backup_dir=tmp_path)
    assert restored.returncode == 0, restored.stderr
    assert "Restored" in restored.stdout


def test_a_backup_restores_every_row_and_the_pages_render(cast, target, owner, tmp_path):
    before = every_row()
    assert [label for label in MUST_HAVE_ROWS if not before[label]] == []
    assert {a.owner_id is None for a in [cast["mine"], cast["anonymous"]]} == {True, False}

    made = manage("backup", database=own_database(), backup_dir=tmp_path / "backups")
    assert made.returncode == 0, made.stderr
    backup = Path(made.stdout.strip())
    assert backup.parent == tmp_path / "backups" and backup.stat().st_mode & 0o077 == 0

    _restore(backup, target, tmp_path)
    with connected_to(target):
        assert every_row() == before

        # Restoring over a database that has moved on puts it back as it was.
        assessment_delete(assessment=Assessment.objects.get(pk=cast["mine"].pk))
        get_user_model().objects.create_user("newcomer", "new@example.org", "newcomer-pass-12")
        assert every_row() != before
    _restore(backup, target, tmp_path)
    with connected_to(target):
        assert every_row() == before

        # The pages read the restored data: the owner's result with the clinic's message, the
        # queue item with the contact details, the private link (only its hash was stored).
        owner_browser = Client()
        owner_browser.force_login(owner)
        result = owner_browser.get(cast["mine"].get_absolute_url())
        assert result.status_code == 200
        assert MESSAGE in result.content.decode()
        staff_browser = Client()
        staff_browser.force_login(cast["share"].clinic.members.get())
        item = staff_browser.get(item_url(cast["share"]))
        assert item.status_code == 200
        assert CONTACT["contact_name"] in item.content.decode()
        assert CONTACT["contact_phone"] in item.content.decode()
        # The base's item with its checks, newest first: the check-in, then the check.
        later = staff_browser.get(item_url(cast["base_share"])).content.decode()
        checkin = cast["checkin"]
        assert f"Check-in 1 day after the session of {checkin.session.date:%d %b %Y}" in later
        assert later.index("Check-in 1 day after") < later.index("Check before a session")
        opened = Client().get(f"/r/{cast['token']}/", follow=True)
        assert opened.status_code == 200
        assert opened.redirect_chain[-1][0] == cast["anonymous"].get_absolute_url()
