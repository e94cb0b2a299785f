"""`?format=pdf` on a page: the same page, for the same user, printed to PDF.

`pdf_download` wraps a view. With `format=pdf` it calls the view itself, without
that parameter, so every check the page makes (sign-in, permissions, municipal
scope, public mode, small numbers held back for the reader) is made for the PDF in
the same way; only a page the user may see (200, HTML) is printed. Anything else
the view answers (a redirect to the login page, 403, 404) is answered as it is.

Each PDF is kept in the cache per data version (migrantportal.figure_cache), URL,
language and audience: the visitor's permissions, municipal scope and small-number
threshold, so a PDF printed for staff (exact numbers) never reaches a council
member. Without Chromium, when it fails or times out, or when every slot is taken,
the answer is a page with a Dutch message and status 503, and a log line.
"""

import functools
import hashlib
import logging
import re
from collections.abc import Callable
from html import unescape
from urllib.parse import unquote_plus

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import Resolver404, get_script_prefix, resolve
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from migrantportal.access import user_municipality_ids
from migrantportal.figure_cache import PAGE_TIMEOUT_SECONDS, figure_cache_version
from migrantportal.pdf import PdfError, pdf_from_html

logger = logging.getLogger(__name__)

# Larger PDFs are served but not kept in the cache.
CACHE_LIMIT_BYTES = 8 * 1024 * 1024
RETRY_AFTER_SECONDS = 30

View = Callable[..., HttpResponse]

# What a printed page's layout depends on besides its HTML.
PRINT_ASSETS = ("css/print.css", "js/charts.js")


def pdf_download(*, stem: str) -> Callable[[View], View]:
    """Answer `?format=pdf` with the page printed to `<stem>[-<municipality>].pdf`."""

    def decorator(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.GET.get("format") != "pdf":
                return view(request, *args, **kwargs)
            _drop_format(request)
            version = figure_cache_version()
            response = view(request, *args, **kwargs)
            if response.status_code != 200 or not _is_html(response):
                return response
            key = _cache_key(request, version=version)
            pdf = cache.get(key)
            if pdf is None:
                try:
                    pdf = pdf_from_html(
                        html=html_with_portal_stylesheets(
                            response.content.decode(response.charset)
                        ),
                        page_url=request.build_absolute_uri(),
                    )
                except PdfError as error:
                    logger.warning("PDF of %s not made: %s", request.path, error)
                    return pdf_unavailable(request, reason=error.reason)
                if len(pdf) <= CACHE_LIMIT_BYTES:
                    cache.set(key, pdf, timeout=PAGE_TIMEOUT_SECONDS)
            return _pdf_response(pdf, filename=_filename(request, stem=stem, **kwargs))

        return wrapper

    return decorator


def _drop_format(request: HttpRequest) -> None:
    """The request as the HTML page's: its query string without `format`, the rest as sent."""
    kept = [
        pair
        for pair in request.META.get("QUERY_STRING", "").split("&")
        if pair and unquote_plus(pair.split("=", 1)[0]) != "format"
    ]
    request.META["QUERY_STRING"] = "&".join(kept)
    request.GET = QueryDict(request.META["QUERY_STRING"])


_PORTAL_STYLESHEET = re.compile(r'<link rel="stylesheet" href="(?P<url>/[^"]*)">')
# The stylesheets the portal renders itself that a PDF may carry: the same public colours
# for every visitor, so rendering them without the user's request leaks nothing.
PORTAL_STYLESHEETS = frozenset({"municipality_theme_css"})


def html_with_portal_stylesheets(html: str) -> str:
    """The HTML with the municipality's theme stylesheet (`/thema/<code>.css`, rendered by
    the portal, not a static file) written into the page as a `<style>`.

    Chromium prints without a network, so a PDF would otherwise lose the municipality's
    colours. A theme that does not answer with CSS stays a link, and the PDF then has the
    neutral colours: a PDF is never refused for its colours.
    """

    def inline(match: re.Match) -> str:
        url = unescape(match["url"])
        prefix = get_script_prefix()
        path, _, query = url.removeprefix(prefix.rstrip("/")).partition("?")
        try:
            found = resolve(path)
        except Resolver404:
            return match[0]
        if found.url_name not in PORTAL_STYLESHEETS:
            return match[0]
        stylesheet = HttpRequest()
        stylesheet.method, stylesheet.path = "GET", url.partition("?")[0]
        stylesheet.GET = QueryDict(query)
        try:
            answer = found.func(stylesheet, *found.args, **found.kwargs)
        except Exception:
            logger.exception("PDF: stylesheet %s not rendered; printed with the link", url)
            return match[0]
        if answer.status_code != 200 or not answer.get("Content-Type", "").startswith("text/css"):
            return match[0]
        return f"<style>{answer.content.decode(answer.charset)}</style>"

    return _PORTAL_STYLESHEET.sub(inline, html)


def _is_html(response: HttpResponse) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")


def _cache_key(request: HttpRequest, *, version: str) -> str:
    pairs = sorted((name, value) for name in request.GET for value in request.GET.getlist(name))
    # The PDF's links name the host and scheme it was asked on (pdf_from_html's page_url).
    origin = f"{request.scheme}://{request.get_host()}"
    page = hashlib.sha256(repr((origin, request.path, pairs)).encode()).hexdigest()
    return f"pdf:{version}:{_print_look()}:{get_language()}:{_audience(request)}:{page}"


@functools.cache
def _print_look() -> str:
    """The print stylesheet and chart script as deployed: their manifest names carry a hash
    of their content, so a PDF printed before a change of layout is not served after it."""
    return hashlib.sha256(
        " ".join(staticfiles_storage.url(name) for name in PRINT_ASSETS).encode()
    ).hexdigest()[:16]


def _audience(request: HttpRequest) -> str:
    """What of the user a page may depend on: permissions, scope and threshold."""
    user = request.user
    if not user.is_authenticated:
        return "public"
    scope = user_municipality_ids(user=user)
    facts = (
        user.is_staff,
        user.is_superuser,
        sorted(user.get_all_permissions()),
        None if scope is None else sorted(scope),
        # The small-number threshold: staff see exact numbers, the rest this one
        # (charts.privacy, which this package may not import).
        settings.SMALL_NUMBER_THRESHOLD,
    )
    return hashlib.sha256(repr(facts).encode()).hexdigest()[:32]


def _filename(request: HttpRequest, *, stem: str, **kwargs) -> str:
    parts = [stem, request.GET.get("municipality", ""), *(str(v) for v in kwargs.values())]
    safe = [re.sub(r"[^A-Za-z0-9]", "", part) for part in parts]
    return "-".join(part for part in safe if part) + ".pdf"


def _pdf_response(pdf: bytes, *, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    # The PDF holds what the page holds for this user: not for shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


def pdf_unavailable(request: HttpRequest, *, reason: str) -> HttpResponse:
    """The page a PDF link answers with when no PDF can be made now (503)."""
    if reason == "busy":
        message = _(
            "The server is making other PDFs right now. Try again in half a minute, "
            "or print this page from your browser."
        )
    elif reason == "missing":
        message = _(
            "PDF downloads are not available on this server: the program that makes them "
            "(Chromium) is not installed. Print this page from your browser instead, "
            "and tell the administrator."
        )
    else:
        message = _(
            "The PDF could not be made. Try again later, or print this page from your browser."
        )
    response = render(
        request,
        "message.html",
        {"title": _("No PDF right now"), "message": message},
        status=503,
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
