"""The exports of a person's sessions: their own rows only, with codes, words and dates."""

import csv
import io
import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import rulebook
from tests.support import sessions as s

pytestmark = pytest.mark.django_db


@pytest.fixture
def sessions(owner, someone_else):
    s.save_base(owner, days_ago=5)
    session = s.take_and_log(owner, on=s.days_from_today(-4))
    checkin = s.take_checkin(session, 1, "shedding")
    unlogged = s.take_check(owner, reaction_now="yes")
    s.save_base(someone_else, days_ago=2)
    theirs = s.take_and_log(someone_else, on=s.days_from_today(-1))
    return {"session": session, "checkin": checkin, "unlogged": unlogged, "theirs": theirs}


def test_the_json_export_has_the_sessions_checks_and_checkins(owner_client, sessions):
    response = owner_client.get(reverse("roller_sessions:export_json"))
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    [session] = data["sessions"]
    assert session["id"] == str(sessions["session"].id)
    assert session["date"] == sessions["session"].date.isoformat()
    assert session["device_today_label"] == rulebook.DEVICE_TODAY.describe(
        sessions["session"].device_today
    )
    [checkin] = session["checkins"]
    assert checkin["recorded_reactions"] == sessions["checkin"].recorded
    assert checkin["recorded_reactions_in_words"]
    assert checkin["disposition_label"]
    assert rulebook.AFTER_SIGNS.text in checkin["answers_given_in_words"]
    [unlogged] = data["checks_without_a_session"]
    assert unlogged["disposition"] == rulebook.Disposition.URGENT
    assert str(sessions["theirs"].id) not in response.content.decode()


def test_the_csv_export_has_one_row_per_check(owner_client, sessions):
    response = owner_client.get(reverse("roller_sessions:export_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["kind"] for row in rows] == ["before", "checkin", "before"]
    assert rows[1]["session_id"] == str(sessions["session"].id)
    assert rows[2]["session_id"] == ""
    assert str(sessions["theirs"].id) not in response.content.decode()


def test_my_assessments_json_export_includes_the_sessions(owner_client, sessions):
    data = json.loads(owner_client.get(reverse("assessments:export_json")).content)
    assert [x["id"] for x in data["sessions"]] == [str(sessions["session"].id)]
    assert str(sessions["theirs"].id) not in json.dumps(data)


def _queries(client, url) -> int:
    client.get(url)  # the first request of a browser session saves it
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "url",
    [
        reverse("roller_sessions:export_json"),
        reverse("roller_sessions:export_csv"),
        reverse("assessments:export_json"),
        reverse("assessments:mine"),
        reverse("home"),
    ],
)
def test_the_query_count_does_not_grow_with_sessions(owner, someone_else, url):
    counts = []
    for person, count in ((owner, 1), (someone_else, 500)):
        s.many_sessions(person, count)
        client = Client()
        client.force_login(person)
        counts.append(_queries(client, url))
    assert counts[0] == counts[1], counts
