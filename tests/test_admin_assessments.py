"""Clinic staff in the admin: the triage list, the change page, the review, and what is refused."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from assessments import rulebook
from assessments.admin.pagination import EstimatedCountPaginator
from assessments.models import Assessment
from assessments.services import CLINIC_STAFF_GROUP
from tests.admin_support import (
    CHANGELIST_URL,
    FLAGGED_ANSWERS,
    HARD_STOP_ANSWERS,
    change_url,
    save_assessment,
    save_assessments,
)
from tests.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.django_db

NEEDLE = rulebook.QUESTIONS["needle_length"]


def listed_ids(response) -> list:
    return [row.pk for row in response.context["cl"].result_list]


def review_post(assessment: Assessment, **changes) -> dict:
    return {
        "review_status": assessment.review_status,
        "staff_note": assessment.staff_note,
        **changes,
    }


# --- The list ---------------------------------------------------------------------------------


def test_it_lists_who_level_flags_needle_length_and_review_status(staff_client, owner):
    save_assessment(FLAGGED_ANSWERS, owner=owner)
    save_assessment(SAFE_ANSWERS)

    response = staff_client.get(CHANGELIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "owner" in page
    assert "anonymous" in page
    assert NEEDLE.label_for("1_1_to_1_5") in page
    assert rulebook.Level.LOW.label in page
    assert "Consult flag" in page
    assert "Review status" in page


def test_it_puts_flagged_unreviewed_first_then_newest(staff_client, clinic_staff):
    now = timezone.now()
    old_flagged = save_assessment(FLAGGED_ANSWERS, created_at=now - timedelta(days=3))
    newest_safe = save_assessment(SAFE_ANSWERS, created_at=now)
    new_flagged = save_assessment(FLAGGED_ANSWERS, created_at=now - timedelta(days=1))
    reviewed_flagged = save_assessment(
        FLAGGED_ANSWERS, created_at=now - timedelta(hours=1), review_status="reviewed"
    )

    response = staff_client.get(CHANGELIST_URL)

    assert listed_ids(response) == [
        new_flagged.pk,
        old_flagged.pk,
        newest_safe.pk,
        reviewed_flagged.pk,
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("consult_professional__exact=1", {"flagged", "stopped"}),
        ("hard_stop__exact=1", {"stopped"}),
        ("level__exact=low", {"safe"}),
        ("review_status__exact=new", {"flagged", "stopped", "safe"}),
        (f"rulebook_version={rulebook.VERSION}", {"flagged", "stopped", "safe"}),
        ("rulebook_version=1999.01", set()),
    ],
)
def test_it_filters_the_list(staff_client, query, expected):
    made = {
        "flagged": save_assessment(FLAGGED_ANSWERS),
        "stopped": save_assessment(HARD_STOP_ANSWERS),
        "safe": save_assessment(SAFE_ANSWERS),
    }

    response = staff_client.get(f"{CHANGELIST_URL}?{query}")

    assert response.status_code == 200
    assert set(listed_ids(response)) == {made[name].pk for name in expected}


def test_it_filters_by_created_date(staff_client):
    recent = save_assessment(SAFE_ANSWERS)
    save_assessment(SAFE_ANSWERS, created_at=timezone.now() - timedelta(days=400))
    changelist = staff_client.get(CHANGELIST_URL).context["cl"]
    created = next(spec for spec in changelist.filter_specs if spec.title == "created")
    past_week = next(c for c in created.choices(changelist) if c["display"] == "Past 7 days")

    response = staff_client.get(CHANGELIST_URL + past_week["query_string"])

    assert listed_ids(response) == [recent.pk]


@pytest.mark.parametrize("term", ["owner", "owner@example.org", "OWNER@EXAMPLE"])
def test_it_searches_by_username_and_email(staff_client, owner, someone_else, term):
    mine = save_assessment(owner=owner)
    save_assessment(owner=someone_else)

    response = staff_client.get(CHANGELIST_URL, {"q": term})

    assert listed_ids(response) == [mine.pk]


def test_it_finds_an_assessment_by_its_exact_id(staff_client):
    wanted = save_assessment()
    save_assessment()

    response = staff_client.get(CHANGELIST_URL, {"q": f"  {wanted.pk}  "})
    partial = staff_client.get(CHANGELIST_URL, {"q": str(wanted.pk)[:8]})

    assert listed_ids(response) == [wanted.pk]
    assert listed_ids(partial) == []


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST_URL)
    assert response.status_code == 200
    return len(queries)


def test_it_runs_as_many_queries_for_500_rows_as_for_one(staff_client):
    save_assessments(1, FLAGGED_ANSWERS)
    # The first request of a session may do one-off session work; measure the steady state.
    _changelist_queries(staff_client)
    one_row = _changelist_queries(staff_client)

    save_assessments(499, FLAGGED_ANSWERS)
    many_rows = _changelist_queries(staff_client)

    assert many_rows == one_row


def test_it_does_not_show_a_full_count_or_facets(staff_client):
    save_assessments(3)

    response = staff_client.get(CHANGELIST_URL, {"q": "nobody", "_facets": "1"})

    assert response.context["cl"].show_full_result_count is False
    assert response.context["cl"].full_result_count is None
    assert response.context["cl"].add_facets is False


def test_it_counts_exactly_when_filtered_or_small():
    save_assessments(3, FLAGGED_ANSWERS)

    everything = EstimatedCountPaginator(Assessment.objects.order_by("pk"), 50)
    flagged = EstimatedCountPaginator(Assessment.objects.flagged().order_by("pk"), 50)

    assert everything.count == 3
    assert flagged.count == 3


@pytest.mark.skipif(connection.vendor != "postgresql", reason="reltuples is PostgreSQL's")
def test_it_uses_postgresqls_estimate_for_a_large_unfiltered_list(monkeypatch):
    save_assessments(30)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE assessments_assessment")
    monkeypatch.setattr(EstimatedCountPaginator, "ESTIMATE_ABOVE", 10)

    with CaptureQueriesContext(connection) as queries:
        count = EstimatedCountPaginator(Assessment.objects.order_by("pk"), 50).count

    assert count == 30
    assert "count(" not in " ".join(q["sql"].lower() for q in queries)


# --- The change page ----------------------------------------------------------------------------


def test_it_shows_the_answers_as_question_text_and_labels(staff_client):
    answers = {**FLAGGED_ANSWERS, "notes": "Itchy <b>after</b> use"}
    assessment = save_assessment(answers)

    response = staff_client.get(change_url(assessment))

    assert response.status_code == 200
    page = response.content.decode()
    for row in rulebook.describe_answers(assessment.answers):
        assert f"<td>{escape(row['question'])}</td><td>{escape(row['answer'])}</td>" in page
    assert NEEDLE.label_for("1_1_to_1_5") in page
    assert "Itchy &lt;b&gt;after&lt;/b&gt; use" in page


def test_it_shows_the_factors_totals_and_suggestions(staff_client):
    assessment = save_assessment(FLAGGED_ANSWERS)
    rule = rulebook.RULES_BY_ID["R-NEEDLE-LONG"]

    page = staff_client.get(change_url(assessment)).content.decode()

    assert rule.id in page
    assert rule.title in page
    assert rule.severity.label in page
    assert f"<td>{rule.points}</td>" in page
    assert rulebook.Level(assessment.level).label in page
    assert assessment.result.lower_risk[0].change in page


def test_it_lets_staff_set_the_review_status_and_a_note(staff_client, clinic_staff):
    assessment = save_assessment(FLAGGED_ANSWERS)

    response = staff_client.post(
        change_url(assessment),
        review_post(assessment, review_status="follow_up", staff_note="Call on Monday."),
    )

    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.review_status == "follow_up"
    assert assessment.staff_note == "Call on Monday."
    assert assessment.reviewed_by == clinic_staff
    assert assessment.reviewed_at is not None
    assert assessment.needs_attention is False


def test_it_rejects_an_unknown_review_status(staff_client):
    assessment = save_assessment(FLAGGED_ANSWERS)

    response = staff_client.post(change_url(assessment), review_post(assessment, review_status="x"))

    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.review_status == "new"


def _post_patient_fields(client, assessment: Assessment):
    return client.post(
        change_url(assessment),
        review_post(
            assessment,
            review_status="reviewed",
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


def test_it_ignores_posted_answers_and_scores(staff_client):
    assessment = save_assessment(HARD_STOP_ANSWERS)
    before = Assessment.objects.values().get(pk=assessment.pk)

    response = _post_patient_fields(staff_client, assessment)

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
    ("action", "status"), [("mark_reviewed", "reviewed"), ("mark_follow_up", "follow_up")]
)
def test_it_sets_the_review_status_of_selected_rows(staff_client, clinic_staff, action, status):
    chosen = [save_assessment(FLAGGED_ANSWERS), save_assessment(SAFE_ANSWERS)]
    untouched = save_assessment(FLAGGED_ANSWERS)

    response = staff_client.post(
        CHANGELIST_URL, {"action": action, "_selected_action": [a.pk for a in chosen]}
    )

    assert response.status_code == 302
    for assessment in chosen:
        assessment.refresh_from_db()
        assert (assessment.review_status, assessment.reviewed_by) == (status, clinic_staff)
    untouched.refresh_from_db()
    assert untouched.review_status == "new"


# --- What staff may not do ----------------------------------------------------------------------


def test_it_refuses_to_add_an_assessment(staff_client, admin_client):
    assert staff_client.get(f"{CHANGELIST_URL}add/").status_code == 403
    assert admin_client.get(f"{CHANGELIST_URL}add/").status_code == 403


def test_it_refuses_to_delete_an_assessment(staff_client, admin_client):
    assessment = save_assessment()

    assert staff_client.post(f"{CHANGELIST_URL}{assessment.pk}/delete/").status_code == 403
    assert admin_client.post(f"{CHANGELIST_URL}{assessment.pk}/delete/").status_code == 403
    actions = staff_client.get(CHANGELIST_URL).context["action_form"].fields["action"].choices
    assert "delete_selected" not in [name for name, _ in actions]
    assert Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.parametrize("user", ["owner", "anonymous"])
def test_it_sends_people_who_are_not_staff_to_the_admin_login(client, owner, user):
    assessment = save_assessment(owner=owner)
    if user == "owner":
        client.force_login(owner)

    for url in (CHANGELIST_URL, change_url(assessment)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")


def test_it_refuses_staff_outside_the_clinic_group(client, django_user_model):
    plain_staff = django_user_model.objects.create_user("plain", password="x", is_staff=True)
    assessment = save_assessment()
    client.force_login(plain_staff)

    assert client.get(CHANGELIST_URL).status_code == 403
    assert client.get(change_url(assessment)).status_code == 403


def test_it_gives_the_clinic_staff_group_only_view_and_review(clinic_staff):
    group = Group.objects.get(name=CLINIC_STAFF_GROUP)

    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        ("assessments", "view_assessment"),
        ("assessments", "change_assessment"),
    }
    assert not clinic_staff.has_perm("auth.view_user")
    assert not clinic_staff.is_superuser


def test_it_creates_no_account_by_migration(django_user_model):
    assert django_user_model.objects.count() == 0
