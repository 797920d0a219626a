"""Security events are structured log lines; never a password or an answer in any log."""

import json
import logging

import pytest
from django.test import Client

from tests.support.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db

SECRET_PASSWORD = "wrong-but-secret-passphrase"
PRIVATE_NOTE = "my-private-note-about-my-scalp"


def events(caplog) -> list[dict]:
    return [
        json.loads(record.getMessage())
        for record in caplog.records
        if record.name == "scalpsafe.security"
    ]


@pytest.fixture(autouse=True)
def capture(caplog):
    caplog.set_level(logging.DEBUG)


def test_login_success_failure_and_logout_are_logged(client, owner, caplog):
    client.post("/accounts/login/", {"login": "owner", "password": SECRET_PASSWORD})
    client.post("/accounts/login/", {"login": "owner", "password": "owner-password-1234"})
    client.post("/accounts/logout/")
    logged = events(caplog)
    assert [e["event"] for e in logged] == ["login_failed", "login", "logout"]
    assert logged[0]["username"] == "owner"
    assert {"at", "ip", "path"} <= set(logged[0])
    assert SECRET_PASSWORD not in caplog.text


def test_a_lockout_is_logged(client, owner, caplog):
    for _ in range(6):
        client.post("/accounts/login/", {"login": "owner", "password": SECRET_PASSWORD})
    assert "lockout" in [e["event"] for e in events(caplog)]
    assert SECRET_PASSWORD not in caplog.text


def test_a_csrf_failure_is_logged(caplog):
    Client(enforce_csrf_checks=True).post("/accounts/login/", {"login": "x"})
    assert [e["event"] for e in events(caplog)] == ["csrf_failure"]


@pytest.mark.parametrize("who", ["no session", "another person's session", "someone signed in"])
def test_a_404_on_an_assessment_id_is_logged_once(who, client, someone_else, caplog):
    # The result page reads a visitor with a session or an account in one statement with its
    # sharing (assessments/access.get_result_for), and one without either through the ORM.
    assessment = take_assessment(Client())
    if who == "another person's session":
        take_assessment(client)
    elif who == "someone signed in":
        client.force_login(someone_else)
    caplog.clear()
    assert client.get(assessment.get_absolute_url()).status_code == 404
    logged = [e for e in events(caplog) if e["event"] == "assessment_not_found"]
    assert [e["assessment_id"] for e in logged] == [str(assessment.id)]


def test_no_answer_reaches_any_log(client, caplog):
    take_assessment(client, {**SAFE_ANSWERS, "notes": PRIVATE_NOTE, "frequency": "daily"})
    Client().get("/results/00000000-0000-0000-0000-000000000000/")
    assert PRIVATE_NOTE not in caplog.text
    assert "frequency" not in caplog.text and "daily" not in caplog.text


def test_a_password_typed_as_the_username_is_not_logged(client, owner, caplog):
    client.post("/accounts/login/", {"login": SECRET_PASSWORD, "password": "x"})
    assert [e["username"] for e in events(caplog)] == ["(no such user)"]
    assert SECRET_PASSWORD not in caplog.text
