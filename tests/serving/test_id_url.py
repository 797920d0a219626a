"""{% id_url %} (scalpsafe/templatetags/fixed_urls.py) gives what {% url %} gives for an id."""

import uuid

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from scalpsafe.templatetags import fixed_urls

NAMES = (
    "assessments:result",
    "assessments:delete",
    "clinics:send",
    "clinics:stop_sharing",
    "clinics:private_link",
    "clinics:revoke_private_link",
)


def id_url(name: str, some_id) -> str:
    """The tag's output for `name` and `some_id`, rendered as a page renders it."""
    return Template("{% load fixed_urls %}{% id_url name some_id %}").render(
        Context({"name": name, "some_id": some_id})
    )


@pytest.mark.parametrize("name", NAMES)
def test_it_gives_what_django_reverses(name):
    for _ in range(3):
        some_id = uuid.uuid4()
        assert id_url(name, some_id) == reverse(name, args=[some_id])


def test_it_follows_the_script_prefix():
    some_id = uuid.uuid4()
    id_url("clinics:send", some_id)
    set_script_prefix("/scalpsafe/")
    try:
        assert id_url("clinics:send", some_id) == f"/scalpsafe/results/{some_id}/send/"
    finally:
        clear_script_prefix()
    assert id_url("clinics:send", some_id) == f"/results/{some_id}/send/"


def test_anything_but_a_uuid_is_reversed_as_django_does():
    text = "0c46f628-53c2-4682-809b-37b59a4ae043"
    assert id_url("clinics:send", text) == reverse("clinics:send", args=[text])
    zeros = uuid.UUID(int=0)
    assert id_url("clinics:send", zeros) == reverse("clinics:send", args=[zeros])


def test_it_is_a_template_tag():
    some_id = uuid.uuid4()
    html = Template("{% load fixed_urls %}{% id_url 'clinics:send' some_id %}").render(
        Context({"some_id": some_id})
    )
    assert html == f"/results/{some_id}/send/"


def test_a_render_reads_the_script_prefix_and_url_configuration_once(monkeypatch):
    # Both are context-locals, a few µs a read: a page's dozen URLs share one read of each.
    reads = []
    real_prefix, real_urlconf = fixed_urls.get_script_prefix, fixed_urls.get_urlconf
    monkeypatch.setattr(fixed_urls, "get_script_prefix", lambda: reads.append(1) or real_prefix())
    monkeypatch.setattr(fixed_urls, "get_urlconf", lambda: reads.append(2) or real_urlconf())
    page = Template(
        "{% load fixed_urls %}{% id_url 'clinics:send' a %}{% id_url 'clinics:send' b %}"
        "{% fixed_url 'home' %}{% static_url 'favicon.svg' %}"
        "{% include 'includes/footer.html' %}{% include 'includes/header.html' %}"
    )
    a, b = uuid.uuid4(), uuid.uuid4()
    page.render(Context({"a": a, "b": b}))  # every URL worked out and kept once
    reads.clear()
    html = page.render(Context({"a": a, "b": b}))
    assert f"/results/{a}/send/" in html and f"/results/{b}/send/" in html
    assert reverse("login") in html  # the included header's own URLs
    assert sorted(reads) == [1, 2]
    page.render(Context({"a": a, "b": b}))  # each render reads them anew
    assert sorted(reads) == [1, 1, 2, 2]
