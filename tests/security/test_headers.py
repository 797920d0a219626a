"""Security headers on every response, and a bad Host header."""

import pytest

pytestmark = pytest.mark.django_db


def test_it_sends_a_strict_content_security_policy(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = {d.split()[0]: d.split()[1:] for d in policy.split("; ")}
    assert directives == {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


@pytest.mark.parametrize("url", ["/", "/assessment/before-you-start/", "/accounts/login/"])
def test_it_sends_the_other_security_headers(client, url):
    response = client.get(url)
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert "Content-Security-Policy" in response


def test_a_bad_host_gets_400(client, settings):
    settings.ALLOWED_HOSTS = ["scalpsafe.example.org"]
    response = client.get("/", HTTP_HOST="evil.example.com")
    assert response.status_code == 400
    assert "Sorry, we could not understand that request" in response.content.decode()
    assert client.get("/", HTTP_HOST="scalpsafe.example.org").status_code == 200


def test_it_redirects_plain_http_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/"
    secure = client.get("/", secure=True)
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]


def test_behind_a_proxy_the_forwarded_protocol_counts_as_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/", HTTP_X_FORWARDED_PROTO="https").status_code == 200
