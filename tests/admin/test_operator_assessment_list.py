"""The operator's (superusers') list of every assessment, sent to a clinic or not: order,
filters, search, counts and queries. Clinic staff never see it (test_staff_access.py).

The change page and the operator's review: test_operator_assessment_change.py.
"""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments import rulebook
from assessments.admin.pagination import EstimatedCountPaginator
from assessments.models import Assessment
from tests.support.assessments import (
    CHANGELIST_URL,
    FLAGGED_ANSWERS,
    HARD_STOP_ANSWERS,
    save_assessment,
    save_assessments,
)
from tests.support.questionnaire import SAFE_ANSWERS

pytestmark = pytest.mark.django_db

NEEDLE = rulebook.QUESTIONS["needle_length"]


def listed_ids(response) -> list:
    return [row.pk for row in response.context_data["cl"].result_list]


# --- The list ---------------------------------------------------------------------------------


def test_it_lists_who_level_flags_needle_length_and_review_status(admin_client, owner):
    save_assessment(FLAGGED_ANSWERS, owner=owner)
    save_assessment(SAFE_ANSWERS)

    response = admin_client.get(CHANGELIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "owner" in page
    assert "anonymous" in page
    assert NEEDLE.label_for("1_1_to_1_5") in page
    assert rulebook.Level.LOW.label in page
    assert "Consult flag" in page
    assert "Review status" in page


def test_it_puts_flagged_unreviewed_first_then_newest(admin_client):
    now = timezone.now()
    old_flagged = save_assessment(FLAGGED_ANSWERS, created_at=now - timedelta(days=3))
    newest_safe = save_assessment(SAFE_ANSWERS, created_at=now)
    new_flagged = save_assessment(FLAGGED_ANSWERS, created_at=now - timedelta(days=1))
    reviewed_flagged = save_assessment(
        FLAGGED_ANSWERS, created_at=now - timedelta(hours=1), review_status="closed"
    )

    response = admin_client.get(CHANGELIST_URL)

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
def test_it_filters_the_list(admin_client, query, expected):
    made = {
        "flagged": save_assessment(FLAGGED_ANSWERS),
        "stopped": save_assessment(HARD_STOP_ANSWERS),
        "safe": save_assessment(SAFE_ANSWERS),
    }

    response = admin_client.get(f"{CHANGELIST_URL}?{query}")

    assert response.status_code == 200
    assert set(listed_ids(response)) == {made[name].pk for name in expected}


def test_it_filters_by_created_date(admin_client):
    recent = save_assessment(SAFE_ANSWERS)
    save_assessment(SAFE_ANSWERS, created_at=timezone.now() - timedelta(days=400))
    changelist = admin_client.get(CHANGELIST_URL).context_data["cl"]
    created = next(spec for spec in changelist.filter_specs if spec.title == "created")
    past_week = next(c for c in created.choices(changelist) if c["display"] == "Past 7 days")

    response = admin_client.get(CHANGELIST_URL + past_week["query_string"])

    assert listed_ids(response) == [recent.pk]


@pytest.mark.parametrize("term", ["owner", "owner@example.org", "OWNER@EXAMPLE"])
def test_it_searches_by_username_and_email(admin_client, owner, someone_else, term):
    mine = save_assessment(owner=owner)
    save_assessment(owner=someone_else)

    response = admin_client.get(CHANGELIST_URL, {"q": term})

    assert listed_ids(response) == [mine.pk]


def test_it_finds_an_assessment_by_its_exact_id(admin_client):
    wanted = save_assessment()
    save_assessment()

    response = admin_client.get(CHANGELIST_URL, {"q": f"  {wanted.pk}  "})
    partial = admin_client.get(CHANGELIST_URL, {"q": str(wanted.pk)[:8]})

    assert listed_ids(response) == [wanted.pk]
    assert listed_ids(partial) == []


def _changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST_URL)
    assert response.status_code == 200
    return len(queries)


def test_it_runs_as_many_queries_for_500_rows_as_for_one(admin_client):
    save_assessments(1, FLAGGED_ANSWERS)
    # The first request of a session may do one-off session work; measure the steady state.
    _changelist_queries(admin_client)
    one_row = _changelist_queries(admin_client)

    save_assessments(499, FLAGGED_ANSWERS)
    many_rows = _changelist_queries(admin_client)

    assert many_rows == one_row


def test_it_does_not_show_a_full_count_or_facets(admin_client):
    save_assessments(3)

    response = admin_client.get(CHANGELIST_URL, {"q": "nobody", "_facets": "1"})

    assert response.context_data["cl"].show_full_result_count is False
    assert response.context_data["cl"].full_result_count is None
    assert response.context_data["cl"].add_facets is False


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


def test_it_lists_what_nobody_sent_to_a_clinic(admin_client, clinic):
    from tests.support.queue import send

    unsent = save_assessment(FLAGGED_ANSWERS)
    sent = send(clinic, FLAGGED_ANSWERS).assessment

    response = admin_client.get(CHANGELIST_URL)

    assert set(listed_ids(response)) == {unsent.pk, sent.pk}


@pytest.mark.parametrize("who", ["clinic_staff", "other_clinic_staff"])
def test_the_list_does_not_exist_for_clinic_staff(client, request, who):
    save_assessment(FLAGGED_ANSWERS)
    client.force_login(request.getfixturevalue(who))

    assert client.get(CHANGELIST_URL).status_code == 404
    assert client.get(CHANGELIST_URL, {"q": "owner"}).status_code == 404
    assert client.post(CHANGELIST_URL, {"action": "export_csv"}).status_code == 404


@pytest.mark.parametrize("selected", [["not-a-uuid"], ["\x00"], ["1"]], ids=str)
def test_a_bad_selection_for_an_action_is_never_a_500(admin_client, selected):
    save_assessment()

    for action in ("mark_closed", "export_csv"):
        response = admin_client.post(
            CHANGELIST_URL, {"action": action, "_selected_action": selected}
        )
        assert response.status_code in (200, 302), (action, response.status_code)


@pytest.mark.parametrize(
    "params",
    [{"review_status__exact": "\x00"}, {"q": "\x00"}, {"rulebook_version": "\x00"}],
    ids=str,
)
def test_a_nul_byte_in_a_list_parameter_is_a_400(admin_client, params):
    assert admin_client.get(CHANGELIST_URL, params).status_code == 400
