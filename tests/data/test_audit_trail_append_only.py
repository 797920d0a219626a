"""The audit trail is append-only: in PostgreSQL by a trigger (migration 0006), on SQLite by the
model's own guards. Deleting a staff account only clears the entry's link to it; deleting
assessments or a person's account never touches the trail."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from assessments.audit import audit_event_record
from assessments.models import Assessment, AuditEvent
from assessments.services import account_delete, assessment_delete
from tests.support.assessments import save_assessment

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "the audit trail's trigger is PostgreSQL's; on SQLite only AuditEvent.save() and "
        "delete() guard it, as Django's test flush there needs DELETE"
    ),
)


@pytest.fixture
def events(clinic_staff, clinic):
    assessment = save_assessment()
    viewed = audit_event_record(
        actor=clinic_staff,
        action=AuditEvent.Action.VIEWED,
        assessment_id=assessment.id,
        clinic=clinic,
    )
    changed = audit_event_record(
        actor=clinic_staff,
        action=AuditEvent.Action.REVIEW_CHANGED,
        assessment_id=assessment.id,
        details={"changes": ["Status: New → Closed"]},
        clinic=clinic,
    )
    return [viewed, changed]


def trail() -> list[dict]:
    return list(AuditEvent.objects.order_by("id").values())


def check_deferred_constraints() -> None:
    """Run the checks PostgreSQL would run at commit (the test's transaction never commits)."""
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def refused(write) -> None:
    before = trail()
    with pytest.raises(IntegrityError, match="append-only"), transaction.atomic():
        write()
        check_deferred_constraints()
    assert trail() == before


@on_postgresql
@pytest.mark.parametrize(
    "change",
    [
        {"action": AuditEvent.Action.EXPORTED},
        {"details": {}},
        {"actor_username": "someone-else"},
        {"at": timezone.now() - timedelta(days=1)},
        {"clinic": None},
        {"actor": None, "actor_username": "(gone)"},
    ],
    ids=lambda change: "+".join(change),
)
def test_it_refuses_queryset_update(events, change):
    refused(lambda: AuditEvent.objects.filter(pk=events[0].pk).update(**change))


@on_postgresql
def test_it_refuses_to_point_an_entry_at_another_staff_member(events, other_clinic_staff):
    refused(lambda: AuditEvent.objects.update(actor=other_clinic_staff))


@on_postgresql
def test_it_refuses_to_clear_the_actor_of_an_account_that_still_exists(events):
    refused(lambda: AuditEvent.objects.update(actor=None))


@on_postgresql
def test_it_refuses_queryset_delete(events):
    refused(lambda: AuditEvent.objects.all().delete())
    refused(lambda: AuditEvent.objects.filter(pk=events[0].pk).delete())


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE assessments_auditevent SET action = 'exported'",
        "UPDATE assessments_auditevent SET details = '{}'::jsonb",
        "UPDATE assessments_auditevent SET actor_id = NULL, actor_username = ''",
        "UPDATE assessments_auditevent SET actor_id = NULL",
        "DELETE FROM assessments_auditevent",
    ],
)
def test_it_refuses_raw_sql(events, sql):
    def write():
        with connection.cursor() as cursor:
            cursor.execute(sql)

    refused(write)


@on_postgresql
def test_deleting_a_staff_account_only_clears_the_link_to_it(events, clinic_staff):
    before = trail()
    clinic_staff.delete()
    check_deferred_constraints()
    after = trail()
    assert [row["actor_id"] for row in after] == [None, None]
    assert all(row["actor_username"] == "staff" for row in after)
    for row in [*before, *after]:
        row.pop("actor_id")
    assert after == before


@on_postgresql
def test_truncate_still_works_so_the_test_flush_does(events):
    # Transactional tests (and `manage.py flush`) empty tables with TRUNCATE, which fires no
    # row trigger. (Checked first, as TRUNCATE waits for no pending foreign-key check.)
    check_deferred_constraints()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE assessments_auditevent")
    assert trail() == []


def test_the_model_refuses_to_change_or_delete_an_entry_on_every_database(events):
    event = AuditEvent.objects.get(pk=events[0].pk)
    event.action = AuditEvent.Action.EXPORTED
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    assert AuditEvent.objects.get(pk=events[0].pk).action == AuditEvent.Action.VIEWED


def test_the_nightly_purge_keeps_the_trail_of_the_assessments_it_deletes(events):
    before = trail()
    Assessment.objects.update(created_at=timezone.now() - timedelta(days=1000))
    call_command("purge_old_assessments")
    assert not Assessment.objects.exists()
    assert trail() == before


def test_deleting_an_assessment_or_an_account_keeps_the_trail(events, owner):
    before = trail()
    assessment = Assessment.objects.get()
    Assessment.objects.filter(pk=assessment.pk).update(owner=owner)
    mine = save_assessment(owner=owner)
    assessment_delete(assessment=mine)
    account_delete(user=owner)
    assert not Assessment.objects.exists()
    assert trail() == before
