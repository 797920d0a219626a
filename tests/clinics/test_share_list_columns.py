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


BEFORE_0005 = [("clinics", "0004_share_sent_index")]
LATEST = [("clinics", "0005_share_list_columns")]


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
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_0005)
    try:
        executor = MigrationExecutor(connection)
        executor.migrate(LATEST)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    for share in shares:
        share.refresh_from_db()
        assert kept_right(share)
    assert shares[0].queue_reasons
    assert [share.has_note for share in shares] == [False, True, False, False, True]
