"""assessments/middleware.py: with REDIS_URL, a result page reads its browser session and its
cached body from Redis in one round trip (one MGET), and still shows the body only to those
who may see the result.

The reads are counted with a spy on redis-py's command method: each command still goes to the
real Redis of the PostgreSQL pass."""

import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.test import Client, RequestFactory
from django.urls import set_script_prefix

from assessments import page_cache
from assessments.middleware import ResultBodyReadWithSession, body_entry_read_with_session
from scalpsafe.cached_db_sessions import SessionStore
from scalpsafe.redis_cache import RedisCache
from tests.support.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db

needs_redis = pytest.mark.skipif(
    not isinstance(caches["pages"], RedisCache), reason="REDIS_URL is not set"
)


@pytest.fixture
def redis_reads(monkeypatch):
    """The names of the read commands sent to Redis while the test runs (GET, MGET)."""
    sent = []
    execute = redis.Redis.execute_command

    def spy(self, *args, **options):
        sent.append(str(args[0]).upper())
        return execute(self, *args, **options)

    monkeypatch.setattr(redis.Redis, "execute_command", spy)
    return lambda: [name for name in sent if name in ("GET", "MGET")]


def cached_body(assessment) -> str | None:
    entry = caches["pages"].get(page_cache.result_body_key(assessment.id))
    return None if entry is None else entry[1]


def session_entry_key(client: Client) -> str:
    return client.session.cache_key


@needs_redis
def test_a_result_page_reads_its_session_and_its_body_in_one_round_trip(client, redis_reads):
    assessment = take_assessment(client)
    client.get(assessment.get_absolute_url())  # the body is now in the cache
    before = len(redis_reads())
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    assert redis_reads()[before:] == ["MGET"]
    assert "Your result from" in response.content.decode()


