"""manage.py purge_old_assessments --older-than DAYS: the retention command for cron."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from assessments.models import Assessment
from tests.support.questionnaire import take_assessment

pytestmark = pytest.mark.django_db


def test_it_deletes_only_assessments_older_than_the_given_days(client):
    old = take_assessment(client)
    recent = take_assessment(client)
    Assessment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))
    out = StringIO()
    call_command("purge_old_assessments", "--older-than", "30", stdout=out)
    assert "Deleted 1 assessment(s) older than 30 days." in out.getvalue()
    assert list(Assessment.objects.values_list("id", flat=True)) == [recent.id]


def test_a_dry_run_deletes_nothing(client):
    old = take_assessment(client)
    Assessment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))
    out = StringIO()
    call_command("purge_old_assessments", "--older-than", "365", "--dry-run", stdout=out)
    assert "1 assessment(s) older than 365 days would be deleted." in out.getvalue()
    assert Assessment.objects.count() == 1


@pytest.mark.parametrize("days", ["0", "-3", "ten", "1.5", ""])
def test_bad_days_get_a_clear_error(days):
    with pytest.raises(CommandError, match="--older-than"):
        call_command("purge_old_assessments", "--older-than", days)
    assert Assessment.objects.count() == 0


# Run twice at once (cron on two hosts, or a manual run beside the nightly one): both end well,
# every expired assessment is deleted once, and each withdrawal is in the audit trail once.
# Two real connections (threads): PostgreSQL's row locks, or SQLite's IMMEDIATE transactions.
@pytest.mark.django_db(transaction=True)
def test_two_purges_at_once_delete_each_assessment_once_and_record_each_withdrawal_once(clinic):
    from assessments.models import AuditEvent
    from assessments.services import assessments_purge
    from clinics.services import share_send
    from tests.support.assessments import save_assessment

    old = timezone.now() - timedelta(days=800)
    expired = [save_assessment(created_at=old) for _ in range(6)]
    kept = save_assessment()
    for assessment in expired[:3]:
        share_send(
            assessment=assessment,
            clinic=clinic,
            contact={"contact_way": "email", "contact_email": "sam@example.org"},
        )

    start = threading.Barrier(2)
    outcomes: list = []

    def purge() -> None:
        try:
            start.wait(timeout=10)
            assessments_purge(created_before=timezone.now() - timedelta(days=730))
            outcomes.append("ok")
        except Exception as error:  # noqa: BLE001 (reported below)
            outcomes.append(error)
        finally:
            connection.close()

    runs = [threading.Thread(target=purge) for _ in range(2)]
    for run in runs:
        run.start()
    for run in runs:
        run.join(timeout=60)
    assert outcomes == ["ok", "ok"]
    assert list(Assessment.objects.values_list("id", flat=True)) == [kept.id]
    withdrawn = AuditEvent.objects.filter(action=AuditEvent.Action.WITHDRAWN)
    assert sorted(withdrawn.values_list("assessment_id", flat=True)) == sorted(
        a.id for a in expired[:3]
    )


@pytest.mark.django_db(transaction=True)
def test_the_command_run_twice_in_a_row_deletes_nothing_the_second_time(client):
    old = take_assessment(client)
    Assessment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=800))
    first, second = StringIO(), StringIO()
    call_command("purge_old_assessments", stdout=first)
    call_command("purge_old_assessments", stdout=second)
    assert "Deleted 1 assessment(s)" in first.getvalue()
    assert "Deleted 0 assessment(s)" in second.getvalue()
