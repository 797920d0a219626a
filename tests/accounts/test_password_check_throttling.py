"""Every password check counts towards the log-in lock-out: wrong passwords typed to delete the
account or change the password lock the username and address pair as failed log-ins do."""

import json
import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import Client

from tests.support.accounts import log_in

pytestmark = pytest.mark.django_db

RIGHT = "owner-password-1234"


def delete_account(client: Client, password: str):
    return client.post("/accounts/delete/", {"password": password})


def change_password(client: Client, password: str):
    new = "a-new-long-passphrase"
    return client.post(
        "/accounts/password/change/",
        {"oldpassword": password, "password1": new, "password2": new},
    )


@pytest.mark.parametrize("check", [delete_account, change_password])
def test_five_wrong_passwords_lock_out_with_a_429_and_the_log_in_too(owner_client, owner, check):
    for _ in range(4):
        assert check(owner_client, "wrong").status_code == 200
    locked = check(owner_client, "wrong")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    # The same lock-out as the log-in's: this address cannot log in as owner either.
    assert log_in(Client(), "owner", RIGHT).status_code == 429
    # Nor does the right password work here until the lock ends.
    assert check(owner_client, RIGHT).status_code == 429
    owner.refresh_from_db()
    assert owner.check_password(RIGHT)
    assert get_user_model().objects.filter(pk=owner.pk).exists()


def test_the_right_password_works_again_after_the_cool_off(owner_client, owner):
    for _ in range(5):
        delete_account(owner_client, "wrong")
    attempts = AccessAttempt.objects.all()
    attempts.update(attempt_time=attempts.get().attempt_time - timedelta(minutes=16))
    assert delete_account(owner_client, RIGHT)["Location"] == "/"
    assert not get_user_model().objects.filter(pk=owner.pk).exists()


def test_failed_log_ins_count_towards_the_delete_forms_lock_too(owner_client, owner):
    for _ in range(5):
        log_in(Client(), "owner", "wrong")
    assert delete_account(owner_client, RIGHT).status_code == 429
    assert get_user_model().objects.filter(pk=owner.pk).exists()


def test_the_lock_is_for_that_address_only(owner_client, owner):
    for _ in range(5):
        delete_account(owner_client, "wrong")
    assert log_in(Client(REMOTE_ADDR="10.9.9.9"), "owner", RIGHT).status_code == 302


def test_wrong_passwords_and_the_lock_out_are_in_the_security_log(owner_client, caplog):
    with caplog.at_level(logging.INFO, logger="scalpsafe.security"):
        for _ in range(6):
            delete_account(owner_client, "wrong")
    events = [json.loads(r.getMessage()) for r in caplog.records if r.name == "scalpsafe.security"]
    names = [e["event"] for e in events]
    assert names.count("login_failed") == 5
    assert "lockout" in names
    assert all(e["path"] == "/accounts/delete/" for e in events)
    assert all(e.get("username") == "owner" for e in events)
