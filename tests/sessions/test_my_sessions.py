""" "My sessions": the timeline, the device's uses, the next earliest date and what is due."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.rulebook import Disposition
from roller_sessions import services
from tests.support import sessions as s

pytestmark = pytest.mark.django_db

MINE = reverse("roller_sessions:mine")


def test_it_lists_sessions_checks_and_checkins_newest_first(owner, owner_client):
    s.save_base(owner, days_ago=20, device_condition="reused_disinfected", device_uses=4)
    older = s.take_and_log(owner, on=s.days_from_today(-14))
    s.take_checkin(older, 1)
    unlogged = s.take_check(owner, on=s.days_from_today(-7), reaction_now="yes")
    newer = s.take_and_log(owner, on=s.days_from_today(-3))
    page = owner_client.get(MINE).text
    newest_first = [newer.before_check, unlogged, older.before_check]
    places = [page.index(check.get_absolute_url()) for check in newest_first]
    assert places == sorted(places)
    assert Disposition.URGENT.label in page
    assert "Check-in, day 1" in page
    assert '<dd class="device-uses">6</dd>' in page
    earliest = newer.before_check.next_earliest
    assert f"{earliest.day} {earliest:%B %Y}" in page
    assert reverse("roller_sessions:checkin", args=[newer.id, 3]) in page, "day 3 is due"
    assert reverse("roller_sessions:check_new") in page
    assert reverse("roller_sessions:export_json") in page
    assert reverse("roller_sessions:reminders") in page


def test_it_shows_nobody_elses_sessions(owner, owner_client, someone_else):
    s.save_base(someone_else, days_ago=3)
    theirs = s.take_and_log(someone_else, on=s.days_from_today(-1))
    page = owner_client.get(MINE).text
    assert theirs.get_absolute_url() not in page
    assert "No checks yet" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_its_query_count_does_not_grow_with_sessions(owner, owner_client, someone_else):
    s.many_sessions(owner, 1)
    one = _queries(owner_client, MINE)
    other = Client()
    other.force_login(someone_else)
    s.many_sessions(someone_else, 500)
    assert _queries(other, MINE) == one
    page = other.get(MINE).text
    assert "Page 1 of 25" in page, "20 a page, newest first"
    assert "Page 25 of 25" in other.get(MINE, {"page": 25}).text
    assert services.device_uses_so_far(services.base_for(someone_else)) == 500


def test_a_sessions_pages_keep_their_query_count_with_many_sessions(owner, someone_else):
    counts = []
    for person, count in ((owner, 1), (someone_else, 500)):
        s.many_sessions(person, count)
        latest = services.checkins_due(person)[-1].session
        client = Client()
        client.force_login(person)
        urls = [
            latest.get_absolute_url(),
            latest.before_check.get_absolute_url(),
            reverse("roller_sessions:checkin", args=[latest.id, 1]),
        ]
        counts.append([_queries(client, url) for url in urls])
    assert counts[0] == counts[1], counts
