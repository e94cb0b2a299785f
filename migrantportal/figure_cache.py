"""The figures' data version, and the one way to renew it.

Everything the dashboards cache (figure data, rendered page bodies, whole
pages, the municipalities kept in each process) is stored under the data
version, so renewing it makes all of it stale at once. Every write that can
change a figure (an import, the demo load, an edit in the admin or on the
editing desk, the follow-up of a recommendation) calls
`figure_cache_invalidate`. With several application servers the cache must be
shared (REDIS_URL), or each keeps its own version.

The version's key names LOOK_VERSION, so a deploy that changes how figures or
pages look starts a new version too, and nothing drawn in the older look is served.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

# Bumped with any change to the look of the figures or of a page the cache keeps whole.
LOOK_VERSION = "look-4"
VERSION_KEY = f"figures:data-version:{LOOK_VERSION}"
PAGE_TIMEOUT_SECONDS = 60 * 60


def figure_cache_version() -> str:
    return cache.get_or_set(VERSION_KEY, lambda: uuid.uuid4().hex, timeout=None)


def figure_cache_invalidate() -> None:
    """Renew the data version when the current transaction commits; at once outside one.

    Not before the commit: a page built meanwhile from the rows as they were
    would be kept under the new version and served as current until the next
    change. A transaction that rolls back changed nothing, so it renews nothing.
    """
    transaction.on_commit(_version_renew)


def _version_renew() -> None:
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
