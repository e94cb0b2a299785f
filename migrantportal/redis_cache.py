"""Django's Redis cache, kept as a cache: when Redis goes away the portal goes on.

Two changes to Django's own backend, whose pools, connections and behaviour stay:

- One client per connection pool. Django builds a new `redis.Redis` object for every
  cache call; that object is thread-safe and cheap to keep, but costly to build (a
  sixth of a cached dashboard request was spent on it).
- Failures are misses. A read that fails returns nothing, a write that fails is
  dropped, and for `RETRY_SECONDS` after a failure the cache is not asked at all, so a
  Redis that hangs costs one socket timeout, not one per call. A write that was dropped
  may have been an invalidation (a new data version after an import, a user whose
  permissions changed), so once Redis answers again this process empties the portal's
  Redis database before it reads from it: nothing cached before the last change is
  served. Sessions are written to the database too (`cached_db`), so nobody is logged
  out; an upload waiting for confirmation is lost and the clerk uploads it again.
"""

import logging
import threading
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import RedisError

logger = logging.getLogger("migrantportal.cache")

RETRY_SECONDS = 5.0
# Operations that change what the cache holds; losing one may leave stale entries.
WRITES = frozenset({"add", "set", "set_many", "touch", "delete", "delete_many", "incr", "clear"})


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


class _Outage:
    """Whether Redis is taken to be down, and whether a write was lost meanwhile."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.lost_write = False

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def record(self, operation: str, error: Exception) -> None:
        with self.lock:
            if not self.is_down():
                logger.warning(
                    "Redis cache unavailable; serving without it for %ss: %s",
                    RETRY_SECONDS,
                    error,
                    extra={"event": "cache_down"},
                )
            self.down_until = time.monotonic() + RETRY_SECONDS
            self.lost_write = self.lost_write or operation in WRITES


class ClientReusingRedisCache(RedisCache):
    """The portal's cache backend (settings.CACHES with REDIS_URL)."""

    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._class = _ClientReusingRedisCacheClient
        self._outage = _Outage()

    def _call(self, operation: str, fallback, *args, **kwargs):
        if self._outage.is_down():
            if operation in WRITES:
                self._outage.lost_write = True
            return fallback
        try:
            if self._outage.lost_write:
                self._empty_after_outage()
            return getattr(super(), operation)(*args, **kwargs)
        except (RedisError, OSError) as error:
            self._outage.record(operation, error)
            return fallback

    def _empty_after_outage(self) -> None:
        super().clear()
        self._outage.lost_write = False
        logger.warning(
            "Redis cache answers again; emptied it, since writes were lost while it was down",
            extra={"event": "cache_emptied"},
        )

    def ping(self) -> bool:
        """Whether Redis answers now, asked directly (for the readiness check)."""
        try:
            return bool(self._cache.get_client().ping())
        except (RedisError, OSError):
            return False

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("add", False, key, value, timeout, version=version)

    def get(self, key, default=None, version=None):
        return self._call("get", default, key, default, version=version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set", None, key, value, timeout, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", False, key, timeout, version=version)

    def delete(self, key, version=None):
        return self._call("delete", False, key, version=version)

    def get_many(self, keys, version=None):
        return self._call("get_many", {}, keys, version=version)

    def has_key(self, key, version=None):
        return self._call("has_key", False, key, version=version)

    def incr(self, key, delta=1, version=None):
        result = self._call("incr", None, key, delta, version=version)
        if result is None:
            # As Django's backends do for a key they do not hold.
            raise ValueError(f"Key '{key}' not found")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("set_many", list(data), data, timeout, version=version) or []

    def delete_many(self, keys, version=None):
        return self._call("delete_many", None, keys, version=version)

    def clear(self):
        return self._call("clear", False)
