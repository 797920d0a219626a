"""The admin's home is headed for who opens it: staff's is their clinic's queue, the
operator's the whole site."""

import re

import pytest

pytestmark = pytest.mark.django_db


def _heading_and_title(client, path: str = "/admin/") -> tuple[str, str]:
    html = client.get(path).content.decode()
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
    # An app's page keeps its own heading.
    heading, _ = _heading_and_title(admin_client, "/admin/clinics/")
    assert heading == "ScalpSafe clinic administration"


def test_logging_out_of_the_admin_says_so_on_the_page_it_lands_on(staff_client):
    response = staff_client.post("/admin/logout/")
    assert response.status_code == 302
    landed = staff_client.get(response["Location"]).content.decode()
    assert landed.count("You have logged out.") == 1
    assert staff_client.get("/admin/").status_code == 302  # logged out indeed


def test_logging_out_of_the_site_says_so_once(staff_client):
    response = staff_client.post("/accounts/logout/")
    assert (
        staff_client.get(response["Location"]).content.decode().count("You have logged out.") == 1
    )


def test_staff_find_the_queue_in_the_sites_menu_and_people_do_not(staff_client, owner_client):
    link = '<a class="nav-link" href="/admin/clinics/share/">Clinic queue</a>'
    assert link in staff_client.get("/").content.decode()
    assert "Clinic queue" not in owner_client.get("/").content.decode()
