"""Dashboard pages from the cache: the whole page, its body, its data and the municipalities.

Each layer is kept under the figures' data version (`migrantportal.figure_cache`),
so an import or an edit is visible as soon as it commits, and each answers
for what the layer below it would cost:

- the whole page (the frame), per URL, language and kind of visitor. Rendering
  the page around the cached figures (menu, language switch, CSRF tokens) cost
  more than everything else a page request does, so it is rendered once with
  two holes, the CSRF token and the user name, and each request fills in its
  own. The holes are derived from SECRET_KEY, so no text an editor writes can
  contain them. A frame is read together with the data version, in one round
  trip, and served only while that version holds.
- the page's body (the template fragment `dashboard` in dashboards/base.html),
  per page, language and small-number threshold, for pages whose frame is not
  kept (the visitor's own municipality, a one-off message).
- the page's data (charts, tables, findings), per page, language and threshold,
  built by the page's selector.
- every municipality with its comparison group, kept in the process: with the
  whole country loaded, reading or unpickling 350 municipalities on every
  request cost more than the page.
"""

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject
from django.utils.html import escape
from django.utils.translation import get_language

from charts.figures import figure_json
from charts.privacy import threshold_for_members
from dashboards.filters import QUERY_PARAMETERS, Filters
from migrantportal.figure_cache import (
    PAGE_TIMEOUT_SECONDS,
    VERSION_KEY,
    figure_cache_get_or_build,
    figure_cache_version,
)
from migrantportal.menu import menu_signature
from registry.models import Municipality

# The salt of the module that first made the holes: frames already in the
# cache keep theirs, and are filled after a deploy as before.
_SALT = "dashboards.frames"
CSRF_HOLE = "csrf-" + salted_hmac(_SALT, "csrf").hexdigest()[:32]
NAME_HOLE = "name-" + salted_hmac(_SALT, "name").hexdigest()[:32]
# Whole pages kept per data version at most (_frame_room).
FRAME_LIMIT = 2000
# The name of the `{% cache %}` fragment around the body in dashboards/base.html.
BODY_FRAGMENT = "dashboard"

MunicipalityIndex = tuple[dict[str, Municipality], dict[str, list[str]]]
_INDEX_BY_VERSION: dict[str, MunicipalityIndex] = {}


def municipality_index(*, version: str | None = None) -> MunicipalityIndex:
    """Every municipality by code, and each one's comparison group as codes.

    Kept in the process for as long as the data version holds (give it if already read).
    """
    version = version or figure_cache_version()
    if version not in _INDEX_BY_VERSION:
        municipalities = {m.code: m for m in Municipality.objects.order_by("name")}
        groups: dict[str, list[str]] = {}
        through = Municipality.comparison_group.through.objects.order_by("pk")
        for source, target in through.values_list(
            "from_municipality__code", "to_municipality__code"
        ):
            groups.setdefault(source, []).append(target)
        _INDEX_BY_VERSION.clear()
        _INDEX_BY_VERSION[version] = (municipalities, groups)
    return _INDEX_BY_VERSION[version]


@dataclass
class PageCache:
    """One request's view of the cached dashboards, all for one data version."""

    request: HttpRequest
    template: str
    version: str
    frame: str | None  # the whole page's key, or None when it is not kept
    _page: object = field(default=None, init=False)
    _body_key: str = field(default="", init=False)

    def municipality_index(self) -> MunicipalityIndex:
        return municipality_index(version=self.version)

    def page(
        self, *, filters: Filters, threshold: int, build: Callable[..., object], now: bool = False
    ) -> object:
        """The page's data, from the cache or `build(filters=…, suppress_below=threshold)`.

        Read or built only when the cached body does not hold it already, or
        `now` (a download), so that a filter the builder refuses raises its
        FilterError here rather than while the template renders.
        """
        # Hashed: a pack with every chart has a query longer than a cache key may be.
        query_hash = hashlib.sha256(filters.as_query().encode()).hexdigest()
        # Apart for each threshold: the exact small numbers staff see never reach a member.
        key = f"{self.template}:{get_language()}:below-{threshold}:{query_hash}"
        page = SimpleLazyObject(
            lambda: figure_cache_get_or_build(
                key=key,
                build=lambda: build(filters=filters, suppress_below=threshold),
                version=self.version,
            )
        )
        self._page, self._body_key = page, f"{self.version}:{key}"
        if now or not _body_cached(self._body_key):
            bool(page)  # evaluates the lazy page
        return page

    def render(self, context: dict) -> HttpResponse:
        """The page from `context` and the data `page()` gave, kept whole when its URL allows."""
        context = context | {
            "page": self._page,
            "fragment_key": self._body_key,
            "page_timeout": PAGE_TIMEOUT_SECONDS,
            # Only the body's template reads them, so only a page whose body is not
            # cached turns its figures into JSON.
            "figures": SimpleLazyObject(lambda: _figures_json(self._page)),
        }
        if self.frame is None:
            return render(self.request, self.template, context)
        html = render_to_string(
            self.template, context | _frame_context(request=self.request), self.request
        )
        if _frame_room(version=self.version):
            cache.set(self.frame, (self.version, html), timeout=PAGE_TIMEOUT_SECONDS)
        return HttpResponse(_frame_fill(html, request=self.request))