@needs_redis
def test_someone_elses_result_is_a_404_although_its_body_was_read(client, redis_reads):
    mine = take_assessment(client, {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0"})
    client.get(mine.get_absolute_url())
    body = cached_body(mine)
    assert body
    other = Client()
    take_assessment(other)  # a browser session of their own, read with the body below
    before = len(redis_reads())
    response = other.get(mine.get_absolute_url())
    assert response.status_code == 404
    assert redis_reads()[before:] == ["MGET"]  # their session and my body were read at once
    assert "Your result from" not in response.content.decode()


@needs_redis
def test_a_session_gone_from_redis_is_read_from_the_database(client):
    assessment = take_assessment(client)
    client.get(assessment.get_absolute_url())
    sessions = caches[settings.SESSION_CACHE_ALIAS]
    key = session_entry_key(client)
    sessions.delete(key)
    response = client.get(assessment.get_absolute_url())
    assert response.status_code == 200
    assert "Your result from" in response.content.decode()
    assert sessions.get(key) is not None  # read from the database, and kept in Redis again


@needs_redis
def test_a_body_gone_from_the_cache_is_rendered_and_kept_again(client, redis_reads):
    assessment = take_assessment(client)
    client.get(assessment.get_absolute_url())
    caches["pages"].delete(page_cache.result_body_key(assessment.id))
    before = len(redis_reads())
    response = client.get(assessment.get_absolute_url())
    assert redis_reads()[before:] == ["MGET"], "known to be missing: not read again"
    assert response.status_code == 200
    assert "Your result from" in response.content.decode()
    assert cached_body(assessment)


@needs_redis
def test_a_body_read_with_the_session_is_still_checked_against_the_code_and_rulebook(client):
    assessment = take_assessment(client)
    key = page_cache.result_body_key(assessment.id)
    caches["pages"].set(key, ("another release's stamp", "<p>STALE BODY</p>"))
    page = client.get(assessment.get_absolute_url()).content.decode()
    assert "STALE BODY" not in page
    assert "Your result from" in page


@pytest.mark.parametrize("method", ["get", "head"])
def test_a_made_up_session_cookie_is_a_404_not_an_error(client, method):
    owner = Client()
    assessment = take_assessment(owner)
    owner.get(assessment.get_absolute_url())
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session-0123456789"
    assert getattr(client, method)(assessment.get_absolute_url()).status_code == 404


@needs_redis
def test_a_head_request_of_a_result_page_reads_as_its_get(client, redis_reads):
    assessment = take_assessment(client)
    got = client.get(assessment.get_absolute_url())
    before = len(redis_reads())
    head = client.head(assessment.get_absolute_url())
    assert redis_reads()[before:] == ["MGET"]
    assert head.status_code == got.status_code == 200
    assert head["Content-Type"] == got["Content-Type"]


@needs_redis
def test_a_session_read_with_the_body_and_then_ended_by_its_lifetime_is_a_404(client):
    assessment = take_assessment(client)
    client.get(assessment.get_absolute_url())
    session = client.session
    session["scalpsafe_started_at"] = 1  # long past the 12 hours (browser_session_lifetime.py)
    session.save()
    assert client.get(assessment.get_absolute_url()).status_code == 404


@needs_redis
def test_nothing_is_read_early_from_a_cache_on_another_redis(client):
    assessment = take_assessment(client)
    elsewhere = RedisCache("redis://127.0.0.1:1/0", {})
    session = SessionStore(client.cookies[settings.SESSION_COOKIE_NAME].value)
    assert session.load_with(elsewhere, page_cache.result_body_key(assessment.id)) == (False, None)
    assert session["scalpsafe_started_at"]  # read as before, by load()


def test_an_entry_is_only_ever_given_for_the_result_it_was_read_for_and_once():
    one, two = take_assessment(Client()), take_assessment(Client())
    request = RequestFactory().get(one.get_absolute_url())
    assert body_entry_read_with_session(request, one.id) is page_cache.NOT_READ
    for asked, given in [(one.id, ("stamp", "<p>one</p>")), (two.id, page_cache.NOT_READ)]:
        request._result_body_entry = (one.id, ("stamp", "<p>one</p>"))
        assert body_entry_read_with_session(request, asked) == given
        assert body_entry_read_with_session(request, one.id) is page_cache.NOT_READ  # taken
    request._result_body_entry = (one.id, None)  # read: nothing there
    assert body_entry_read_with_session(request, one.id) is None


@needs_redis
def test_a_session_already_read_is_not_read_again(client):
    assessment = take_assessment(client)
    client.get(assessment.get_absolute_url())
    session = client.session
    session["unsaved"] = "kept"
    key = page_cache.result_body_key(assessment.id)
    assert session.load_with(caches["pages"], key) == (False, None)
    assert session["unsaved"] == "kept"


def test_the_middleware_is_left_out_without_redis_sessions():
    # With REDIS_URL, sessions are cached_db in Redis (settings.py); without it, in the database.
    def get_response(request):
        return None

    if isinstance(caches[settings.SESSION_CACHE_ALIAS], RedisCache):
        assert ResultBodyReadWithSession(get_response).get_response is get_response
    else:
        with pytest.raises(MiddlewareNotUsed):
            ResultBodyReadWithSession(get_response)


RESULT_ID = "3f2b8c1e-4d5a-4b6c-8d7e-9f0a1b2c3d4e"


@pytest.mark.parametrize(
    ("method", "path", "shows"),
    [
        ("get", f"/results/{RESULT_ID}/", True),
        ("head", f"/results/{RESULT_ID}/", True),
        ("post", f"/results/{RESULT_ID}/", False),
        ("get", f"/results/{RESULT_ID.upper()}/", False),  # not a path Django's converter takes
        ("get", f"/results/{RESULT_ID.replace('-', '')}/", False),
        ("get", f"/results/{RESULT_ID}/delete/", False),
        ("get", f"/results/{RESULT_ID}", False),
        ("get", "/results//", False),
        ("get", "/results/not-an-id/", False),
        ("get", "/my/assessments/", False),
        ("get", "/", False),
    ],
)
def test_only_a_result_pages_address_is_read_with_the_session(settings, method, path, shows):
    settings.SESSION_ENGINE = "scalpsafe.cached_db_sessions"  # the middleware is used with it
    middleware = ResultBodyReadWithSession(lambda request: None)
    request = getattr(RequestFactory(), method)(path)
    expected = uuid.UUID(RESULT_ID) if shows else None
    assert middleware._result_page_of(request) == expected


def test_a_site_under_a_sub_path_is_told_apart_the_same(settings):
    settings.SESSION_ENGINE = "scalpsafe.cached_db_sessions"
    middleware = ResultBodyReadWithSession(lambda request: None)
    request = RequestFactory().get(f"/results/{RESULT_ID}/", SCRIPT_NAME="/sub")
    assert request.path_info == f"/results/{RESULT_ID}/"
    try:
        set_script_prefix("/sub/")  # as Django's handler does for that request
        assert middleware._result_page_of(request) == uuid.UUID(RESULT_ID)
    finally:
        set_script_prefix("/")
