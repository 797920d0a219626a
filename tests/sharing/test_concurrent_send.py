"""Sends and withdrawals racing over real HTTP (the live server, one thread and database
connection per request, one browser session): exactly one current share afterwards, at most
one usable private link, and never a 500."""

import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.test import Client

from clinics.models import PrivateLink, Share
from tests.sharing.conftest import send_data, send_url, stop_url

pytestmark = pytest.mark.django_db(transaction=True)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def race(base_url: str, client: Client, requests: list[tuple[str, dict]]) -> list[int]:
    """POST each (path, form) at once, released together, with `client`'s cookies."""
    cookies = {name: morsel.value for name, morsel in client.cookies.items()}
    headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in cookies.items())}
    opener = urllib.request.build_opener(_NoRedirects)
    barrier = threading.Barrier(len(requests))
    statuses: list[int] = []

    def post(path: str, form: dict) -> None:
        body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": cookies["csrftoken"]})
        request = urllib.request.Request(base_url + path, data=body.encode(), headers=headers)
        barrier.wait(timeout=30)
        try:
            response = opener.open(request, timeout=60)
        except urllib.error.HTTPError as error:  # 3xx and 4xx arrive as errors here
            response = error
        statuses.append(response.status)

    threads = [threading.Thread(target=post, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert len(statuses) == len(requests), "every request answered"
    return statuses


def _with_csrf_cookie(client: Client, assessment) -> Client:
    assert client.get(send_url(assessment)).status_code == 200  # sets the CSRF cookie
    return client


@pytest.mark.parametrize("count", [2, 10])
def test_concurrent_sends_to_one_clinic_make_one_share(
    live_server, owner_client, result, clinic, count
):
    client = _with_csrf_cookie(owner_client, result)
    statuses = race(live_server.url, client, [(send_url(result), send_data(clinic))] * count)
    assert statuses == [302] * count
    assert Share.objects.count() == 1


def test_concurrent_sends_to_two_clinics_leave_one_current_share(
    live_server, owner_client, result, clinic, other_clinic
):
    client = _with_csrf_cookie(owner_client, result)
    requests = [(send_url(result), send_data(c)) for c in (clinic, other_clinic) * 5]
    statuses = race(live_server.url, client, requests)
    assert set(statuses) <= {200, 302}  # 200: "already with the other clinic"
    assert Share.objects.current().count() == 1
    assert Share.objects.count() == 1


def test_sends_and_withdrawals_racing_leave_at_most_one_current_share(
    live_server, owner_client, result, clinic, other_clinic
):
    client = _with_csrf_cookie(owner_client, result)
    requests = [
        (send_url(result), send_data(clinic)),
        (stop_url(result), {}),
        (send_url(result), send_data(other_clinic)),
        (stop_url(result), {}),
    ] * 4
    statuses = race(live_server.url, client, requests)
    assert set(statuses) <= {200, 302}
    assert Share.objects.current().count() <= 1
    # Whatever the order, the person can still stop sharing and send again: one share.
    client.post(stop_url(result))
    assert client.post(send_url(result), send_data(clinic)).status_code == 302
    assert Share.objects.current().count() == 1


def test_concurrent_anonymous_sends_leave_one_usable_private_link(
    live_server, anonymous_client, anonymous_result, clinic
):
    client = _with_csrf_cookie(anonymous_client, anonymous_result)
    statuses = race(live_server.url, client, [(send_url(anonymous_result), send_data(clinic))] * 10)
    assert set(statuses) <= {200, 302}
    assert Share.objects.count() == 1
    assert PrivateLink.objects.usable().count() == 1
