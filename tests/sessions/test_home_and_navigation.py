"""The home page offers a due check-in and the check before a session; the navigation links
"My sessions" for signed-in people."""

import pytest
from django.urls import reverse

from tests.support import sessions as s

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def test_it_offers_a_due_checkin(owner, owner_client):
    s.save_base(owner, days_ago=3)
    session = s.take_and_log(owner, on=s.days_from_today(-1))
    page = owner_client.get(HOME).text
    assert "A check-in is due for your session of" in page
    assert reverse("roller_sessions:checkin", args=[session.id, 1]) in page
    assert reverse("roller_sessions:check_new") in page


def test_it_offers_no_checkin_once_taken(owner, owner_client):
    s.save_base(owner, days_ago=3)
    session = s.take_and_log(owner, on=s.days_from_today(-1))
    s.take_checkin(session, 1)
    assert "A check-in is due" not in owner_client.get(HOME).text


def test_it_offers_no_check_without_a_base(owner_client):
    page = owner_client.get(HOME).text
    assert reverse("roller_sessions:check_new") not in page
    assert reverse("roller_sessions:mine") in page, "in the navigation"


def test_anonymous_visitors_see_no_session_links(client):
    page = client.get(HOME).text
    assert reverse("roller_sessions:mine") not in page
    assert "check-in" not in page.lower()


def test_my_sessions_is_marked_as_the_current_page(owner_client):
    page = owner_client.get(reverse("roller_sessions:mine")).text
    assert f'href="{reverse("roller_sessions:mine")}" aria-current="page"' in page
    assert f'href="{reverse("assessments:mine")}" aria-current="page"' not in page


def test_it_lists_the_newest_three_due_checkins_and_counts_the_rest(owner, owner_client):
    s.save_base(owner, days_ago=10)
    sessions = [s.take_and_log(owner, on=s.days_from_today(-days)) for days in (8, 6, 4, 2)]
    page = owner_client.get(HOME).text
    assert page.count("A check-in is due for your session of") == 3
    assert reverse("roller_sessions:checkin", args=[sessions[0].id, 7]) not in page
    assert reverse("roller_sessions:checkin", args=[sessions[-1].id, 1]) in page
    assert "1 more check-in due: see My sessions" in page
