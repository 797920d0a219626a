"""Bad Host headers sent to a real gunicorn over loopback HTTP (tests/support/live.py)."""

import http.client
import time

import pytest

from tests.security.test_refused_requests import SECURITY_HEADERS
from tests.support.live import HOST, Database, Server

# Starts gunicorn as `make serve` does.
pytestmark = pytest.mark.system


def get(port: int, host: str) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        connection.request("GET", "/", headers={"Host": host})
        response = connection.getresponse()
        response.body = response.read().decode()
        return response
    finally:
        connection.close()


def security_headers(response: http.client.HTTPResponse) -> dict:
    headers = {
        name: response.headers[name] for name in SECURITY_HEADERS if name in response.headers
    }
    # django-csp writes the directives in no fixed order from one process to the next.
    if "Content-Security-Policy" in headers:
        headers["Content-Security-Policy"] = set(headers["Content-Security-Policy"].split("; "))
    return headers


def test_gunicorn_answers_bad_hosts_with_our_headers_and_no_traceback(tmp_path):
    with Server(Database.sqlite(tmp_path), tmp_path, extra_env={"GUNICORN_WORKERS": "1"}) as server:
        server.prepare()
        server.start()
        normal = get(server.port, f"{HOST}:{server.port}")
        assert normal.status == 200
        expected = security_headers(normal)
        assert {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"} <= set(
            expected
        )

        for host in ["evil.example"] * 30 + ["bad host..//", "evil.example:8443"]:
            refused = get(server.port, host)
            assert refused.status == 400
            assert "Sorry, we could not understand that request" in refused.body
            assert security_headers(refused) == expected

        server.stop()  # every log line written
        time.sleep(0.2)
        log = server.log_path.read_text()
    assert "Traceback" not in log
    refused_lines = [line for line in log.splitlines() if "django.security.DisallowedHost" in line]
    assert len(refused_lines) == 32
