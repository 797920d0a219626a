"""scalpsafe/redis_cache.py: Django's RedisCache with one redis-py client per connection pool."""

import threading

import pytest
from django.core.cache import caches

from scalpsafe.redis_cache import RedisCache

needs_redis = pytest.mark.skipif(
    not isinstance(caches["default"], RedisCache), reason="REDIS_URL is not set"
)


@needs_redis
@pytest.mark.parametrize("alias", ["default", "pages"])
def test_each_cache_call_uses_the_same_client(alias):
    client = caches[alias]._cache
    assert client.get_client() is client.get_client()
    assert client.get_client(write=True) is client.get_client()


@needs_redis
def test_it_reads_writes_and_deletes_as_before():
    cache = caches["default"]
    cache.set("redis-cache-test", {"a": 1}, 30)
    assert cache.get("redis-cache-test") == {"a": 1}
    cache.delete("redis-cache-counter")
    assert cache.add("redis-cache-counter", 1)
    assert cache.incr("redis-cache-counter") == 2
    cache.set_many({"redis-cache-x": 1, "redis-cache-y": 2})
    assert cache.get_many(["redis-cache-x", "redis-cache-y"]) == {
        "redis-cache-x": 1,
        "redis-cache-y": 2,
    }
    cache.delete_many(["redis-cache-test", "redis-cache-counter", "redis-cache-x", "redis-cache-y"])
    assert cache.get("redis-cache-test") is None


@needs_redis
def test_threads_share_the_client_safely():
    cache, errors = caches["default"], []

    def work(number: int) -> None:
        try:
            for i in range(200):
                key = f"redis-cache-thread-{number}-{i % 5}"
                cache.set(key, (number, i), 30)
                assert cache.get(key) == (number, i)
        except Exception as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    cache.delete_many([f"redis-cache-thread-{n}-{i}" for n in range(8) for i in range(5)])


@needs_redis
def test_get_from_each_reads_entries_of_several_caches_on_one_redis_at_once():
    default, pages = caches["default"], caches["pages"]
    default.set("redis-cache-each", "from default", 30)
    pages.set("redis-cache-each", ("from", "pages"), 30)
    entries = [(default, "redis-cache-each"), (pages, "redis-cache-each"), (pages, "absent")]
    assert default.get_from_each(entries) == ["from default", ("from", "pages"), None]
    default.delete("redis-cache-each")
    pages.delete("redis-cache-each")


@needs_redis
def test_get_from_each_refuses_a_cache_on_another_server():
    default = caches["default"]
    elsewhere = RedisCache("redis://127.0.0.1:1/0", {})
    assert not default.shares_server_with(elsewhere)
    assert not default.shares_server_with(caches["forms"])
    with pytest.raises(ValueError, match="share this one's Redis"):
        default.get_from_each([(elsewhere, "key")])
