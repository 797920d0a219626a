"""Login throttling: 5 failures for one username from one address lock that pair for 15 minutes."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

pytestmark = pytest.mark.django_db

LOGIN_URLS = ["/accounts/login/", "/admin/login/"]


def attempt(client: Client, url: str, username: str, password: str, ip: str = "10.0.0.1"):
    # allauth's log-in form calls the username "login"; the admin's calls it "username".
    field = "username" if url.startswith("/admin/") else "login"
    return client.post(url, {field: username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("url", LOGIN_URLS)
def test_five_failures_lock_the_username_and_address_with_a_friendly_429(client, owner, url):
    for _ in range(4):
        assert attempt(client, url, "owner", "wrong").status_code == 200
    locked = attempt(client, url, "owner", "wrong")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    right = attempt(client, url, "owner", "owner-password-1234")
    assert right.status_code == 429, "even the right password waits out the lock"


def test_the_lock_is_for_that_pair_only(client, owner, someone_else):
    for _ in range(5):
        attempt(client, "/accounts/login/", "owner", "wrong")
    other_user = attempt(Client(), "/accounts/login/", "someone", "someone-password-1234")
    assert other_user.status_code == 302
    other_address = attempt(
        Client(), "/accounts/login/", "owner", "owner-password-1234", ip="10.0.0.2"
    )
    assert other_address.status_code == 302


def test_the_lock_ends_after_15_minutes(client, owner):
    for _ in range(5):
        attempt(client, "/accounts/login/", "owner", "wrong")
    assert attempt(client, "/accounts/login/", "owner", "owner-password-1234").status_code == 429
    attempts = AccessAttempt.objects.all()
    attempts.update(attempt_time=attempts.get().attempt_time - timedelta(minutes=16))
    assert attempt(client, "/accounts/login/", "owner", "owner-password-1234").status_code == 302
