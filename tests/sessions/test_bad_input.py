"""Fuzzed fields and URL parameters of the session pages: clear errors or 404, never a 500."""

import uuid

import pytest
from django.urls import reverse

from roller_sessions.models import Check, ConsultConfirmation, Session
from tests.support import sessions as s

pytestmark = pytest.mark.django_db

NEW = reverse("roller_sessions:check_new")
HUGE = "x" * 100_000
BAD_VALUES = [HUGE, "\x00", "none\x00", "unknown_code", "", " ", "0", "-1", "9" * 40, "é✓"]


@pytest.fixture
def client_with_base(owner, owner_client):
    s.save_base(owner, days_ago=3)
    return owner_client


def _error_page(response) -> None:
    """A form error page: shown again (200, as the questionnaire's), errors summarised first."""
    assert response.status_code == 200, response.status_code
    body = response.content.decode()
    assert "<title>Error: " in body
    assert 'id="error-summary"' in body


@pytest.mark.parametrize("field", ["scalp_today", "reaction_now", "device_today"])
@pytest.mark.parametrize("value", BAD_VALUES)
def test_a_bad_check_answer_is_a_form_error(client_with_base, field, value):
    data = {**s.CALM_CHECK, "submission_id": str(uuid.uuid4()), field: value}
    _error_page(client_with_base.post(NEW, data))
    assert not Check.objects.exists()


@pytest.mark.parametrize("field", ["scalp_today", "reaction_now", "device_today"])
def test_a_missing_answer_is_a_form_error(client_with_base, field):
    data = {**s.CALM_CHECK, "submission_id": str(uuid.uuid4())}
    del data[field]
    _error_page(client_with_base.post(NEW, data))


@pytest.mark.parametrize("field", ["reaction_now", "device_today"])
def test_two_answers_where_one_is_expected_is_a_form_error(client_with_base, field):
    data = {**s.CALM_CHECK, "submission_id": str(uuid.uuid4()), field: ["no", "yes"]}
    if field == "device_today":
        data[field] = ["same_disinfected", "new_device"]
    _error_page(client_with_base.post(NEW, data))


@pytest.mark.parametrize(
    "submission", [None, "", "not-a-uuid", HUGE, "\x00", str(uuid.uuid4())[:-1]]
)
def test_a_bad_submission_id_is_a_form_error(client_with_base, submission):
    data = {**s.CALM_CHECK}
    if submission is not None:
        data["submission_id"] = submission
    page = client_with_base.post(NEW, data)
    _error_page(page)
    assert "Please answer again" in page.content.decode()
    assert not Check.objects.exists()


def test_an_empty_or_binary_body_is_a_form_error(client_with_base):
    _error_page(client_with_base.post(NEW, {}))
    _error_page(
        client_with_base.post(
            NEW, data=b"\xff\xfe\x00garbage", content_type="application/x-www-form-urlencoded"
        )
    )


@pytest.mark.parametrize(
    "date", [None, "", "tomorrow", HUGE, "\x00", "2026-02-30", "99999-01-01", "2026-12-01T00"]
)
def test_a_bad_log_date_is_a_clear_error(owner, client_with_base, date):
    check = s.take_check(owner)
    data = {} if date is None else {"date": date}
    page = client_with_base.post(reverse("roller_sessions:session_log", args=[check.id]), data)
    assert page.status_code == 200
    assert "error-summary" in page.content.decode()
    assert not Session.objects.exists()


@pytest.mark.parametrize("value", [None, "", "off", "0", "false", HUGE, "\x00"])
def test_a_bad_confirmation_records_nothing(owner, owner_client, value):
    s.save_base(owner, needle_length="1_1_to_1_5")
    check = s.take_check(owner)
    data = {} if value is None else {"confirm": value}
    page = owner_client.post(reverse("roller_sessions:consult_confirm", args=[check.id]), data)
    assert page.status_code == 200
    assert 'id="error-summary"' in page.content.decode()
    assert not ConsultConfirmation.objects.exists()


def test_confirming_a_check_that_is_not_consult_is_a_clear_error(owner, client_with_base):
    check = s.take_check(owner)
    url = reverse("roller_sessions:consult_confirm", args=[check.id])
    page = client_with_base.post(url, {"confirm": "on"})
    assert page.status_code == 200
    assert "Only a check that says to talk to a professional" in page.content.decode()


@pytest.mark.parametrize("value", [*BAD_VALUES, ["none", "none"], ["shedding", "unknown"]])
def test_a_bad_checkin_answer_is_a_form_error(owner, owner_client, value):
    s.save_base(owner, days_ago=3)
    session = s.take_and_log(owner, on=s.days_from_today(-1))
    url = reverse("roller_sessions:checkin", args=[session.id, 1])
    data = {"after_signs": value, "submission_id": str(uuid.uuid4())}
    page = owner_client.post(url, data)
    _error_page(page)
    assert not Check.objects.filter(kind=Check.Kind.CHECKIN).exists()


@pytest.mark.parametrize(
    "path",
    [
        "/my/sessions/checks/not-a-uuid/",
        "/my/sessions/checks/00000000-0000-0000-0000-000000000000/",
        "/my/sessions/checks/00000000-0000-0000-0000-000000000000/log/",
        "/my/sessions/00000000-0000-0000-0000-000000000000/",
        "/my/sessions/00000000-0000-0000-0000-000000000000/check-in/1/",
        "/my/sessions/00000000-0000-0000-0000-000000000000/check-in/-1/",
        "/my/sessions/00000000-0000-0000-0000-000000000000/check-in/99999999999999999999/",
        "/my/sessions/x%00/delete/",
    ],
)
def test_a_bad_url_is_a_404(owner_client, path):
    for method in ("get", "post"):
        assert getattr(owner_client, method)(path).status_code == 404


@pytest.mark.parametrize("page", ["0", "-1", "x", HUGE, "99999999999", "\x00"])
def test_a_bad_page_number_is_not_an_error(owner, owner_client, page):
    response = owner_client.get(reverse("roller_sessions:mine"), {"page": page})
    assert response.status_code == 200
