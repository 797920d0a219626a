"""Every session page is its owner's: anyone else gets 404 for every method, before anything
is read or written; an anonymous visitor is sent to log in."""

import pytest
from django.test import Client
from django.urls import reverse

from roller_sessions.models import Check, ConsultConfirmation, Session
from tests.support import sessions as s
from tests.support.queue import send

pytestmark = pytest.mark.django_db


@pytest.fixture
def owned(owner):
    """The owner's base, a logged session three days ago with its day 1 check-in, and a
    consult check."""
    s.save_base(owner, days_ago=4)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    checkin = s.take_checkin(session, 1)
    return {"session": session, "check": session.before_check, "checkin": checkin}


def _urls(owned) -> list[str]:
    session, check = owned["session"], owned["check"]
    return [
        reverse("roller_sessions:check", args=[check.id]),
        reverse("roller_sessions:check", args=[owned["checkin"].id]),
        reverse("roller_sessions:consult_confirm", args=[check.id]),
        reverse("roller_sessions:session_log", args=[check.id]),
        reverse("roller_sessions:session", args=[session.id]),
        reverse("roller_sessions:checkin", args=[session.id, 3]),
        reverse("roller_sessions:session_delete", args=[session.id]),
    ]


def _client_for(request, who) -> Client:
    client = Client()
    client.force_login(request.getfixturevalue(who))
    return client


@pytest.mark.parametrize(
    "who", ["someone_else", "clinic_staff", "other_clinic_staff", "admin_user"]
)
def test_it_checks_ownership_for_every_method(request, owned, who):
    client = _client_for(request, who)
    for url in _urls(owned):
        for method in ("get", "head", "post"):
            response = getattr(client, method)(url, {"date": s.today().isoformat()})
            assert response.status_code == 404, (who, method, url)
    assert Session.objects.count() == 1
    assert Check.objects.count() == 2
    assert not ConsultConfirmation.objects.exists()


def test_staff_of_the_clinic_the_base_was_sent_to_get_404_too(owner, owned, clinic, staff_client):
    base = owned["session"].base
    send(clinic, assessment=base)
    for url in _urls(owned):
        for method in ("get", "head", "post"):
            assert getattr(staff_client, method)(url).status_code == 404, (method, url)
    assert Session.objects.count() == 1


def test_it_sends_anonymous_visitors_to_log_in(client, owned):
    urls = [
        *_urls(owned),
        reverse("roller_sessions:mine"),
        reverse("roller_sessions:check_new"),
        reverse("roller_sessions:export_json"),
        reverse("roller_sessions:export_csv"),
    ]
    for url in urls:
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"].startswith(reverse("account_login")), url
    assert Session.objects.count() == 1


def test_the_owner_reaches_every_page(owner_client, owned):
    for url in _urls(owned):
        assert owner_client.get(url).status_code in (200, 302), url


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options"])
def test_other_methods_are_refused_without_changes(owner_client, owned, method):
    for url in _urls(owned):
        assert getattr(owner_client, method)(url).status_code in (404, 405), url
    assert Session.objects.count() == 1
