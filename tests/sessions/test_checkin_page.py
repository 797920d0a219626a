"""Check-ins after a session: offered when due, their result page, and not when not due."""

import datetime
import re

import pytest
from django.urls import reverse

from assessments.rulebook import Disposition
from roller_sessions.models import Check
from tests.support import sessions as s

pytestmark = pytest.mark.django_db


def _url(session, day):
    return reverse("roller_sessions:checkin", args=[session.id, day])


def _submission(page) -> str:
    return re.search(r'name="submission_id" value="([0-9a-f-]{36})"', page.text).group(1)


def _session_days_ago(owner, days):
    s.save_base(owner, days_ago=days + 1)
    return s.take_and_log(owner, on=s.days_from_today(-days))


def test_it_offers_the_day_1_checkin_and_shows_its_result(owner, owner_client):
    session = _session_days_ago(owner, 1)
    page = owner_client.get(_url(session, 1))
    assert page.status_code == 200
    assert "Since the session, have you noticed any of these?" in page.text
    posted = owner_client.post(
        _url(session, 1), {"after_signs": ["none"], "submission_id": _submission(page)}
    )
    assert posted.status_code == 302
    result = owner_client.get(posted["Location"]).text
    date = session.date
    assert f"Check-in, 1 day after your session of {date.day} {date:%B %Y}" in result
    assert Disposition.GO_AHEAD.headline in result


def test_an_urgent_checkin_says_so_first_and_what_it_recorded(owner, owner_client):
    session = _session_days_ago(owner, 3)
    page = owner_client.get(_url(session, 3))
    posted = owner_client.post(
        _url(session, 3),
        {"after_signs": ["infection_signs", "shedding"], "submission_id": _submission(page)},
    )
    result = owner_client.get(posted["Location"]).text
    assert result.index(Disposition.URGENT.headline) < result.index("What this check-in recorded")
    assert "Kept for your later checks" in result
    assert "Log this session</button>" not in result


def test_a_double_post_saves_one_checkin(owner, owner_client):
    session = _session_days_ago(owner, 1)
    data = {
        "after_signs": ["none"],
        "submission_id": _submission(owner_client.get(_url(session, 1))),
    }
    first = owner_client.post(_url(session, 1), data)
    second = owner_client.post(_url(session, 1), data)
    assert first["Location"] == second["Location"]
    assert Check.objects.filter(kind=Check.Kind.CHECKIN).count() == 1


@pytest.mark.parametrize("day", [0, 2, 3, 7, 99999999999])
def test_a_checkin_not_due_is_a_clear_404(owner, owner_client, day):
    session = _session_days_ago(owner, 1)
    for method in (owner_client.get, owner_client.post):
        page = method(_url(session, day))
        assert page.status_code == 404
    assert not Check.objects.filter(kind=Check.Kind.CHECKIN).exists()


def test_a_taken_checkin_is_not_offered_again(owner, owner_client):
    session = _session_days_ago(owner, 1)
    s.take_checkin(session, 1)
    page = owner_client.get(_url(session, 1))
    assert page.status_code == 404
    assert "No check-in due" in page.text


def test_a_late_checkin_counts_the_days_passed(owner, owner_client):
    session = _session_days_ago(owner, 5)
    page = owner_client.get(_url(session, 3))
    assert "5 days ago" in page.text
    posted = owner_client.post(
        _url(session, 3), {"after_signs": ["none"], "submission_id": _submission(page)}
    )
    check = Check.objects.get(kind=Check.Kind.CHECKIN)
    assert check.days_after == 5
    assert "Check-in, 5 days after" in owner_client.get(posted["Location"]).text


def test_an_empty_or_mixed_answer_is_a_form_error(owner, owner_client):
    session = _session_days_ago(owner, 1)
    submission = _submission(owner_client.get(_url(session, 1)))
    empty = owner_client.post(_url(session, 1), {"submission_id": submission})
    assert empty.status_code == 200 and "Tick at least one answer" in empty.text
    mixed = owner_client.post(
        _url(session, 1), {"after_signs": ["none", "shedding"], "submission_id": submission}
    )
    assert mixed.status_code == 200 and "can\u2019t be combined" in mixed.text
    assert submission in mixed.text, "the corrected form still saves once"
    assert not Check.objects.filter(kind=Check.Kind.CHECKIN).exists()
    assert session.date < datetime.date.today() + datetime.timedelta(days=1)


def test_redness_before_day_7_says_why_nothing_is_kept(owner, owner_client):
    s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    early = s.take_checkin(session, 3, "redness_lasting")
    assert early.recorded == []
    page = owner_client.get(early.get_absolute_url()).text
    assert "Some redness or swelling is expected in the first 7 days" in page


def test_redness_at_day_7_is_kept_without_the_note(owner, owner_client):
    s.save_base(owner, days_ago=10)
    session = s.take_and_log(owner, on=s.days_from_today(-7))
    late = s.take_checkin(session, 7, "redness_lasting")
    assert late.recorded == ["redness_over_7_days"]
    page = owner_client.get(late.get_absolute_url()).text
    assert "is expected in the first" not in page
