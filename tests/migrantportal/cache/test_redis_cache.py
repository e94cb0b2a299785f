"""The Redis cache backend that keeps its client (migrantportal/redis_cache.py)."""

import os
import socket
import uuid

import pytest

from migrantportal.redis_cache import ClientReusingRedisCache

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


def _redis_answers() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(
    not _redis_answers() and not os.environ.get("CI"),
    reason="no Redis on 127.0.0.1:6379 (CI has one)",
)


@pytest.fixture
def redis_cache():
    return ClientReusingRedisCache(REDIS_URL, {"KEY_PREFIX": f"test-{uuid.uuid4().hex}"})


def test_the_cache_keeps_one_client_for_its_server(redis_cache):
    assert redis_cache._cache.get_client() is redis_cache._cache.get_client(write=True)


def test_the_cache_stores_and_returns_values(redis_cache):
    redis_cache.set("page", ("version", "<p>x</p>"), timeout=5)

    assert redis_cache.get_many(["page", "missing"]) == {"page": ("version", "<p>x</p>")}
