"""Static files are served from our own origin, hashed and compressed when DEBUG is off."""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import Client


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "scalpsafe.static_storage.StaticStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    return settings.STATIC_ROOT


@pytest.mark.django_db
def test_collectstatic_hashes_and_compresses_bootstrap(collected):
    css = list((collected / "vendor" / "bootstrap").glob("bootstrap.min.*.css"))
    assert css, "a hashed copy exists"
    assert list((collected / "vendor" / "bootstrap").glob("bootstrap.min.*.css.gz"))
    assert (collected / "staticfiles.json").exists()


@pytest.mark.django_db
def test_a_page_renders_with_debug_off_using_hashed_static_files(collected, settings):
    assert settings.DEBUG is False
    client = Client()  # made after the settings change, so WhiteNoise sees the new STATIC_ROOT
    html = client.get("/").content.decode()
    href = re.search(r'<link rel="stylesheet" href="([^"]*bootstrap[^"]*)"', html).group(1)
    assert href.startswith("/static/vendor/bootstrap/bootstrap.min.")
    assert href != "/static/vendor/bootstrap/bootstrap.min.css"
    response = client.get(href)
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"], "hashed files are cached for good"


@pytest.mark.django_db
def test_it_works_out_each_static_url_once_per_process(collected):
    first = staticfiles_storage.url("css/site.css")
    assert first.startswith("/static/css/site.") and first != "/static/css/site.css"
    assert staticfiles_storage._urls["css/site.css"] == first
    assert staticfiles_storage.url("css/site.css") == first
    with pytest.raises(ValueError):
        staticfiles_storage.url("css/not-there.css")  # a missing file still fails, every time
    assert "css/not-there.css" not in staticfiles_storage._urls
