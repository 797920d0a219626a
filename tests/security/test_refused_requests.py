"""A request Django refuses before our code runs (a bad Host header, a body it will not read).

It gets our 400 page with every security header a normal page has, and the log gets one short
line for it, never a traceback (scalpsafe/middleware.py, scalpsafe/log_filters.py).
"""

import logging
import sys

import pytest
from django.test import Client

from scalpsafe.log_filters import MAX_MESSAGE, ClientErrorsOnOneLine

pytestmark = pytest.mark.django_db

OUR_HOST = "scalpsafe.example.org"
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Content-Security-Policy-Report-Only",
    "Strict-Transport-Security",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
]
BAD_HOSTS = {
    "someone else's name": "evil.example",
    "a malformed name": "bad host..//",
    "a name with a port": "evil.example:8443",
}


def security_headers(response) -> dict[str, str]:
    return {name: response[name] for name in SECURITY_HEADERS if name in response}


@pytest.fixture(autouse=True)
def _our_host(settings):
    settings.ALLOWED_HOSTS = [OUR_HOST]


def normal_page_headers(*, secure: bool) -> dict[str, str]:
    response = Client(headers={"host": OUR_HOST}).get("/", secure=secure)
    assert response.status_code == 200
    return security_headers(response)


def test_a_normal_page_has_every_security_header_over_https():
    assert set(normal_page_headers(secure=True)) == set(SECURITY_HEADERS) - {
        "Content-Security-Policy-Report-Only"
    }


@pytest.mark.parametrize("host", BAD_HOSTS.values(), ids=BAD_HOSTS.keys())
@pytest.mark.parametrize("secure", [False, True], ids=["http", "https"])
def test_a_bad_host_gets_400_with_the_headers_of_a_normal_page(host, secure):
    expected = normal_page_headers(secure=secure)
    response = Client(headers={"host": host}).get("/", secure=secure)
    assert response.status_code == 400
    assert security_headers(response) == expected


def test_a_bad_host_refused_by_the_https_redirect_gets_the_headers_too(settings):
    # With SECURE_SSL_REDIRECT on, SecurityMiddleware itself asks for the host over plain HTTP,
    # so the 400 never passes back through it.
    expected = normal_page_headers(secure=False)
    settings.SECURE_SSL_REDIRECT = True
    response = Client(headers={"host": "evil.example"}).get("/")
    assert response.status_code == 400
    assert security_headers(response) == expected


def test_a_bad_host_gets_our_400_page_with_no_internals():
    html = Client(headers={"host": "evil.example"}).get("/accounts/login/").content.decode()
    assert "Sorry, we could not understand that request" in html
    assert "ScalpSafe is not a diagnosis." in html
    for leak in ["evil.example", "DisallowedHost", "ALLOWED_HOSTS", "Traceback"]:
        assert leak not in html


@pytest.mark.parametrize(
    "post",
    [
        pytest.param(
            {"data": "a=" + "x" * 3000, "content_type": "application/x-www-form-urlencoded"},
            id="a body over the size limit",
        ),
        pytest.param(
            {
                "data": "&".join(f"f{i}=1" for i in range(50)),
                "content_type": "application/x-www-form-urlencoded",
            },
            id="too many fields",
        ),
        pytest.param(
            {"data": "x", "content_type": "multipart/form-data"},
            id="a multipart body without a boundary",
        ),
    ],
)
def test_a_bad_body_gets_400_with_the_headers_of_a_normal_page(post, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    expected = normal_page_headers(secure=True)
    response = Client(headers={"host": OUR_HOST}).post("/accounts/login/", secure=True, **post)
    assert response.status_code == 400
    assert "Sorry, we could not understand that request" in response.content.decode()
    assert security_headers(response) == expected


@pytest.fixture
def captured(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def test_a_flood_of_bad_hosts_logs_one_short_line_each_and_no_traceback(captured):
    client = Client(headers={"host": "evil.example"})
    for _ in range(100):
        assert client.get("/").status_code == 400
    refused = [r for r in captured.records if r.name == "django.security.DisallowedHost"]
    assert len(refused) == 100
    assert all(r.exc_info is None and r.exc_text is None for r in captured.records)
    assert "Traceback" not in captured.text
    assert refused[0].getMessage().startswith("Invalid HTTP_HOST header: 'evil.example'.")


def test_a_very_long_bad_host_is_cut_short_in_the_log(captured):
    Client(headers={"host": "a" * 5000 + ".example"}).get("/")
    (line,) = [
        r.getMessage() for r in captured.records if r.name == "django.security.DisallowedHost"
    ]
    assert len(line) == MAX_MESSAGE and line.endswith("\u2026")


def test_a_bad_body_logs_one_line_and_no_traceback(captured, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2000
    client = Client(headers={"host": OUR_HOST})
    client.post(
        "/accounts/login/", "a=" + "x" * 3000, content_type="application/x-www-form-urlencoded"
    )
    client.post("/accounts/login/", "x", content_type="multipart/form-data")
    names = {r.name for r in captured.records if r.levelno >= logging.WARNING}
    assert {"django.security.RequestDataTooBig", "django.request"} <= names
    assert all(r.exc_info is None for r in captured.records)
    assert "Traceback" not in captured.text


def record(status_code: int | None) -> logging.LogRecord:
    try:
        raise ValueError("the cause")
    except ValueError:
        exc_info = sys.exc_info()
    made = logging.LogRecord(
        "django.request", logging.ERROR, __file__, 1, "%s:\n%s", ("Oops", "next line"), exc_info
    )
    if status_code is not None:
        made.status_code = status_code
    return made


def test_the_filter_keeps_the_traceback_of_a_server_error():
    for kept in (record(500), record(None)):
        assert ClientErrorsOnOneLine().filter(kept)
        assert kept.exc_info is not None


def test_the_filter_turns_a_client_error_into_one_line():
    refused = record(400)
    assert ClientErrorsOnOneLine().filter(refused)
    assert refused.exc_info is None
    assert refused.getMessage() == "Oops: next line"
