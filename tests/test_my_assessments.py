"""'My assessments': the list, the trend, since last time, delete and export."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessments.models import Assessment
from assessments.scoring import score
from assessments.session import PRIVACY_NOTICE_VERSION
from tests.admin_support import build_assessment
from tests.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db


def make_assessments(user, count: int, answers: dict = SAFE_ANSWERS) -> list[Assessment]:
    """Saved assessments, one a day, oldest first (fast: one bulk insert)."""
    snapshot = score(answers).to_dict()
    start = timezone.now() - timedelta(days=count)
    return Assessment.objects.bulk_create(
        build_assessment(owner=user, created_at=start + timedelta(days=i), snapshot=snapshot)
        for i in range(count)
    )


@pytest.fixture
def owner_client(owner) -> Client:
    client = Client()
    client.force_login(owner)
    return client


def test_it_lists_newest_first_with_date_level_flag_needle_and_version(owner_client, owner):
    older = take_assessment(
        owner_client, {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0", "pressure": "not_sure"}
    )
    newer = take_assessment(owner_client, {**SAFE_ANSWERS, "scalp_open_wounds": "yes"})
    html = owner_client.get("/my/assessments/").content.decode()
    assert html.index(str(newer.id)) < html.index(str(older.id))
    rows = re.findall(r"<tr>\s*<td><a href.*?</tr>", html, re.S)
    assert "High risk (stop)" in rows[0] and "<strong>Yes</strong>" in rows[0]
    assert "Moderate risk" in rows[1] and "0.6" in rows[1]
    assert "2026.12" in rows[1]


def test_it_shows_20_a_page(owner_client, owner):
    make_assessments(owner, 45)
    first = owner_client.get("/my/assessments/").content.decode()
    third = owner_client.get("/my/assessments/?page=3").content.decode()
    assert first.count('<tr>\n          <td><a href="/results/') == 20
    assert third.count('<tr>\n          <td><a href="/results/') == 5
    assert "Page 1 of 3" in first
    assert owner_client.get("/my/assessments/?page=nonsense").status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_number_of_assessments(owner, someone_else):
    counts = []
    for user, count in [(owner, 1), (someone_else, 200)]:
        make_assessments(user, count)
        client = Client()
        client.force_login(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/my/assessments/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_the_trend_appears_from_two_assessments(owner_client, owner):
    take_assessment(owner_client)
    assert "<svg" not in owner_client.get("/my/assessments/").content.decode()
    take_assessment(owner_client, {**SAFE_ANSWERS, "frequency": "daily"})
    html = owner_client.get("/my/assessments/").content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert '<title id="trend-svg-title">Points over time</title>' in svg
    assert "<desc" in svg and "the latest scored 4 points" in svg
    assert svg.count("<circle") == 2
    assert all(f"band-{level}" in svg for level in ["low", "moderate", "high"])
    assert "style=" not in svg, "colours come from the stylesheet (strict CSP)"
    table = html[html.index('<table class="visually-hidden">') :]
    assert "<td>4</td>" in table and "<td>0</td>" in table


def test_since_last_time_names_the_factors_that_appeared_and_went_away(owner_client):
    take_assessment(owner_client, {**SAFE_ANSWERS, "pressure": "hard_bleeding"})
    take_assessment(owner_client, {**SAFE_ANSWERS, "frequency": "daily"})
    html = owner_client.get("/my/assessments/").content.decode()
    appeared = html[html.index('class="since-appeared"') : html.index('class="since-went-away"')]
    went_away = html[html.index('class="since-went-away"') :]
    daily = score({**SAFE_ANSWERS, "frequency": "daily"}).factors[0].title
    hard = score({**SAFE_ANSWERS, "pressure": "hard_bleeding"}).factors[0].title
    assert daily in appeared and hard not in appeared
    assert hard in went_away.split("</ul>")[0]


def test_deleting_one_asks_first_then_deletes_on_post(owner_client):
    keep = take_assessment(owner_client)
    doomed = take_assessment(owner_client)
    url = f"/results/{doomed.id}/delete/"
    assert "Delete this assessment?" in owner_client.get(url).content.decode()
    assert Assessment.objects.filter(pk=doomed.pk).exists()
    response = owner_client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == "/my/assessments/"
    assert "was deleted" in response.content.decode()
    assert list(Assessment.objects.values_list("id", flat=True)) == [keep.id]


def test_an_anonymous_person_can_delete_their_own_result(client):
    assessment = take_assessment(client)
    client.post(f"/results/{assessment.id}/delete/")
    assert not Assessment.objects.exists()


def test_the_json_export_has_all_of_ones_own_assessments_and_nobody_elses(
    owner_client, owner, someone_else
):
    mine = take_assessment(owner_client, {**SAFE_ANSWERS, "frequency": "daily"})
    make_assessments(someone_else, 3)
    response = owner_client.get("/my/assessments/export.json")
    assert response["Content-Type"].startswith("application/json")
    assert "attachment;" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert [a["id"] for a in data["assessments"]] == [str(mine.id)]
    exported = data["assessments"][0]
    assert exported["answers"]["frequency"] == "daily"
    assert exported["factors"][0]["rule_id"] == "R-DAILY"
    assert exported["consent"]["notice_version"] == PRIVACY_NOTICE_VERSION


def test_the_csv_export_has_codes_and_labels_and_neutralises_formulas(owner_client, someone_else):
    take_assessment(owner_client, {**SAFE_ANSWERS, "notes": '=HYPERLINK("http://x")'})
    take_assessment(owner_client, {**SAFE_ANSWERS, "notes": "-2+3"})
    make_assessments(someone_else, 2)
    response = owner_client.get("/my/assessments/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 2
    assert rows[0]["needle_length"] == "0_3_to_0_5"
    assert rows[0]["needle_length (label)"] == "0.3\u20130.5 mm"
    assert {row["notes"] for row in rows} == {'\'=HYPERLINK("http://x")', "'-2+3"}


@pytest.mark.parametrize(
    "url",
    ["/my/assessments/", "/my/assessments/export.json", "/my/assessments/export.csv"],
)
def test_pages_with_health_data_are_not_cached(owner_client, url):
    take_assessment(owner_client)
    assert "no-store" in owner_client.get(url)["Cache-Control"]
