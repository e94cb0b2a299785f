"""The stylesheet of a municipality's theme: its design tokens as CSS custom properties.

A file rather than a `style` attribute or element, so the Content-Security-Policy keeps
styles to the portal's own files. Linked from base.html with the data version in the
query: that address never changes content, so browsers may keep it for a year.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from migrantportal.figure_cache import figure_cache_version
from registry.models.themes import DEFAULT_THEME
from registry.selectors import municipality_theme_map

YEAR_SECONDS = 365 * 24 * 60 * 60


@require_GET
def theme_stylesheet(request: HttpRequest, code: str) -> HttpResponse:
    tokens = DEFAULT_THEME if code == DEFAULT_THEME.code else municipality_theme_map().get(code)
    if tokens is None:
        raise Http404("No theme for this municipality.")
    response = HttpResponse(
        render_to_string("theme.css", {"theme": tokens}), content_type="text/css; charset=utf-8"
    )
    if request.GET.get("v") == figure_cache_version():
        response["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response
