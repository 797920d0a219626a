"""The operator (a superuser) on an assessment's admin page: answers and scores read-only, the
operator's review, the list actions that set it, and the audit of every view. Clinic staff get
none of it: their review is on the queue item (test_queue_review.py).
"""

import pytest
from django.utils.html import escape

from assessments import rulebook
from assessments.models import Assessment
from tests.support.assessments import (
    CHANGELIST_URL,
    FLAGGED_ANSWERS,
    HARD_STOP_ANSWERS,
    change_url,
    save_assessment,
)
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.django_db

NEEDLE = rulebook.QUESTIONS["needle_length"]


def review_post(assessment: Assessment, **changes) -> dict:
    return {
        "review_status": assessment.review_status,
        "staff_note": assessment.staff_note,
        **changes,
    }


def test_it_shows_the_answers_as_question_text_and_labels(admin_client):
    answers = {**FLAGGED_ANSWERS, "notes": "Itchy <b>after</b> use"}
    assessment = save_assessment(answers)

    response = admin_client.get(change_url(assessment))

    assert response.status_code == 200
    page = response.content.decode()
    for row in rulebook.describe_answers(assessment.answers):
        assert f"<td>{escape(row['question'])}</td><td>{escape(row['answer'])}</td>" in page
    assert NEEDLE.label_for("1_1_to_1_5") in page
    assert "Itchy &lt;b&gt;after&lt;/b&gt; use" in page


def test_it_shows_the_factors_totals_and_suggestions(admin_client):
    assessment = save_assessment(FLAGGED_ANSWERS)
    rule = rulebook.RULES_BY_ID["R-NEEDLE-LONG"]

    page = admin_client.get(change_url(assessment)).content.decode()

    assert rule.id in page
    assert rule.title in page
    assert rule.severity.label in page
    assert f"<td>{rule.points}</td>" in page
    assert rulebook.Level(assessment.level).label in page
    assert assessment.result.lower_risk[0].change in page


def test_it_lets_the_operator_set_the_review_status_and_a_note(admin_client, admin_user):
    assessment = save_assessment(FLAGGED_ANSWERS)

    response = admin_client.post(
        change_url(assessment),
        review_post(assessment, review_status="follow_up", staff_note="Call on Monday."),
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.review_status == "follow_up"
    assert assessment.staff_note == "Call on Monday."
    assert assessment.reviewed_by == admin_user
    assert assessment.reviewed_at is not None
    assert assessment.needs_attention is False


def test_it_rejects_an_unknown_review_status(admin_client):
    assessment = save_assessment(FLAGGED_ANSWERS)

    response = admin_client.post(change_url(assessment), review_post(assessment, review_status="x"))

    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.review_status == "new"


def _post_patient_fields(client, assessment: Assessment):
    return client.post(
        change_url(assessment),
        review_post(
            assessment,
            review_status="closed",
            answers='{"needle_length": "up_to_0_25"}',
            points="0",
            level="low",
            hard_stop="",
            consult_professional="",
            factors="[]",
            rulebook_version="hacked",
            reviewed_by=str(assessment.pk),
            created_at="2000-01-01 00:00:00",
        ),
    )


def test_it_ignores_posted_answers_and_scores(admin_client):
    assessment = save_assessment(HARD_STOP_ANSWERS)
    before = Assessment.objects.values().get(pk=assessment.pk)

    response = _post_patient_fields(admin_client, assessment)

    assert response.status_code == 302
    after = Assessment.objects.values().get(pk=assessment.pk)
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"review_status", "reviewed_by_id", "reviewed_at", "needs_attention"}


def test_it_keeps_answers_and_scores_read_only_for_superusers(admin_client, admin_user):
    assessment = save_assessment(HARD_STOP_ANSWERS)
    before = Assessment.objects.values().get(pk=assessment.pk)

    form_fields = admin_client.get(change_url(assessment)).context["adminform"].form.fields
    response = _post_patient_fields(admin_client, assessment)

    assert set(form_fields) == {"review_status", "staff_note"}
    assert response.status_code == 302
    after = Assessment.objects.values().get(pk=assessment.pk)
    assert {key for key in before if before[key] != after[key]} == {
        "review_status",
        "reviewed_by_id",
        "reviewed_at",
        "needs_attention",
    }
    assert after["reviewed_by_id"] == admin_user.pk


# --- Actions ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "status"),
    [
        ("mark_in_progress", "in_progress"),
        ("mark_follow_up", "follow_up"),
        ("mark_closed", "closed"),
    ],
)
def test_it_sets_the_review_status_of_selected_rows(admin_client, admin_user, action, status):
    chosen = [save_assessment(FLAGGED_ANSWERS), save_assessment(SAFE_ANSWERS)]
    untouched = save_assessment(FLAGGED_ANSWERS)

    response = admin_client.post(
        CHANGELIST_URL, {"action": action, "_selected_action": [a.pk for a in chosen]}
    )

    assert response.status_code == 302
    for assessment in chosen:
        assessment.refresh_from_db()
        assert (assessment.review_status, assessment.reviewed_by) == (status, admin_user)
    untouched.refresh_from_db()
    assert untouched.review_status == "new"


def test_each_view_of_an_unsent_result_is_audited_without_a_clinic(admin_client, admin_user):
    from assessments.models import AuditEvent

    assessment = save_assessment(FLAGGED_ANSWERS)

    admin_client.get(change_url(assessment))
    admin_client.get(change_url(assessment))

    events = AuditEvent.objects.filter(action="viewed")
    assert [(e.actor, e.assessment_id, e.clinic) for e in events] == [
        (admin_user, assessment.pk, None)
    ] * 2


@pytest.mark.parametrize("who", ["clinic_staff", "other_clinic_staff"])
def test_an_assessments_page_does_not_exist_for_clinic_staff(client, request, who, clinic):
    from tests.support.queue import send

    # Even one sent to their own clinic: they read it as a queue item, not here.
    assessment = send(clinic, FLAGGED_ANSWERS).assessment
    client.force_login(request.getfixturevalue(who))

    assert client.get(change_url(assessment)).status_code == 404
    assert client.post(change_url(assessment), review_post(assessment)).status_code == 404
    assert client.get(f"{CHANGELIST_URL}{assessment.pk}/history/").status_code == 404
    assessment.refresh_from_db()
    assert assessment.review_status == "new"


def test_each_showing_is_audited_including_a_form_shown_again(admin_client, admin_user):
    from assessments.models import AuditEvent

    assessment = save_assessment(FLAGGED_ANSWERS)
    url = change_url(assessment)

    shown = admin_client.get(url)
    shown_again = admin_client.post(url, review_post(assessment, review_status="nonsense"))
    saved = admin_client.post(url, review_post(assessment, review_status="closed"))
    saved_from_popup = admin_client.post(
        url, {**review_post(assessment, review_status="new"), "_popup": "1"}
    )

    assert shown.status_code == 200
    # The invalid choice is shown with the form, answers and all: a showing.
    assert shown_again.status_code == 200
    assert shown_again.context["adminform"].form.errors
    assert "Answers" in shown_again.content.decode()
    assert saved.status_code == 302
    # Saved from a pop-up: a 200 of only the pop-up's closing script, not a showing.
    assert saved_from_popup.status_code == 200
    assert "adminform" not in saved_from_popup.context
    events = AuditEvent.objects.filter(action="viewed")
    assert [(e.actor, e.assessment_id, e.clinic) for e in events] == [
        (admin_user, assessment.pk, None)
    ] * 2
