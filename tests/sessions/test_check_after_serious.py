"""After an urgent or stop check or check-in of the base: "Before a session" says so first, not
only "Your assessment said: Go ahead with care", and "My sessions" gives no earliest next date."""

import pytest
from django.urls import reverse

from assessments.rulebook import Disposition
from tests.support import sessions as s

pytestmark = pytest.mark.django_db

NEW = reverse("roller_sessions:check_new")


def test_it_shows_an_urgent_check_in_before_the_questions(owner, owner_client):
    s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    urgent = s.take_checkin(session, 3, "infection_signs")
    assert urgent.disposition == Disposition.URGENT
    page = owner_client.get(NEW).text
    notice = f'Your check-in of <a href="{urgent.get_absolute_url()}">'
    assert notice in page
    assert Disposition.URGENT.headline in page
    assert page.index(notice) < page.index('name="submission_id"')


def test_it_says_nothing_more_when_the_newest_check_was_calm(owner, owner_client):
    s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    s.take_checkin(session, 1, "shedding", days_after=1)
    page = owner_client.get(NEW).text
    assert "check-serious-since" not in page
    assert Disposition.URGENT.headline not in page


def test_a_later_check_carrying_the_reaction_is_shown_instead(owner, owner_client):
    s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-8))
    s.take_checkin(session, 1, "growing_lump")
    later = s.take_check(owner, on=s.days_from_today(-1))
    assert later.disposition == Disposition.STOP
    page = owner_client.get(NEW).text
    assert f'Your check of <a href="{later.get_absolute_url()}">' in page
    assert Disposition.STOP.headline.replace("'", "&#x27;") in page


def test_a_new_full_assessment_starts_afresh(owner, owner_client):
    s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    s.take_checkin(session, 1, "infection_signs")
    s.save_base(owner, days_ago=0)
    assert "check-serious-since" not in owner_client.get(NEW).text


def test_my_sessions_gives_no_earliest_date_after_a_stop_check_in(owner, owner_client):
    s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-7))
    earliest = session.before_check.next_earliest
    page = owner_client.get(reverse("roller_sessions:mine")).text
    assert f"{earliest.day} {earliest:%B %Y} <span" in page
    assert "(advice, not a lock)" in page
    stop = s.take_checkin(session, 7, "track_marks")
    assert stop.disposition == Disposition.STOP
    page = owner_client.get(reverse("roller_sessions:mine")).text
    assert "Not until a professional has seen you" in page
    assert f'<a href="{stop.get_absolute_url()}">check-in of' in page
    assert "(advice, not a lock)" not in page
