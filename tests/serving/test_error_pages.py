"""Error pages: they render with no context, never fail a lookup, never show internals."""

import pytest
from django.conf import settings as django_settings
from django.template import engines
from django.test import Client, RequestFactory

from scalpsafe.views import server_error

PAGES = {
    "400.html": "Sorry, we could not understand that request",
    "403.html": "Sorry, you can't do that",
    "403_csrf.html": "Please try again",
    "404.html": "Page not found",
    "500.html": "Sorry, something went wrong on our side",
    "503.html": "ScalpSafe is temporarily unavailable",
}


@pytest.mark.parametrize(("name", "heading"), PAGES.items())
def test_it_renders_with_no_context_and_no_failing_lookup(name, heading, settings):
    options = django_settings.TEMPLATES[0]["OPTIONS"]
    settings.TEMPLATES = [
        {**django_settings.TEMPLATES[0], "OPTIONS": {**options, "string_if_invalid": "!!%s!!"}}
    ]
    html = engines["django"].get_template(name).render()
    assert heading in html
    assert "!!" not in html
    assert "ScalpSafe is not a diagnosis." in html


@pytest.mark.django_db
def test_an_unknown_address_gets_the_404_page(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


@pytest.mark.django_db
def test_a_csrf_failure_gets_the_403_page_and_saves_nothing(settings):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/assessment/before-you-start/", {"agree": "on"})
    assert response.status_code == 403
    assert "nothing was saved" in response.content.decode()
    assert "scalpsafe_consent" not in client.session


def test_an_error_gets_the_500_page_without_a_traceback_or_settings():
    request = RequestFactory().get("/")
    try:
        raise RuntimeError("secret internals")
    except RuntimeError:
        response = server_error(request)
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, something went wrong" in html
    for leak in ["Traceback", "secret internals", django_settings.SECRET_KEY, "DATABASES"]:
        assert leak not in html


@pytest.mark.django_db(transaction=True)
def test_an_unreachable_database_gets_a_friendly_503(unreachable_database, owner):
    client = Client(raise_request_exception=False)
    client.force_login(owner)
    with unreachable_database():
        response = client.get("/my/assessments/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "temporarily unavailable" in html
    assert "Traceback" not in html and "OperationalError" not in html
    assert client.get("/my/assessments/").status_code == 200, "it recovers without a restart"
