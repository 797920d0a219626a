"""The cached result body (assessments/page_cache.py): only ever its owner's, never stale, and
gone from every cache, on every host, once the result is deleted.

With REDIS_URL (the PostgreSQL pass of CI) the `pages` cache is Redis: "another host" is a second
cache client of its own on the same Redis, as a second app host would have."""

import re

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client

from assessments import page_cache, rulebook
from clinics.services import share_send
from clinics.share_status import SHARE_STATUS_MARKER
from tests.support.questionnaire import SAFE_ANSWERS, take_assessment

pytestmark = pytest.mark.django_db

needs_redis = pytest.mark.skipif(
    not isinstance(caches["pages"], RedisCache), reason="REDIS_URL is not set"
)


def another_host():
    """The `pages` cache as another app host sees it: its own client, the same Redis."""
    config = settings.CACHES["pages"]
    return RedisCache(config["LOCATION"], {**config, "OPTIONS": config.get("OPTIONS", {})})


def cached_body(cache, assessment) -> str | None:
    entry = cache.get(page_cache.result_body_key(assessment.id))
    return None if entry is None else entry[1]


def shown_in(body: str, page: str) -> bool:
    """Whether the page shows this cached body (its parts around the live panel's marker)."""
    return all(part in page for part in body.split(SHARE_STATUS_MARKER))


def _without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_body_is_kept_for_its_owner_and_served_to_them_from_the_cache(client):
    assessment = take_assessment(client)
    first = client.get(assessment.get_absolute_url()).content.decode()
    body = cached_body(caches["pages"], assessment)
    assert body and "Your result from" in body
    again = client.get(assessment.get_absolute_url()).content.decode()
    assert _without_csrf_tokens(again) == _without_csrf_tokens(first)
    assert shown_in(body, again)


def test_a_body_is_never_shown_to_someone_else(client, someone_else):
    # Different answers, so the two bodies differ.
    mine = take_assessment(client, {**SAFE_ANSWERS, "needle_length": "0_6_to_1_0"})
    client.get(mine.get_absolute_url())  # now cached
    other = Client()
    other.force_login(someone_else)
    response = other.get(mine.get_absolute_url())
    assert response.status_code == 404
    assert not shown_in(cached_body(caches["pages"], mine), response.content.decode())
    # Their own result is theirs, not the body cached for the first person.
    theirs = take_assessment(other)
    page = other.get(theirs.get_absolute_url()).content.decode()
    assert shown_in(cached_body(caches["pages"], theirs), page)
    assert not shown_in(cached_body(caches["pages"], mine), page)


def test_a_deleted_result_is_not_kept_in_the_cache(client):
    assessment = take_assessment(client)
    client.get(assessment.get_absolute_url())
    assert cached_body(caches["pages"], assessment)
    client.post(f"/results/{assessment.id}/delete/")
    assert cached_body(caches["pages"], assessment) is None
    assert client.get(assessment.get_absolute_url()).status_code == 404


@needs_redis
def test_a_deleted_result_is_gone_for_every_host_at_once(client):
    assessment = take_assessment(client)
    client.get(assessment.get_absolute_url())
    other = another_host()
    assert cached_body(other, assessment), "another host reads the same entry"
    client.post(f"/results/{assessment.id}/delete/")
    assert cached_body(other, assessment) is None


@needs_redis
def test_a_body_cached_by_another_host_is_served_here(client):
    assessment = take_assessment(client)
    other = another_host()
    stamp_and_body = (page_cache._stamp(), "<p>rendered by the other host</p>")
    other.set(page_cache.result_body_key(assessment.id), stamp_and_body)
    assert (
        "rendered by the other host" in client.get(assessment.get_absolute_url()).content.decode()
    )


def test_a_body_rendered_for_another_rulebook_or_code_is_rendered_again(client, monkeypatch):
    assessment = take_assessment(client)
    key = page_cache.result_body_key(assessment.id)
    caches["pages"].set(key, (page_cache._stamp(), "<p>STALE BODY</p>"))
    assert "STALE BODY" in client.get(assessment.get_absolute_url()).content.decode()

    monkeypatch.setattr(rulebook, "VERSION", "2099.1")
    assert "STALE BODY" not in client.get(assessment.get_absolute_url()).content.decode()
    monkeypatch.undo()

    caches["pages"].set(key, (page_cache._stamp(), "<p>STALE BODY</p>"))
    monkeypatch.setattr(page_cache, "code_version", lambda: "another-release")
    assert "STALE BODY" not in client.get(assessment.get_absolute_url()).content.decode()


def test_the_keys_change_with_the_rulebook_and_the_code(monkeypatch):
    step_key = page_cache.step_form_key("scalp")
    stamp = page_cache._stamp()
    monkeypatch.setattr(rulebook, "VERSION", "2099.1")
    assert page_cache.step_form_key("scalp") != step_key
    assert page_cache._stamp() != stamp
    monkeypatch.undo()
    monkeypatch.setattr(page_cache, "code_version", lambda: "another-release")
    assert page_cache.step_form_key("scalp") != step_key


def test_the_code_version_follows_the_templates(tmp_path, monkeypatch):
    before = page_cache.code_version()
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "page.html").write_text("one")
    monkeypatch.setattr(settings, "BASE_DIR", tmp_path)
    page_cache.code_version.cache_clear()
    try:
        one = page_cache.code_version()
        (tmp_path / "templates" / "page.html").write_text("two")
        page_cache.code_version.cache_clear()
        assert page_cache.code_version() not in (one, before)
    finally:
        page_cache.code_version.cache_clear()


def test_the_sharing_panel_is_live_beside_a_cached_body(client, clinic):
    assessment = take_assessment(client)
    before = client.get(assessment.get_absolute_url()).content.decode()
    assert cached_body(caches["pages"], assessment)
    assert "North Hair Clinic" not in before
    share_send(
        assessment=assessment,
        clinic=clinic,
        contact={"contact_way": "email", "contact_email": "sam@example.org"},
    )
    assert "North Hair Clinic" in client.get(assessment.get_absolute_url()).content.decode()
    assert "North Hair Clinic" not in cached_body(caches["pages"], assessment)
