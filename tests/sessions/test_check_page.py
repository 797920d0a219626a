"""The check before a session: its form page, the refusals, and its result page."""

import re

import pytest
from django.urls import reverse

from assessments import rulebook
from assessments.rulebook import Disposition
from roller_sessions.models import Check, ConsultConfirmation, Session
from tests.support import sessions as s

pytestmark = pytest.mark.django_db

NEW = reverse("roller_sessions:check_new")


def _submission(page) -> str:
    return re.search(r'name="submission_id" value="([0-9a-f-]{36})"', page.text).group(1)


def _post(client, submission_id, **given):
    data = {**s.CALM_CHECK, **given, "submission_id": submission_id}
    return client.post(NEW, data)


def test_it_shows_the_base_and_the_three_questions(owner, owner_client):
    s.save_base(owner, days_ago=3)
    page = owner_client.get(NEW)
    assert page.status_code == 200
    for question in rulebook.CHECK_QUESTIONS:
        assert question.text in page.text
    assert Disposition.GO_AHEAD.label in page.text
    assert "another type or needle length" in page.text


def test_it_sends_someone_without_an_assessment_to_the_questionnaire(owner_client):
    page = owner_client.get(NEW)
    assert "You have no assessment yet" in page.text
    assert reverse("assessments:consent") in page.text
    assert 'name="submission_id"' not in page.text


def test_it_asks_for_the_full_questionnaire_after_90_days(owner, owner_client):
    s.save_base(owner, days_ago=rulebook.BASE_MAX_AGE_DAYS + 1)
    page = owner_client.get(NEW)
    assert f"more than {rulebook.BASE_MAX_AGE_DAYS} days old" in page.text
    assert 'name="submission_id"' not in page.text
    assert owner_client.post(NEW, {**s.CALM_CHECK}).status_code == 200
    assert not Check.objects.exists()


def test_it_repeats_a_stop_base_instead_of_a_form(owner, owner_client):
    base = s.save_base(owner, reaction_now="yes")
    assert base.disposition == Disposition.URGENT
    page = owner_client.get(NEW)
    assert Disposition.URGENT.headline in page.text
    assert 'name="submission_id"' not in page.text


def test_a_calm_check_reads_today_with_the_disposition_first_and_logs(owner, owner_client):
    s.save_base(owner)
    page = _post(owner_client, _submission(owner_client.get(NEW)))
    assert page.status_code == 302
    result = owner_client.get(page["Location"])
    text = result.text
    assert f"Today, {s.today().day} {s.today():%B %Y}" in text
    assert text.index(Disposition.GO_AHEAD.headline) < text.index("Log this session")
    assert "no-store" in result["Cache-Control"] or "max-age=0" in result["Cache-Control"]
    check = Check.objects.get()
    logged = owner_client.post(
        reverse("roller_sessions:session_log", args=[check.id]), {"date": s.today().isoformat()}
    )
    assert logged.status_code == 302
    after = owner_client.get(logged["Location"]).text
    assert "Session logged on" in after
    assert f"{check.next_earliest.day} {check.next_earliest:%B %Y}" in after
    assert "Log this session</button>" not in after


def test_a_double_post_saves_one_check_and_logs_one_session(owner, owner_client):
    s.save_base(owner)
    submission = _submission(owner_client.get(NEW))
    first, second = _post(owner_client, submission), _post(owner_client, submission)
    assert first["Location"] == second["Location"]
    check = Check.objects.get()
    url = reverse("roller_sessions:session_log", args=[check.id])
    for _ in range(2):
        owner_client.post(url, {"date": s.today().isoformat()})
    assert Session.objects.count() == 1


def test_a_future_or_other_date_is_a_clear_error(owner, owner_client):
    s.save_base(owner)
    check = s.take_check(owner)
    url = reverse("roller_sessions:session_log", args=[check.id])
    future = owner_client.post(url, {"date": s.days_from_today(1).isoformat()})
    assert future.status_code == 200
    assert "cannot be logged for a date in the future" in future.text
    assert "<title>Error: " in future.text
    earlier = owner_client.post(url, {"date": s.days_from_today(-1).isoformat()})
    assert "on the day of its check" in earlier.text
    assert not Session.objects.exists()


