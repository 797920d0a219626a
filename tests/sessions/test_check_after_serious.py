"""The check before a session, after an urgent or stop check-in of the same base: the form
page says so first, not only "Your assessment said: Go ahead with care"."""

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
