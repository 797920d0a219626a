"""{% site_header %}: signed out, the header is rendered once per page name and kept; what is
kept is what the template renders; signed in, it is rendered on every page."""

import re

import pytest
from django.urls import reverse, set_script_prefix

from scalpsafe.templatetags import site_header
from tests.support.questionnaire import take_assessment

pytestmark = pytest.mark.django_db

HEADER = "includes/header.html"
HOME = reverse("home")
LOGIN = reverse("login")
SIGNUP = reverse("signup")


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


def test_what_is_kept_holds_nothing_of_one_page_or_person(client, settings):
    """Two results of the same page name: the second page's header is a fresh render's, with
    nothing of the first page's path; and a signed-out header has no CSRF token to keep."""
    first, second = take_assessment(client), take_assessment(client)
    kept = [header_of(client.get(result.get_absolute_url())) for result in (first, second)]
    settings.DEBUG = True

    fresh = header_of(client.get(second.get_absolute_url()))

    assert kept == [fresh, fresh]
    assert str(first.id) not in kept[1]
    assert "csrfmiddlewaretoken" not in fresh


def test_with_debug_on_it_renders_the_header_every_time(client, settings):
    settings.DEBUG = True

    assert all(HEADER in rendered(client.get(HOME)) for _ in range(2))


def test_it_keeps_a_render_with_a_csrf_token_for_nobody(client, monkeypatch):
    """A signed-out header that draws a CSRF token (an edit to the template) is rendered for
    each page, not kept: a token is one browser's."""
    token = '<input type="hidden" name="csrfmiddlewaretoken" value="x">'
    monkeypatch.setattr(site_header, "_render", lambda context: token)

    client.get(HOME)

    assert not site_header._signed_out


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
