"""Django's Redis cache, keeping one client per connection pool.

Django builds a new `redis.Redis` object for every cache call; that object is
thread-safe and cheap to keep, but costly to build (a sixth of a cached
dashboard request was spent on it). The pools, connections and behaviour stay
Django's own.
"""

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class _ClientReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class ClientReusingRedisCache(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ClientReusingRedisCacheClient
