"""Every sharing page of a result answers 404 to anyone who may not see the result, for every
method it accepts (and 405 for the rest), and changes nothing."""

import pytest
from django.test import Client

from clinics.models import PrivateLink, Share
from clinics.private_links import private_link_create
from clinics.services import share_send
from tests.sharing.conftest import link_url, revoke_url, send_data, send_url, stop_url
from tests.support.assessments import save_assessment

pytestmark = pytest.mark.django_db

PAGES = [
    (send_url, ["get", "head", "post"]),
    (stop_url, ["get", "head", "post"]),
    (link_url, ["get", "head", "post"]),
    (revoke_url, ["post"]),
]
CASES = [(url, method) for url, methods in PAGES for method in methods]


@pytest.fixture
def shared(result, clinic):
    share_send(assessment=result, clinic=clinic, contact={})
    private_link_create(assessment=result)
    return result


def _outsiders(someone_else, clinic_staff, admin_user, other_result) -> dict[str, Client]:
    signed_in = Client()
    signed_in.force_login(someone_else)
    staff = Client()
    staff.force_login(clinic_staff)
    superuser = Client()
    superuser.force_login(admin_user)
    # Holds a working private link, to another result.
    other_holder = Client()
    other_holder.get(f"/r/{private_link_create(assessment=other_result)}/")
    return {
        "someone else": signed_in,
        "anonymous": Client(),
        "clinic staff": staff,
        "superuser": superuser,
        "another result's link holder": other_holder,
    }


@pytest.mark.parametrize(("url", "method"), CASES)
def test_everyone_else_gets_404_and_nothing_changes(
    shared, clinic, other_clinic, someone_else, clinic_staff, admin_user, url, method
):
    outsiders = _outsiders(someone_else, clinic_staff, admin_user, save_assessment())
    before = (
        list(Share.objects.values_list("pk", "withdrawn_at", "clinic")),
        list(PrivateLink.objects.values_list("pk", "revoked_at")),
    )
    for who, client in outsiders.items():
        response = getattr(client, method)(url(shared), send_data(other_clinic))
        assert response.status_code == 404, who
    after = (
        list(Share.objects.values_list("pk", "withdrawn_at", "clinic")),
        list(PrivateLink.objects.values_list("pk", "revoked_at")),
    )
    assert after == before


@pytest.mark.parametrize(("url", "allowed"), PAGES)
@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete", "options"])
def test_other_methods_are_refused(owner_client, shared, url, allowed, method):
    if method in allowed:
        return
    assert getattr(owner_client, method)(url(shared)).status_code == 405


@pytest.mark.parametrize(
    "path",
    [
        "/results/not-a-uuid/send/",
        "/results/00000000-0000-0000-0000-000000000000/send/",
        "/results/00000000-0000-0000-0000-000000000000/stop-sharing/",
        "/results/00000000-0000-0000-0000-000000000000/private-link/",
    ],
)
def test_a_bad_or_unknown_id_is_404(owner_client, path):
    assert owner_client.get(path).status_code == 404
    assert owner_client.post(path).status_code == 404


def test_the_owner_reaches_every_page(owner_client, shared):
    for url, methods in PAGES:
        if "get" in methods:
            assert owner_client.get(url(shared)).status_code in (200, 302), url
