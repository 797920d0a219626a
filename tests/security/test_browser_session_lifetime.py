"""Sessions: 30 idle minutes for signed-in people, 12 hours at most for everyone."""

import time

import pytest
from django.test import Client

from tests.support.questionnaire import SAFE_ANSWERS, agree, answer_steps, step_url

pytestmark = pytest.mark.django_db

MINUTE = 60


def age_session(client: Client, *, started: int = 0, seen: int = 0) -> None:
    """Pretend the session started `started` and was last seen `seen` seconds ago."""
    session = client.session
    now = int(time.time())
    session["scalpsafe_started_at"] = now - started
    session["scalpsafe_seen_at"] = now - seen
    session.save()


@pytest.fixture
def signed_in(owner) -> Client:
    client = Client()
    client.force_login(owner)
    client.get("/")
    return client


def test_a_signed_in_person_idle_for_30_minutes_is_logged_out(signed_in):
    age_session(signed_in, started=40 * MINUTE, seen=31 * MINUTE)
    response = signed_in.get("/my/assessments/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_signed_in_person_active_within_30_minutes_stays(signed_in):
    age_session(signed_in, started=5 * 60 * MINUTE, seen=29 * MINUTE)
    assert signed_in.get("/my/assessments/").status_code == 200


def test_no_session_lives_longer_than_12_hours(signed_in):
    age_session(signed_in, started=12 * 60 * MINUTE + 1, seen=MINUTE)
    assert signed_in.get("/my/assessments/").status_code == 302


def test_a_questionnaire_in_progress_survives_within_the_window(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    age_session(client, started=11 * 60 * MINUTE, seen=2 * 60 * MINUTE)
    assert client.get("/assessment/")["Location"] == step_url("hair")


def test_a_questionnaire_older_than_12_hours_starts_again(client):
    agree(client)
    answer_steps(client, SAFE_ANSWERS, ["scalp"])
    age_session(client, started=12 * 60 * MINUTE + 1)
    assert client.get("/assessment/")["Location"] == "/assessment/before-you-start/"


def test_reading_a_page_does_not_rewrite_the_session_every_time(client):
    agree(client)
    client.get(step_url("scalp"))
    before = client.session["scalpsafe_seen_at"]
    from django.contrib.sessions.models import Session

    saved = Session.objects.get().expire_date
    client.get(step_url("scalp"))
    assert client.session["scalpsafe_seen_at"] == before
    assert Session.objects.get().expire_date == saved


def test_browsing_without_a_session_creates_none(client):
    from django.contrib.sessions.models import Session

    client.get("/")
    client.get("/assessment/before-you-start/")
    assert Session.objects.count() == 0


def test_a_signed_in_persons_questionnaire_survives_within_the_idle_window(signed_in):
    agree(signed_in)
    answer_steps(signed_in, SAFE_ANSWERS, ["scalp", "hair"])
    age_session(signed_in, started=3 * 60 * MINUTE, seen=29 * MINUTE)
    assert signed_in.get("/assessment/")["Location"] == step_url("health")
