"""What a cache holds, whichever backend it is (per-process memory, or Redis with REDIS_URL)."""

import pickle

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache


def cached_values(cache) -> list[str]:
    """Every value in `cache` under this test process's key prefix, as text."""
    if isinstance(cache, LocMemCache):
        return [str(pickle.loads(value)) for value in cache._cache.values()]  # noqa: S301 (ours)
    if isinstance(cache, RedisCache):
        client = cache._cache.get_client()
        keys = client.scan_iter(match=f"{cache.key_prefix}:*", count=1000)
        return [str(cache._cache._serializer.loads(client.get(key))) for key in keys]
    raise TypeError(f"cached_values: {type(cache).__name__} is not a cache used here")