def test_an_urgent_check_says_so_first_and_offers_no_log(owner, owner_client):
    s.save_base(owner)
    check = s.take_check(owner, reaction_now="yes")
    page = owner_client.get(check.get_absolute_url()).text
    assert page.index(Disposition.URGENT.headline) < page.index("No session today")
    assert "Log this session</button>" not in page
    url = reverse("roller_sessions:session_log", args=[check.id])
    refused = owner_client.post(url, {"date": s.today().isoformat()})
    assert refused.status_code == 200
    assert "does not allow a session today" in refused.text
    assert not Session.objects.exists()


def test_a_consult_check_asks_for_the_confirmation_then_offers_the_log(owner, owner_client):
    s.save_base(owner, needle_length="1_1_to_1_5")
    check = s.take_check(owner)
    assert check.disposition == Disposition.CONSULT
    page = owner_client.get(check.get_absolute_url()).text
    assert "I have talked to a professional about these reasons" in page
    assert "Log this session</button>" not in page
    confirm = reverse("roller_sessions:consult_confirm", args=[check.id])
    unticked = owner_client.post(confirm, {})
    assert unticked.status_code == 200 and "Tick the box" in unticked.text
    assert not ConsultConfirmation.objects.exists()
    owner_client.post(confirm, {"confirm": "on"})
    confirmation = ConsultConfirmation.objects.get()
    assert confirmation.confirmed_on == s.today()
    page = owner_client.get(check.get_absolute_url()).text
    assert "Log this session</button>" in page
    told = f"On {s.today().day} {s.today():%B %Y} you told us you had talked to a professional"
    assert f"{told} about these reasons" in page


def test_a_frequency_change_reads_wait_until_the_earliest_date(owner, owner_client):
    s.save_base(owner, days_ago=5)
    first = s.take_and_log(owner, on=s.days_from_today(-1))
    check = s.take_check(owner)
    fired = {f["rule_id"] for f in check.lower_risk}
    assert fired & rulebook.FREQUENCY_RULE_IDS, "one day after a session, frequency fires"
    earliest = first.before_check.next_earliest
    page = owner_client.get(check.get_absolute_url()).text
    assert f"Wait until {earliest.day} {earliest:%B %Y}" in page
    # The log box says so too, rather than "When you have had your session today".
    assert f"Waiting until {earliest.day} {earliest:%B %Y} would lower your risk" in page
    assert "When you have had your session today" not in page
    assert "Log this session</button>" in page


def test_without_a_frequency_change_the_log_box_just_invites_logging(owner, owner_client):
    s.save_base(owner, days_ago=10)
    s.take_and_log(owner, on=s.days_from_today(-7))
    page = owner_client.get(s.take_check(owner).get_absolute_url()).text
    assert "When you have had your session today, log it" in page
    assert "would lower your risk (see below)" not in page


def test_it_asks_for_the_full_questionnaire_after_a_rulebook_change(owner, owner_client):
    base = s.save_base(owner, days_ago=1)
    type(base).objects.filter(pk=base.pk).update(rulebook_version="2026.11")
    page = owner_client.get(NEW).text
    assert "from an older rulebook" in page
    assert reverse("assessments:consent") in page
    assert 'name="submission_id"' not in page


def test_the_consult_reasons_are_in_words(owner, owner_client):
    s.save_base(owner, needle_length="1_1_to_1_5")
    check = s.take_check(owner)
    page = owner_client.get(check.get_absolute_url()).text
    reasons = page[page.index('class="confirm-reasons"') :]
    reasons = reasons[: reasons.index("</ul>")]
    titles = [f["title"] for f in check.factors if f["consult"]]
    assert titles and all(title in reasons for title in titles)
    assert "R-" not in reasons, "rule ids are for staff"


def test_a_check_of_an_earlier_day_is_not_offered_for_logging(owner, owner_client):
    s.save_base(owner, days_ago=3)
    check = s.take_check(owner, on=s.days_from_today(-1))
    page = owner_client.get(check.get_absolute_url()).text
    assert "Check before a session, " in page
    assert "Log this session</button>" not in page
    assert "Take a new check before your next session" in page


def test_a_check_taken_before_a_newer_assessment_is_not_offered_for_logging(owner, owner_client):
    s.save_base(owner, days_ago=3)
    check = s.take_check(owner)
    s.save_base(owner)
    page = owner_client.get(check.get_absolute_url()).text
    assert "Log this session</button>" not in page
    assert "it can no longer be logged" in page
