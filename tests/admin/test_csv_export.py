"""The CSV export: codes and labels from the rulebook, formula-like cells neutralised, audited.

Here the operator's export of assessments; the clinic's export of its queue is in
test_queue_review.py."""

import csv
import io

import pytest

from assessments import rulebook
from assessments.exports import RESULT_FIELD_ORDER, csv_safe, write_assessments_csv
from assessments.models import SNAPSHOT_FIELDS, SNAPSHOT_JSON_FIELDS, AuditEvent
from tests.support.assessments import (
    CHANGELIST_URL,
    FLAGGED_ANSWERS,
    build_assessment,
    save_assessment,
)
from tests.support.questionnaire import SAFE_ANSWERS


def read_csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("", ""),
        (None, ""),
        (3, "3"),
        (-3, "'-3"),
    ],
)
def test_it_neutralises_cells_a_spreadsheet_would_run(value, cell):
    assert csv_safe(value) == cell


def test_it_writes_codes_and_labels_for_every_question():
    assessment = build_assessment({**FLAGGED_ANSWERS, "aftercare": ["nothing"]})
    out = io.StringIO()

    write_assessments_csv(out, [assessment])

    [row] = read_csv(out.getvalue())
    for key, question in rulebook.QUESTIONS.items():
        assert key in row
        if question.choices:
            assert f"{key} (label)" in row
    assert row["needle_length"] == "1_1_to_1_5"
    assert row["needle_length (label)"] == rulebook.QUESTIONS["needle_length"].label_for(
        "1_1_to_1_5"
    )
    assert row["aftercare"] == "nothing"
    assert row["id"] == str(assessment.id)
    assert (row["level"], row["level (label)"]) == ("moderate", rulebook.Level.MODERATE.label)
    assert row["points"] == str(assessment.points)
    assert (row["hard_stop"], row["consult_professional"]) == ("no", "yes")
    assert row["rulebook_version"] == rulebook.VERSION
    assert row["fired_rules"] == "R-NEEDLE-LONG"
    assert row["device_uses"] == "0"


def test_it_joins_several_codes_and_their_labels():
    aftercare = ["plain_moisturiser_or_saline", "minoxidil_after_24h"]
    out = io.StringIO()

    write_assessments_csv(out, [build_assessment({**SAFE_ANSWERS, "aftercare": aftercare})])

    [row] = read_csv(out.getvalue())
    question = rulebook.QUESTIONS["aftercare"]
    assert row["aftercare"] == ";".join(aftercare)
    assert row["aftercare (label)"] == "; ".join(question.label_for(c) for c in aftercare)


@pytest.mark.django_db
def test_it_exports_the_selected_rows_with_the_review_columns(admin_client, clinic_staff, owner):
    chosen = save_assessment(
        {**FLAGGED_ANSWERS, "notes": '=HYPERLINK("http://evil")'},
        owner=owner,
        review_status="follow_up",
        staff_note="@call back",
        reviewed_by=clinic_staff,
    )
    anonymous = save_assessment(SAFE_ANSWERS)
    save_assessment(SAFE_ANSWERS)

    response = admin_client.post(
        CHANGELIST_URL,
        {"action": "export_csv", "_selected_action": [chosen.pk, anonymous.pk]},
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="assessments-')
    assert "no-store" in response["Cache-Control"]
    rows = {row["id"]: row for row in read_csv(response.content.decode("utf-8"))}
    assert set(rows) == {str(chosen.pk), str(anonymous.pk)}
    row = rows[str(chosen.pk)]
    assert row["who"] == "owner"
    assert (row["review_status"], row["review_status (label)"]) == (
        "follow_up",
        "Follow-up needed",
    )
    assert row["reviewed_by"] == "staff"
    assert row["staff_note"] == "'@call back"
    assert row["notes"] == '\'=HYPERLINK("http://evil")'
    assert rows[str(anonymous.pk)]["who"] == "anonymous"


@pytest.mark.django_db
def test_it_records_an_export_for_every_exported_row(admin_client, admin_user):
    chosen = [save_assessment(), save_assessment()]

    admin_client.post(
        CHANGELIST_URL, {"action": "export_csv", "_selected_action": [a.pk for a in chosen]}
    )

    events = AuditEvent.objects.filter(action="exported")
    assert {event.assessment_id for event in events} == {a.pk for a in chosen}
    assert {(event.actor, event.clinic) for event in events} == {(admin_user, None)}


def test_the_result_columns_keep_their_order_and_cover_every_field_of_the_result():
    out = io.StringIO()
    write_assessments_csv(out, [build_assessment()])
    header = out.getvalue().splitlines()[0].split(",")
    assert header[:11] == [
        "id",
        "created_at",
        "rulebook_version",
        "level",
        "level (label)",
        "points",
        "hard_stop",
        "consult_professional",
        "disposition",
        "disposition (label)",
        "fired_rules",
    ]
    scalar = [name for name in SNAPSHOT_FIELDS if name not in SNAPSHOT_JSON_FIELDS]
    assert sorted(RESULT_FIELD_ORDER) == sorted(scalar)
