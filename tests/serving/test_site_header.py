"""{% site_header %}: signed out, the header is rendered once per page name and kept; what is
kept is what the template renders; signed in, it is rendered on every page."""

import re

import pytest
from django.urls import reverse, set_script_prefix

from scalpsafe.templatetags import site_header

pytestmark = pytest.mark.django_db

HEADER = "includes/header.html"
HOME = reverse("home")
LOGIN = reverse("login")
SIGNUP = reverse("signup")


@pytest.fixture(autouse=True)
def nothing_kept():
    site_header._signed_out.clear()
    yield
    site_header._signed_out.clear()


def header_of(response) -> str:
    return re.search(r"<header.*?</header>", response.text, re.DOTALL).group(0)


def rendered(response) -> list[str]:
    return [t.name for t in response.templates]


def test_it_renders_a_signed_out_header_once_per_page_name(client):
    first, second = client.get(HOME), client.get(HOME)

    assert HEADER in rendered(first)
    assert HEADER not in rendered(second)
    assert header_of(first) == header_of(second)
    assert HEADER in rendered(client.get(LOGIN)), "another page name: its own header"


def test_the_kept_header_is_what_the_template_renders(client, settings):
    kept = [header_of(client.get(path)) for path in (LOGIN, f"{LOGIN}?next=/somewhere/")]
    settings.DEBUG = True  # renders it every time

    fresh = client.get(f"{LOGIN}?next=/elsewhere/")

    assert HEADER in rendered(fresh)
    assert kept == [header_of(fresh)] * 2


def test_the_current_page_mark_follows_the_page(client):
    client.get(LOGIN)

    signup = header_of(client.get(SIGNUP))
    home = header_of(client.get(HOME))

    assert f'href="{SIGNUP}" aria-current="page"' in signup
    assert f'href="{LOGIN}" aria-current="page"' not in signup
    assert 'aria-current="page"' not in home


def test_a_signed_in_header_is_rendered_on_every_page(client, owner_client):
    client.get(HOME)  # a signed-out header kept for this page name

    pages = [owner_client.get(HOME) for _ in range(2)]

    for page in pages:
        assert HEADER in rendered(page)
        header = header_of(page)
        assert "Log out" in header and 'name="csrfmiddlewaretoken"' in header
        assert f'href="{LOGIN}"' not in header
    assert header_of(pages[0]) != header_of(pages[1]), "a CSRF token masked anew each time"


def test_each_script_prefix_gets_its_own_header(client):
    try:
        set_script_prefix("/sub/")  # as the WSGI handler does for a deployment under /sub/
        under_sub = header_of(client.get(HOME))
    finally:
        set_script_prefix("/")
    at_root = header_of(client.get(HOME))

    assert f'href="/sub{LOGIN}"' in under_sub
    assert f'href="{LOGIN}"' in at_root and "/sub/" not in at_root


def test_a_new_url_configuration_forgets_the_kept_headers(client, settings):
    client.get(HOME)
    assert site_header._signed_out

    settings.ROOT_URLCONF = "scalpsafe.urls"

    assert not site_header._signed_out
