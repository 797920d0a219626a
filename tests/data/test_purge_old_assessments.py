"""manage.py purge_old_assessments --older-than DAYS: the retention command for cron."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
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
