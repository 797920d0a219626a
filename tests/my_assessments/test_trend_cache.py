"""The cached trend chart of My assessments (assessments/page_cache.py): only ever its owner's,
drawn again as soon as any assessment or check it shows is added, changed or deleted, and gone
from every cache, on every host, once one is deleted.

With REDIS_URL (the PostgreSQL pass of CI) the `pages` cache is Redis: "another host" is a second
cache client of its own on the same Redis, as a second app host would have."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.test import Client
from django.urls import reverse

from assessments import page_cache
from assessments.models import Assessment
from assessments.my_assessments import _TrendInputs
from assessments.services import account_delete
from roller_sessions.models import Check
from tests.support import sessions as s
from tests.support.assessments import save_daily_assessments

pytestmark = pytest.mark.django_db

MINE = reverse("assessments:mine")

needs_redis = pytest.mark.skipif(
    not isinstance(caches["pages"], RedisCache), reason="REDIS_URL is not set"
)


def another_host():
    """The `pages` cache as another app host sees it: its own client, the same Redis."""
    config = settings.CACHES["pages"]
    return RedisCache(config["LOCATION"], {**config, "OPTIONS": config.get("OPTIONS", {})})


def cached_chart(cache, person) -> str | None:
    entry = cache.get(page_cache.trend_chart_key(person.pk))
    return None if entry is None else entry[1]


def chart_of(page: str) -> str:
    """The chart's figure and its table for screen readers, as the page shows them."""
    return re.search(r'<figure class="trend">.*?</table>', page, re.S).group(0)


def marks(page: str) -> int:
    return len(re.findall(r'class="mark mark-(?!check)', chart_of(page)))


def _without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def history(owner):
    """Ten assessments, one a day, and a session with its check before and a check-in."""
    assessments = save_daily_assessments(owner, 10)
    session = s.take_and_log(owner, on=s.days_from_today(-3))
    s.take_checkin(session, 1)
    return assessments, session


def test_the_chart_is_kept_and_the_page_from_the_cache_is_the_same(owner_client, owner, history):
    first = owner_client.get(MINE).text
    assert "Since last time" in cached_chart(caches["pages"], owner)
    assert chart_of(first) in cached_chart(caches["pages"], owner)
    again = owner_client.get(MINE).text
    assert _without_csrf_tokens(again) == _without_csrf_tokens(first)


def test_the_page_shows_the_cached_chart_only_for_exactly_the_same_rows(
    owner_client, owner, history
):
    owner_client.get(MINE)
    key = page_cache.trend_chart_key(owner.pk)
    stamp, _html = caches["pages"].get(key)
    caches["pages"].set(key, (stamp, '<figure class="trend">FROM THE CACHE</figure></table>'))
    assert "FROM THE CACHE" in owner_client.get(MINE).text
    Assessment.objects.filter(pk=history[0][0].pk).update(points=9)
    page = owner_client.get(MINE).text
    assert "FROM THE CACHE" not in page and marks(page) == 10


def test_a_chart_is_never_shown_to_someone_else(owner_client, owner, someone_else, history):
    mine = chart_of(owner_client.get(MINE).text)
    save_daily_assessments(someone_else, 3)
    other = Client()
    other.force_login(someone_else)
    theirs = other.get(MINE).text
    assert mine not in theirs and marks(theirs) == 3
    assert cached_chart(caches["pages"], someone_else) != cached_chart(caches["pages"], owner)


def test_adding_changing_or_deleting_an_assessment_or_a_check_changes_the_inputs(owner, history):
    assessments, session = history
    seen = [_TrendInputs.of(owner)]

    def changed() -> bool:
        seen.append(_TrendInputs.of(owner))
        return seen[-1] != seen[-2]

    assert not changed(), "the same rows read twice are the same inputs"
    save_daily_assessments(owner, 1)
    assert changed(), "an assessment added"
    Assessment.objects.filter(pk=assessments[0].pk).update(points=assessments[0].points + 1)
    assert changed(), "its points changed"
    Assessment.objects.filter(pk=assessments[0].pk).update(level="high")
    assert changed(), "its level changed"
    Assessment.objects.filter(pk=assessments[0].pk).update(hard_stop=True)
    assert changed(), "a reason to stop"
    Assessment.objects.filter(pk=assessments[1].pk).update(rulebook_version="2000.1")
    assert changed(), "its rulebook version changed"
    Assessment.objects.filter(pk=assessments[1].pk).update(
        created_at=assessments[1].created_at + timedelta(seconds=1)
    )
    assert changed(), "its time changed"
    newest = Assessment.objects.filter(owner=owner).first()
    Assessment.objects.filter(pk=newest.pk).update(factors=[*newest.factors, {"rule_id": "X"}])
    assert changed(), "the newest one's factors changed (since last time)"
    check = Check.objects.filter(owner=owner).first()
    Check.objects.filter(pk=check.pk).update(points=check.points + 1)
    assert changed(), "a check's points changed"
    Check.objects.filter(pk=check.pk).update(kind="checkin" if check.kind == "before" else "before")
    assert changed(), "a check's kind changed"
    s.take_checkin(session, 3)
    assert changed(), "a check added"
    Check.objects.filter(pk=check.pk).delete()
    assert changed(), "a check deleted"
    Assessment.objects.filter(pk=assessments[2].pk).delete()
    assert changed(), "an assessment deleted"
    assert seen[-1].assessments and seen[-1].checks


