"""{% fixed_url %} gives what {% url %} gives, reversed once, for the script prefix in use;
{% static_url %} what {% static %} gives, worked out once."""

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.templatetags.static import static
from django.urls import reverse, set_script_prefix

from scalpsafe.templatetags.fixed_urls import _reversed

PAGE = Template(
    "{% load fixed_urls %}{% fixed_url 'home' %}|{% fixed_url 'assessments:step' 'hair' %}"
)


def test_it_gives_what_url_gives():
    assert (
        PAGE.render(Context()) == f"{reverse('home')}|{reverse('assessments:step', args=['hair'])}"
    )


def test_each_script_prefix_gets_its_own_urls():
    try:
        set_script_prefix("/sub/")
        under_sub = PAGE.render(Context())
    finally:
        set_script_prefix("/")
    at_root = PAGE.render(Context())

    assert under_sub.startswith("/sub/")
    assert under_sub.replace("/sub/", "/") == at_root


def test_a_new_url_configuration_forgets_what_was_reversed(settings):
    PAGE.render(Context())
    assert _reversed.cache_info().currsize > 0

    settings.ROOT_URLCONF = "scalpsafe.urls"

    assert _reversed.cache_info().currsize == 0


STATIC_PATHS = ["favicon.svg", "css/site.css", "js/error-summary.js"]


def test_static_url_gives_what_static_gives():
    for path in STATIC_PATHS:
        ours = Template(f"{{% load fixed_urls %}}{{% static_url '{path}' %}}")
        django = Template(f"{{% load static %}}{{% static '{path}' %}}")
        assert ours.render(Context()) == django.render(Context())
        assert ours.render(Context()) == static(path)


def test_static_url_escapes_as_static_does(settings):
    settings.STATIC_URL = "/st&tic/"
    ours = Template("{% load fixed_urls %}{% static_url 'css/site.css' %}")
    django = Template("{% load static %}{% static 'css/site.css' %}")
    for autoescape in (True, False):
        assert ours.render(Context(autoescape=autoescape)) == django.render(
            Context(autoescape=autoescape)
        )
    assert ours.render(Context()) == "/st&amp;tic/css/site.css"
    assert ours.render(Context(autoescape=False)) == "/st&tic/css/site.css"


def test_a_new_static_address_forgets_what_was_worked_out(settings):
    page = Template("{% load fixed_urls %}{% static_url 'css/site.css' %}")
    before = page.render(Context())
    settings.STATIC_URL = "/elsewhere/"
    assert page.render(Context()).startswith("/elsewhere/")
    settings.STATIC_URL = "/static/"
    assert page.render(Context()) == before


@pytest.mark.parametrize(
    "tag", ["{% static_url %}", "{% static_url css/site.css %}", "{% static_url 'a' 'b' %}"]
)
def test_static_url_takes_one_quoted_path(tag):
    with pytest.raises(TemplateSyntaxError, match="one quoted path"):
        Template("{% load fixed_urls %}" + tag)


def test_a_context_kept_past_a_new_script_prefix_leaves_nothing_wrong_behind():
    # A Context reads the prefix once (fixed_urls._place); a URL first reversed through it after
    # the live prefix changed is worked out under the Context's prefix, so the process-wide
    # cache never keeps a path under a key of another prefix.
    _reversed.cache_clear()
    page = Template("{% load fixed_urls %}{% fixed_url 'home' %}|{% fixed_url 'login' %}")
    head = Template("{% load fixed_urls %}{% fixed_url 'home' %}")
    login = reverse("login")
    kept = Context()
    try:
        assert head.render(kept) == "/"
        set_script_prefix("/sub/")
        assert page.render(kept) == f"/|{login}"  # the Context's prefix throughout
        assert page.render(Context()) == f"/sub/|/sub{login}"
    finally:
        set_script_prefix("/")
    assert page.render(Context()) == f"/|{login}"
