"""The nightly purge deletes after ASSESSMENT_RETENTION_DAYS, the privacy notice's promise."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assessments.models import Assessment
from tests.support.assessments import save_assessment

pytestmark = pytest.mark.django_db


def test_without_a_number_it_keeps_the_period_the_notice_promises(client, settings):
    settings.ASSESSMENT_RETENTION_DAYS = 100
    now = timezone.now()
    kept = save_assessment(created_at=now - timedelta(days=99))
    save_assessment(created_at=now - timedelta(days=101))
    out = StringIO()
    call_command("purge_old_assessments", stdout=out)
    assert "Deleted 1 assessment(s) older than 100 days." in out.getvalue()
    assert list(Assessment.objects.values_list("id", flat=True)) == [kept.id]
    notice = client.get("/assessment/before-you-start/").content.decode()
    assert "at most 100 days" in notice


def test_a_dry_run_without_a_number_uses_it_too(settings):
    settings.ASSESSMENT_RETENTION_DAYS = 30
    save_assessment(created_at=timezone.now() - timedelta(days=31))
    out = StringIO()
    call_command("purge_old_assessments", "--dry-run", stdout=out)
    assert "1 assessment(s) older than 30 days would be deleted." in out.getvalue()
    assert Assessment.objects.count() == 1