def test_an_added_or_deleted_assessment_is_drawn_at_once(owner_client, owner, history):
    assert marks(owner_client.get(MINE).text) == 10
    save_daily_assessments(owner, 1)
    assert marks(owner_client.get(MINE).text) == 11
    deleted = history[0][3]
    owner_client.post(reverse("assessments:delete", args=[deleted.id]))
    page = owner_client.get(MINE).text
    assert marks(page) == 10 and "10 assessments from" in page


def test_deleting_an_assessment_deletes_the_chart_from_the_cache(owner_client, owner, history):
    owner_client.get(MINE)
    assert cached_chart(caches["pages"], owner)
    owner_client.post(reverse("assessments:delete", args=[history[0][5].id]))
    assert cached_chart(caches["pages"], owner) is None


def test_deleting_a_session_deletes_the_chart_and_its_checks_leave_it(owner_client, owner, history):
    assert chart_of(owner_client.get(MINE).text).count("mark-check") == 2
    assert cached_chart(caches["pages"], owner)
    owner_client.post(reverse("roller_sessions:session_delete", args=[history[1].id]))
    assert cached_chart(caches["pages"], owner) is None
    page = owner_client.get(MINE).text
    assert "mark-check" not in chart_of(page) and "Check-in" not in chart_of(page)


def test_deleting_the_account_deletes_the_chart(owner_client, owner, history):
    owner_client.get(MINE)
    account_delete(user=owner)
    assert cached_chart(caches["pages"], owner) is None


def test_a_chart_drawn_by_other_code_or_for_another_rulebook_is_drawn_again(
    owner_client, owner, history, monkeypatch
):
    owner_client.get(MINE)
    key = page_cache.trend_chart_key(owner.pk)
    stamp, _html = caches["pages"].get(key)
    caches["pages"].set(key, (stamp, '<figure class="trend">STALE</figure></table>'))
    monkeypatch.setattr(page_cache.rulebook, "VERSION", "1999.1")
    assert "STALE" not in owner_client.get(MINE).text
    monkeypatch.undo()
    caches["pages"].set(key, (stamp, '<figure class="trend">STALE</figure></table>'))
    page_cache.code_version.cache_clear()
    monkeypatch.setattr(page_cache, "code_version", lambda: "another-release")
    assert "STALE" not in owner_client.get(MINE).text


@needs_redis
def test_a_deleted_assessment_leaves_every_host_at_once(owner_client, owner, history):
    owner_client.get(MINE)
    other = another_host()
    assert cached_chart(other, owner), "another host reads the same entry"
    owner_client.post(reverse("assessments:delete", args=[history[0][4].id]))
    assert cached_chart(other, owner) is None


@needs_redis
def test_a_deleted_session_leaves_every_host_at_once(owner_client, owner, history):
    owner_client.get(MINE)
    other = another_host()
    assert cached_chart(other, owner)
    owner_client.post(reverse("roller_sessions:session_delete", args=[history[1].id]))
    assert cached_chart(other, owner) is None


@needs_redis
def test_a_chart_cached_by_another_host_is_served_here_only_for_the_same_rows(
    owner_client, owner, history
):
    owner_client.get(MINE)
    other = another_host()
    key = page_cache.trend_chart_key(owner.pk)
    stamp, _html = other.get(key)
    other.set(key, (stamp, '<figure class="trend">FROM THE OTHER HOST</figure></table>'))
    assert "FROM THE OTHER HOST" in owner_client.get(MINE).text
    save_daily_assessments(owner, 1)
    assert "FROM THE OTHER HOST" not in owner_client.get(MINE).text
