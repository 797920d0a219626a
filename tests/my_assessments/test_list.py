"""'My assessments': the list, the trend and since last time (delete and export: beside this)."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments.rulebook import Disposition
from assessments.scoring import score
from tests.support.assessments import save_daily_assessments
from tests.support.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db

# One row of the list, however the template is indented.
ROW = re.compile(r'<tr>\s*<td data-label="Date"><a href="/results/')


def test_it_lists_newest_first_with_date_disposition_level_needle_and_version(owner_client, owner):
    older = take_assessment(
        owner_client, {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0", "pressure": "not_sure"}
    )
    newer = take_assessment(owner_client, {**SAFE_ANSWERS, "scalp_open_wounds": "yes"})
    html = owner_client.get("/my/assessments/").content.decode()
    assert html.index(str(newer.id)) < html.index(str(older.id))
    rows = re.findall(ROW.pattern + ".*?</tr>", html, re.S)
    assert "High risk, a reason to stop" in rows[0]
    assert Disposition.STOP.label in rows[0]
    assert "Moderate risk, 4 points" in rows[1] and "0.6" in rows[1]
    assert Disposition.CHANGE.label in rows[1]
    assert "2026.12" in rows[1]


def test_it_shows_20_a_page(owner_client, owner):
    save_daily_assessments(owner, 45)
    first = owner_client.get("/my/assessments/").content.decode()
    third = owner_client.get("/my/assessments/?page=3").content.decode()
    assert len(ROW.findall(first)) == 20
    assert len(ROW.findall(third)) == 5
    assert "Page 1 of 3" in first
    assert owner_client.get("/my/assessments/?page=nonsense").status_code == 200


def test_the_number_of_queries_does_not_grow_with_the_number_of_assessments(owner, someone_else):
    counts = []
    for user, count in [(owner, 1), (someone_else, 200)]:
        save_daily_assessments(user, count)
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
    table = html[html.index('<div class="visually-hidden">\n  <table>') :]
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


@pytest.mark.parametrize(
    "url",
    ["/my/assessments/", "/my/assessments/export.json", "/my/assessments/export.csv"],
)
def test_pages_with_health_data_are_not_cached(owner_client, url):
    take_assessment(owner_client)
    assert "no-store" in owner_client.get(url)["Cache-Control"]


def test_the_charts_table_never_gives_a_stop_as_points(owner_client, owner):
    take_assessment(owner_client, {**SAFE_ANSWERS, "needle_length": "over_1_5"})  # a stop, 0 points
    take_assessment(owner_client, {**SAFE_ANSWERS, "pressure": "not_sure"})  # 1 point
    html = owner_client.get("/my/assessments/").content.decode()
    table = html[html.index("<caption>Your assessments") :]
    cells = re.findall(r"<td>([^<]*)</td>", table[: table.index("</table>")])
    # Date, what (an assessment or a check of a session), points, risk.
    assert cells[2::4] == ["a reason to stop", "1"]


def test_the_compiled_list_reads_what_the_orm_reads(owner, someone_else):
    from assessments.models import Assessment
    from assessments.my_assessments import _listed, _listed_statement, _ListedRows

    save_daily_assessments(owner, 23)
    save_daily_assessments(someone_else, 3)
    # One without a needle answer: its cell reads None either way.
    unanswered = Assessment.objects.filter(owner=owner).first()
    unanswered.answers.pop("needle_length", None)
    unanswered.save(update_fields=["answers"])
    # Two at the same time: the id orders them, the same on every page.
    tied = Assessment.objects.filter(owner=owner).order_by("created_at")[:2]
    Assessment.objects.filter(pk__in=[a.pk for a in tied]).update(created_at=tied[0].created_at)
    assert _listed_statement(connection.alias) is not None  # the compiled statement is used
    rows = _ListedRows(owner.pk)
    for start, stop in ((0, 20), (20, 40), (20, 23), (40, 60), (5, 5)):
        assert rows[start:stop] == list(_listed(owner.pk)[start:stop])
    every = rows[0:20] + rows[20:40]
    assert [row["id"] for row in every] == list(_listed(owner.pk).values_list("id", flat=True))
    assert len(set(row["id"] for row in every)) == 23
    assert any(row["needle"] is None for row in every)
    assert {type(row["hard_stop"]) for row in every} == {bool}
    # Another person, with the statement already compiled: only their own rows.
    theirs = _ListedRows(someone_else.pk)[0:20]
    assert {row["id"] for row in theirs} == set(
        Assessment.objects.filter(owner=someone_else).values_list("id", flat=True)
    )
