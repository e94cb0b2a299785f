"""The dashboards' cache of figure data, and its invalidation.

Pages are cached under a key that includes a data version; every write that
can change a figure (an import, the demo load, an edit in the admin) stores a
new version, so no stale figure is ever served. With several application
servers the cache must be shared (REDIS_URL), or each keeps its own version.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache

VERSION_KEY = "figures:data-version"
PAGE_TIMEOUT_SECONDS = 60 * 60


def figure_cache_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def figure_cache_invalidate() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def figure_cache_get_or_build(
    *, key: str, build: Callable[[], Any], version: str | None = None
) -> Any:
    """The cached value of `key` for the current data version (pass it if already read)."""
    versioned = f"figures:{version or figure_cache_version()}:{key}"
    page = cache.get(versioned)
    if page is None:
        page = build()
        cache.set(versioned, page, timeout=PAGE_TIMEOUT_SECONDS)
    return page
