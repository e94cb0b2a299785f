"""Whole dashboard pages, cached per URL, language and kind of visitor.

Rendering the page around the cached figures (menu, language switch, CSRF
tokens) cost more than everything else a page request does. The page is
therefore rendered once with two holes, the CSRF token and the user name, and
each request fills in its own. The holes are derived from SECRET_KEY, so no
text an editor writes can contain them. A stored page carries the data
version it was made from and is served only while that version holds, so an
import or an edit is visible at once.
"""

import hashlib
from dataclasses import dataclass

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.crypto import salted_hmac
from django.utils.html import escape
from django.utils.translation import get_language

from charts.privacy import threshold_for_members
from migrantportal.figure_cache import PAGE_TIMEOUT_SECONDS, VERSION_KEY, figure_cache_version
from migrantportal.menu import menu_signature

_SALT = "dashboards.frames"
CSRF_HOLE = "csrf-" + salted_hmac(_SALT, "csrf").hexdigest()[:32]
NAME_HOLE = "name-" + salted_hmac(_SALT, "name").hexdigest()[:32]


@dataclass(frozen=True)
class _FrameUser:
    """What the page frame reads of the user, with the name left as a hole."""

    is_authenticated: bool
    is_staff: bool

    def get_username(self) -> str:
        return NAME_HOLE


def frame_key(*, request: HttpRequest) -> str | None:
    """The cache key of this request's page, or None when it must be rendered afresh.

    Only pages whose URL names the municipality are kept: without it, the page
    shows the visitor's own municipality.
    """
    if "municipality" not in request.GET or "format" in request.GET:
        return None
    if len(get_messages(request)):  # a one-off message belongs to this response only
        return None
    visitor = menu_signature(user=request.user)
    # The visitor's kind tells staff (exact numbers, a note on the members' threshold)
    # from the rest (small numbers held back); with the members' threshold named too,
    # a changed setting is never served a page rendered for the old one.
    threshold = threshold_for_members()
    url = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"frame:{visitor}:{get_language()}:members-below-{threshold}:{url}"


def frame_read(key: str) -> tuple[str, str | None]:
    """The current data version and, if rendered for that version, the cached page.

    One round trip to the cache for both, which is most of what a cached page costs.
    """
    values = cache.get_many([VERSION_KEY, key])
    version = values.get(VERSION_KEY) or figure_cache_version()
    stored_version, html = values.get(key, (None, None))
    return version, html if stored_version == version else None


def frame_write(key: str, *, version: str, html: str) -> None:
    cache.set(key, (version, html), timeout=PAGE_TIMEOUT_SECONDS)


def frame_context(*, request: HttpRequest) -> dict:
    """Context entries that render the holes instead of this visitor's token and name."""
    user = request.user
    return {
        "csrf_token": CSRF_HOLE,
        "user": _FrameUser(is_authenticated=user.is_authenticated, is_staff=user.is_staff),
    }


def frame_fill(html: str, *, request: HttpRequest) -> str:
    """The cached page with this request's CSRF token and user name in its holes."""
    name = escape(request.user.get_username()) if request.user.is_authenticated else ""
    return html.replace(CSRF_HOLE, get_token(request)).replace(NAME_HOLE, name)
