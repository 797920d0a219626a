"""Every page with one person's data answers 404 to anyone else, for every method it accepts.

The cast: the owner, someone else signed in, clinic staff, an anonymous visitor, and another
browser session of an anonymous owner.
"""

import pytest
from django.test import Client

from assessments.models import Assessment
from tests.support.questionnaire import take_assessment

pytestmark = pytest.mark.django_db

PER_ASSESSMENT_PAGES = {
    "result": ("/results/{id}/", ["get", "head"]),
    "delete": ("/results/{id}/delete/", ["get", "head", "post"]),
}
CASES = [
    (page, method) for page, (_, methods) in PER_ASSESSMENT_PAGES.items() for method in methods
]


def client_for(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def owned(owner) -> Assessment:
    return take_assessment(client_for(owner))


def url_of(page: str, assessment: Assessment) -> str:
    return PER_ASSESSMENT_PAGES[page][0].format(id=assessment.id)


@pytest.mark.parametrize(("page", "method"), CASES)
def test_the_owner_gets_the_page(owner, owned, page, method):
    response = getattr(client_for(owner), method)(url_of(page, owned))
    assert response.status_code in (200, 302)


@pytest.mark.parametrize(("page", "method"), CASES)
@pytest.mark.parametrize("who", ["someone_else", "clinic_staff", "anonymous"])
def test_anyone_else_gets_404(request, owned, page, method, who):
    user = None if who == "anonymous" else request.getfixturevalue(who)
    response = getattr(client_for(user), method)(url_of(page, owned))
    assert response.status_code == 404
    assert Assessment.objects.filter(pk=owned.pk).exists()


@pytest.mark.parametrize(("page", "method"), CASES)
def test_another_browser_session_gets_404_for_an_anonymous_result(page, method):
    assessment = take_assessment(Client())
    response = getattr(Client(), method)(url_of(page, assessment))
    assert response.status_code == 404
    assert Assessment.objects.filter(pk=assessment.pk).exists()


@pytest.mark.parametrize(
    "url", ["/my/assessments/", "/my/assessments/export.json", "/my/assessments/export.csv"]
)
def test_lists_and_exports_show_only_ones_own(owned, someone_else, clinic_staff, url):
    for user in [someone_else, clinic_staff]:
        body = client_for(user).get(url).content.decode()
        assert str(owned.id) not in body


@pytest.mark.parametrize(
    "url",
    [
        "/my/assessments/",
        "/my/assessments/export.json",
        "/my/assessments/export.csv",
        "/accounts/",
        "/accounts/delete/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/claim/",
    ],
)
def test_account_pages_send_anonymous_visitors_to_log_in(url):
    response = Client().get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


@pytest.mark.parametrize(
    "url", ["/my/assessments/export.json", "/my/assessments/export.csv", "/accounts/"]
)
@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_read_only_account_pages_refuse_other_methods(owner, url, method):
    assert getattr(client_for(owner), method)(url).status_code == 405