View = Callable[..., HttpResponse]


def cached_dashboard(*, template: str) -> Callable[[View], View]:
    """Serve a dashboard view's page from the cache while the data version holds.

    The view is called only when the whole page is not kept, with `page_cache`
    (a PageCache for this request) as a keyword; it ends with
    `page_cache.render(context)`.
    """

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if set(request.GET) - set(QUERY_PARAMETERS):
                return redirect(_canonical_url(request))
            frame = _frame_key(request=request)
            if frame is None:
                # Read once: every cached thing this request uses belongs to this version.
                version = figure_cache_version()
            else:
                version, html = _frame_read(frame)
                if html is not None:
                    return HttpResponse(_frame_fill(html, request=request))
            page_cache = PageCache(request=request, template=template, version=version, frame=frame)
            return view(request, *args, page_cache=page_cache, **kwargs)

        return wrapper

    return decorator


def _body_cached(body_key: str) -> bool:
    # An existence check: the template's cache tag reads the body itself.
    return cache.has_key(make_template_fragment_key(BODY_FRAGMENT, [body_key]))


def _figures_json(page: object) -> dict:
    return {
        f"figure-{chart.id}": figure_json(chart.figure)
        for chart in getattr(page, "charts", [])
        if chart.figure is not None
    }


@dataclass(frozen=True)
class _FrameUser:
    """What the page frame reads of the user, with the name left as a hole."""

    is_authenticated: bool
    is_staff: bool

    def get_username(self) -> str:
        return NAME_HOLE


def _frame_key(*, request: HttpRequest) -> str | None:
    """The cache key of this request's whole page, or None when it must be rendered afresh.

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
    url = hashlib.sha256(_canonical_url(request).encode()).hexdigest()
    return f"frame:{visitor}:{get_language()}:members-below-{threshold}:{url}"


def _canonical_url(request: HttpRequest) -> str:
    """The path with only the documented parameters, in one order, so that neither a
    made-up parameter nor the order of the real ones makes a page of its own."""
    pairs = [(name, value) for name in QUERY_PARAMETERS for value in request.GET.getlist(name)]
    return f"{request.path}?{urlencode(pairs)}" if pairs else request.path


def _frame_room(*, version: str) -> bool:
    """Whether another whole page may be kept for this data version.

    Made-up parameters are redirected away, but free values of real ones (a group,
    a chart to include) could still name endless pages; past FRAME_LIMIT a version
    keeps no more, and those pages are rendered from their cached data instead.
    """
    key = f"frame-count:{version}"
    cache.add(key, 0, timeout=PAGE_TIMEOUT_SECONDS)
    try:
        return cache.incr(key) <= FRAME_LIMIT
    except ValueError:  # the counter was evicted or the cache is away
        return True


def _frame_read(key: str) -> tuple[str, str | None]:
    """The current data version and, if rendered for that version, the kept page."""
    values = cache.get_many([VERSION_KEY, key])
    version = values.get(VERSION_KEY) or figure_cache_version()
    stored_version, html = values.get(key, (None, None))
    return version, html if stored_version == version else None


def _frame_context(*, request: HttpRequest) -> dict:
    """Context entries that render the holes instead of this visitor's token and name."""
    user = request.user
    return {
        "csrf_token": CSRF_HOLE,
        "user": _FrameUser(is_authenticated=user.is_authenticated, is_staff=user.is_staff),
    }


def _frame_fill(html: str, *, request: HttpRequest) -> str:
    """The kept page with this request's CSRF token and user name in its holes."""
    name = escape(request.user.get_username()) if request.user.is_authenticated else ""
    return html.replace(CSRF_HOLE, get_token(request)).replace(NAME_HOLE, name)
