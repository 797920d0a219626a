"""A queue item keeps what its list row says of the result (Share.queue_reasons, has_note),
worked out from the result's snapshot and answers when it is sent; shares sent before these
columns are filled by their migration."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clinics.models import Share
from clinics.queue_reasons import has_note, reasons_in_words
from tests.support.queue import CONSULT_ANSWERS, GO_AHEAD_ANSWERS, QUEUE_URL, STOP_ANSWERS, send

pytestmark = pytest.mark.django_db

migration = importlib.import_module("clinics.migrations.0005_share_list_columns")
WITH_NOTE = {**CONSULT_ANSWERS, "notes": "It itches after rolling."}


def kept_right(share: Share) -> bool:
    assessment = share.assessment
    return share.queue_reasons == reasons_in_words(
        assessment.factors, assessment.consult_professional
    ) and share.has_note == bool(assessment.answers.get("notes"))


@pytest.mark.parametrize("answers", [STOP_ANSWERS, WITH_NOTE, GO_AHEAD_ANSWERS])
def test_sending_keeps_what_the_list_shows(clinic, answers):
    share = send(clinic, answers)

    assert kept_right(share)
    assert share.has_note == (answers is WITH_NOTE)
    assert bool(share.queue_reasons) == (answers is not GO_AHEAD_ANSWERS)


@pytest.mark.parametrize(
    ("notes", "shown"), [("", False), (None, False), ("  ", True), ("Sore.", True)]
)
def test_a_note_is_anything_written(notes, shown):
    assert has_note({"notes": notes}) is shown
    assert has_note({}) is False


def test_the_list_shows_what_was_kept(staff_client, clinic):
    with_note = send(clinic, {**STOP_ANSWERS, "notes": "Sore."})
    without = send(clinic, CONSULT_ANSWERS)

    page = staff_client.get(QUEUE_URL).content.decode()

    assert f'<td class="field-reasons">{with_note.queue_reasons}</td>' in page
    assert f'<td class="field-reasons">{without.queue_reasons}</td>' in page
    assert page.count('<td class="field-note">Yes</td>') == 1
    assert page.count('<td class="field-note">-</td>') == 1


def migrate_back_and_forward(before: str, to: str) -> None:
    """Back to the clinics migration `before`, forward to `to` (so that the migrations after
    `before` up to `to` run on the rows the test made), then to the latest, whatever happens."""
    MigrationExecutor(connection).migrate([("clinics", before)])
    try:
        MigrationExecutor(connection).migrate([("clinics", to)])
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch", [2, 500])
def test_the_migration_fills_the_shares_sent_before_it(clinic, other_clinic, monkeypatch, batch):
    monkeypatch.setattr(migration, "BATCH", batch)
    shares = [
        send(clinic, STOP_ANSWERS),
        send(other_clinic, WITH_NOTE),
        send(clinic, GO_AHEAD_ANSWERS),
        send(other_clinic, CONSULT_ANSWERS),
        send(clinic, {**GO_AHEAD_ANSWERS, "notes": "Fine."}),
    ]
    # Back to before the columns, and forward again: the migration fills them with the
    # models as they were then.
    migrate_back_and_forward("0004_share_sent_index", "0005_share_list_columns")

    for share in shares:
        share.refresh_from_db()
        assert kept_right(share)
    assert shares[0].queue_reasons
    assert [share.has_note for share in shares] == [False, True, False, False, True]


def test_a_cut_title_never_ends_in_a_comma_before_its_ellipsis():
    from django.utils.text import Truncator

    from assessments import rulebook
    from clinics.queue_reasons import ELLIPSIS, REASON_WORDS, _short_title

    cut_at_a_comma = 0
    for rule in rulebook.RULES:
        short, django = _short_title(rule.title), Truncator(rule.title).words(REASON_WORDS)
        assert short[-2:-1] not in ",;:", short
        assert short == rule.title or short.endswith(ELLIPSIS)
        assert short == (
            rule.title if django == rule.title else django[:-1].rstrip(",;:") + ELLIPSIS
        )
        cut_at_a_comma += django.endswith("," + ELLIPSIS)
    # The rulebook has titles this applies to (2026.12: three), so the test is not empty.
    assert cut_at_a_comma


@pytest.mark.django_db(transaction=True)
def test_the_migration_mends_reasons_kept_with_a_comma_before_the_ellipsis(clinic):
    kept = {
        "Heart condition or low blood pressure,\u2026; A reaction after a recent session,\u2026": (
            "Heart condition or low blood pressure\u2026; A reaction after a recent session\u2026"
        ),
        "Redness; swelling,\u2026; +2 more": "Redness; swelling\u2026; +2 more",
        "Scalp wounds, cuts or sores": "Scalp wounds, cuts or sores",
    }
    shares = {}
    for before in kept:
        share = send(clinic, STOP_ANSWERS)
        Share.objects.filter(pk=share.pk).update(queue_reasons=before)
        shares[before] = share
    migrate_back_and_forward(
        "0005_share_list_columns", "0006_queue_reasons_no_comma_before_ellipsis"
    )

    for before, after in kept.items():
        shares[before].refresh_from_db()
        assert shares[before].queue_reasons == after


@pytest.mark.parametrize("answers", [STOP_ANSWERS, CONSULT_ANSWERS, GO_AHEAD_ANSWERS])
def test_sending_keeps_the_results_own_disposition(clinic, answers):
    share = send(clinic, answers)

    assert share.result_disposition == share.assessment.disposition == share.disposition


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_results_disposition_of_shares_sent_before_it(clinic, other_clinic):
    shares = [
        send(clinic, STOP_ANSWERS),
        send(other_clinic, CONSULT_ANSWERS),
        send(clinic, GO_AHEAD_ANSWERS),
    ]
    # A raised one: the item's disposition is no longer the result's.
    Share.objects.filter(pk=shares[2].pk).update(disposition="urgent")
    migrate_back_and_forward(
        "0006_queue_reasons_no_comma_before_ellipsis", "0007_share_result_disposition"
    )

    for share in shares:
        share.refresh_from_db()
        assert share.result_disposition == share.assessment.disposition
    assert [s.result_disposition for s in shares] == ["stop", "consult", "go_ahead"]
    assert shares[2].disposition == "urgent"


def test_a_share_written_without_the_results_disposition_is_not_said_to_be_raised(
    staff_client, clinic
):
    # As a host of the release before migration 0007 writes one during a rolling deploy: the
    # database's default fills the column.
    share = send(clinic, GO_AHEAD_ANSWERS)
    Share.objects.filter(pk=share.pk).delete()
    fields = {
        f.attname: getattr(share, f.attname)
        for f in Share._meta.concrete_fields
        if not f.generated and f.attname != "result_disposition"
    }
    Share.objects.bulk_create([Share(**fields)])
    Share.objects.filter(pk=share.pk).update(disposition="urgent")

    assert Share.objects.values_list("result_disposition", flat=True).get(pk=share.pk) == ""
    page = staff_client.get(QUEUE_URL).content.decode()
    assert str(share.pk) in page
    assert "Raised by a later check" not in page
