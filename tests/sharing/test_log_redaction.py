"""A private link's token is never written to a log: Django's, our security events, gunicorn's."""

import logging
import secrets
import time
import urllib.error
import urllib.request
from types import SimpleNamespace

import pytest
from django.test import Client, RequestFactory

from clinics.log_redaction import RedactingGunicornLogger, RedactPrivateLinks, redact
from clinics.private_links import private_link_create
from tests.serving.test_gunicorn import served  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def capture(caplog):
    caplog.set_level(logging.DEBUG)


def everything_logged(caplog) -> str:
    return "\n".join(
        f"{record.getMessage()} {getattr(getattr(record, 'request', None), 'path', '')}"
        for record in caplog.records
    )


def test_redact_hides_the_segment_after_r():
    token = secrets.token_urlsafe(32)
    assert redact(f"Not Found: /r/{token}/") == "Not Found: /r/\u2026/"
    assert (
        redact(f"GET https://example.org/r/{token}/?x=1") == "GET https://example.org/r/\u2026/?x=1"
    )
    assert redact("/results/abc/send/") == "/results/abc/send/"


def test_opening_a_link_logs_no_token(client, anonymous_result, caplog):
    token = private_link_create(assessment=anonymous_result)
    unknown = secrets.token_urlsafe(32)
    client.get(f"/r/{token}/")
    client.get(f"/r/{unknown}/")  # 404: Django's "Not Found" warning and our security event
    client.post(f"/r/{token}/")  # 405: Django's "Method Not Allowed" warning
    Client(enforce_csrf_checks=True).post(f"/r/{unknown}/")  # the CSRF warning and event
    client.get(f"/r/{token}")  # the redirect that adds the slash
    logged = everything_logged(caplog)
    assert "Not Found: /r/\u2026/" in logged
    assert "private_link_not_found" in logged
    assert "csrf_failure" in logged
    assert token not in logged and unknown not in logged
    assert token not in caplog.text and unknown not in caplog.text


def test_the_filter_redacts_the_message_its_arguments_and_the_request():
    token = secrets.token_urlsafe(32)
    request = RequestFactory().get(f"/r/{token}/", HTTP_REFERER=f"http://x/r/{token}/")
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "%s: %s", ("Not Found", request.path), None
    )
    record.request = request
    assert RedactPrivateLinks().filter(record) is True
    assert record.getMessage() == "Not Found: /r/\u2026/"
    assert token not in record.request.path and token not in record.request.META["PATH_INFO"]
    assert token not in record.request.META["HTTP_REFERER"]
    assert token in request.path, "the live request itself is not changed"


def test_the_console_handler_and_the_request_loggers_have_the_filter():
    root_filters = [type(f) for handler in logging.getLogger().handlers for f in handler.filters]
    assert RedactPrivateLinks in root_filters
    for name in ("django.request", "django.security.csrf", "scalpsafe.security"):
        assert RedactPrivateLinks in [type(f) for f in logging.getLogger(name).filters], name


def test_the_gunicorn_logger_redacts_every_atom():
    from gunicorn.config import Config

    token = secrets.token_urlsafe(32)
    logger = RedactingGunicornLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/r/{token}/",
        "PATH_INFO": f"/r/{token}/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "HTTP_REFERER": f"https://example.org/r/{token}/",
    }
    response = SimpleNamespace(status="302 Found", headers=[], sent=0)
    request = SimpleNamespace(headers=[("REFERER", f"https://example.org/r/{token}/")])
    atoms = logger.atoms(response, request, environ, SimpleNamespace(seconds=0, microseconds=1))
    assert token not in str(atoms)
    assert atoms["U"] == "/r/\u2026/"


@pytest.mark.system
def test_gunicorn_writes_no_token_to_its_access_log(served):  # noqa: F811 (the fixture)
    base, log = served
    token = secrets.token_urlsafe(32)
    for path in (f"/r/{token}/", f"/r/{token}"):
        try:
            urllib.request.urlopen(f"{base}{path}", timeout=10)
        except urllib.error.HTTPError as error:
            assert error.code in (301, 404)
    time.sleep(0.3)
    written = log.read_text()
    assert '"GET /r/\u2026/ HTTP/1.1" 404' in written
    assert token not in written


def test_runservers_access_log_writes_no_token(caplog):
    """`make run` serves with runserver, whose access log is the django.server logger with a
    handler of its own: the line it writes, written the way it writes it."""
    from django.core.servers.basehttp import WSGIRequestHandler

    token = secrets.token_urlsafe(32)
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.requestline = f"GET /r/{token}/ HTTP/1.1"
    handler.request_version = "HTTP/1.1"
    handler.command = "GET"
    handler.client_address = ("127.0.0.1", 50000)
    handler.request = None

    handler.log_request(302, 0)

    lines = [r.getMessage() for r in caplog.records if r.name == "django.server"]
    assert lines and all(token not in line for line in lines)
    assert "/r/\u2026/" in lines[0]
