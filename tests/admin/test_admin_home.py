"""The admin's home is headed for who opens it: staff's is their clinic's queue, the
operator's the whole site."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _heading_and_title(client) -> tuple[str, str]:
    html = client.get("/admin/").content.decode()
    return re.search(r"<h1>(.*?)</h1>", html).group(1), re.search(
        r"<title>(.*?)</title>", html
    ).group(1)


def test_staff_see_their_clinics_queue(staff_client):
    assert _heading_and_title(staff_client) == (
        "Your clinic&#x27;s queue",
        "Your clinic&#x27;s queue | ScalpSafe clinic",
    )


def test_the_operator_sees_the_site(admin_client):
    assert _heading_and_title(admin_client) == (
        "Site administration",
        "Site administration | ScalpSafe clinic",
    )
