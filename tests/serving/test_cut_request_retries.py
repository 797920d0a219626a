"""The simulated browser of the load test and `make cluster` (tests/support/live.py `Browser`):
a request cut off (a dropped connection, a proxy's 502) is sent again only when retries are
allowed, as a person would press reload; anything else is answered as it came.

Against a tiny loopback HTTP server whose first answers are scripted: no Django, no gunicorn.
"""

import http.client
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.support.live import Browser


class Scripted(BaseHTTPRequestHandler):
    """Answers each request with the next scripted status ("drop": close without answering),
    then 200 once the script is used up."""

    script: list = []
    seen: list = []

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode() if length else ""
        self.seen.append((self.command, body))
        status = self.script.pop(0) if self.script else 200
        if status == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return
        self.send_response(status)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    do_GET = do_POST = _answer  # noqa: N815 (http.server's names)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server():
    Scripted.script, Scripted.seen = [], []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_it_sends_a_post_cut_by_the_proxy_again_with_the_same_form(server):
    Scripted.script = [502]
    browser = Browser(server, retries=3)
    browser.csrf_form_token = "token"

    response = browser.post("/assessment/review/", {"submission": "one-id"})

    assert response.status == 200
    assert browser.cut_retried == Counter({"POST HTTP 502": 1})
    assert [body for _, body in Scripted.seen] == [
        "submission=one-id&csrfmiddlewaretoken=token"
    ] * 2


def test_it_sends_a_request_again_after_a_dropped_connection(server):
    Scripted.script = ["drop", 504]
    browser = Browser(server, retries=3)

    assert browser.get("/").status == 200
    assert sum(browser.cut_retried.values()) == 2
    assert len(Scripted.seen) == 3


def test_it_never_retries_without_being_allowed_to(server):
    Scripted.script = [502]
    browser = Browser(server)

    assert browser.get("/").status == 502
    assert not browser.cut_retried
    assert len(Scripted.seen) == 1


def test_it_gives_up_after_its_retries(server):
    Scripted.script = ["drop", "drop", "drop"]
    browser = Browser(server, retries=2)

    with pytest.raises((OSError, http.client.HTTPException)):
        browser.get("/")
    assert len(Scripted.seen) == 3


def test_it_answers_an_application_error_as_it_came(server):
    Scripted.script = [500, 503]
    browser = Browser(server, retries=3)

    assert browser.get("/").status == 500
    assert browser.get("/").status == 503
    assert not browser.cut_retried
