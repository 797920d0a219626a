"""Shared fixtures. Tests run with production-like settings (DEBUG off)."""

import pytest


@pytest.fixture(autouse=True)
def _plain_http_and_static(settings):
    # Production redirects to HTTPS and serves hashed static names from collectstatic's manifest.
    # The test client speaks plain HTTP and nothing has been collected, so relax just those two;
    # tests/test_static.py and tests/test_settings.py cover the production behaviour itself.
    settings.SECURE_SSL_REDIRECT = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
