"""A queue item keeps the reasons its list shows (Share.queue_reasons), worked out from the result's
factor snapshot when it is sent; shares sent before the column are filled by its migration."""

import importlib

import pytest
from django.apps import apps

from clinics.models import Share
from clinics.queue_reasons import reasons_in_words
from tests.support.queue import CONSULT_ANSWERS, GO_AHEAD_ANSWERS, QUEUE_URL, STOP_ANSWERS, send

pytestmark = pytest.mark.django_db

migration = importlib.import_module("clinics.migrations.0005_share_queue_reasons")


@pytest.mark.parametrize("answers", [STOP_ANSWERS, CONSULT_ANSWERS, GO_AHEAD_ANSWERS])
def test_sending_keeps_the_reasons_of_the_snapshot(clinic, answers):
    share = send(clinic, answers)
    assessment = share.assessment

    assert share.queue_reasons == reasons_in_words(
        assessment.factors, assessment.consult_professional
    )
    if answers is not GO_AHEAD_ANSWERS:
        assert share.queue_reasons


def test_the_list_shows_the_kept_reasons(staff_client, clinic):
    share = send(clinic, STOP_ANSWERS)

    page = staff_client.get(QUEUE_URL).content.decode()

    assert f'<td class="field-reasons">{share.queue_reasons}</td>' in page


@pytest.mark.parametrize("batch", [1, 2, 500])
def test_the_migration_fills_the_shares_sent_before_it(clinic, other_clinic, monkeypatch, batch):
    monkeypatch.setattr(migration, "BATCH", batch)
    sent = [send(clinic, STOP_ANSWERS), send(other_clinic, CONSULT_ANSWERS)]
    calm = send(clinic, GO_AHEAD_ANSWERS)
    Share.objects.update(queue_reasons="")

    migration.fill_reasons(apps, None)

    for share in [*sent, calm]:
        share.refresh_from_db()
        assessment = share.assessment
        assert share.queue_reasons == reasons_in_words(
            assessment.factors, assessment.consult_professional
        )
    assert all(share.queue_reasons for share in sent)
