"""{% fixed_url %} gives what {% url %} gives, reversed once, for the script prefix in use."""

from django.template import Context, Template
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
