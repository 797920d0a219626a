"""Django's RedisCache (the cache with REDIS_URL), with one redis-py client per connection pool.

Django makes a new `redis.Redis` on every cache call, and redis-py fills each new client's table
of response callbacks (about 160 entries): some 50 µs a call, one to four calls on a page such
as My assessments (its browser session, its trend chart). A client holds no connection of its
own: each command takes one from the pool and gives it back, and redis-py documents a client
as safe to share between threads. So one client per pool does the same work. The pools are
Django's, made once per process as before.

`get_from_each` reads entries of several caches on the same Redis in one MGET: the result page
reads its browser session and its cached body so (assessments/middleware.py).
"""

from __future__ import annotations

from django.core.cache.backends import redis


class RedisCacheClient(redis.RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))  # the pools live as long as this object
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(redis.RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = RedisCacheClient

    def shares_server_with(self, other) -> bool:
        """Whether `other` is a cache of this class on the same Redis, with the same options (so
        the same serializer): `get_from_each` can read its entries."""
        return (
            isinstance(other, RedisCache)
            and other._servers == self._servers
            and other._options == self._options
        )

    def get_from_each(self, entries: list[tuple[RedisCache, str]]) -> list:
        """The value of each (cache, key), None where there is none, in one round trip to Redis
        (one MGET) instead of one each. Each key is made by its own cache (its prefix, its
        version); every cache must share this one's server (`shares_server_with`)."""
        if not all(self.shares_server_with(cache) for cache, _key in entries):
            raise ValueError("every cache read by get_from_each must share this one's Redis")
        keys = [cache.make_and_validate_key(key) for cache, key in entries]
        found = self._cache.get_many(keys)
        return [found.get(key) for key in keys]
