"""The deploy check of SITE_URL: links in emails must lead to the site itself, over HTTPS."""

import pytest

from scalpsafe.checks import site_url_check


@pytest.mark.parametrize(
    "site_url",
    [
        "http://localhost:8000",  # the development default
        "http://scalpsafe.example.org",  # plain HTTP: a private link's token readable en route
        "https://elsewhere.example.org",  # not this site
    ],
)
def test_it_warns_of_a_site_url_that_is_not_the_sites_own_https_address(settings, site_url):
    settings.ALLOWED_HOSTS = ["scalpsafe.example.org"]
    settings.SITE_URL = site_url

    [warning] = site_url_check(None)

    assert warning.id == "scalpsafe.W001"
    assert site_url in warning.msg


def test_it_passes_the_sites_own_https_address(settings):
    settings.ALLOWED_HOSTS = ["scalpsafe.example.org"]
    settings.SITE_URL = "https://scalpsafe.example.org"

    assert site_url_check(None) == []
