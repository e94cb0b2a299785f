"""The stylesheet of a municipality's theme: its design tokens as CSS custom properties.

A file rather than a `style` attribute or element, so the Content-Security-Policy keeps
styles to the portal's own files. Linked from base.html with the tokens' fingerprint in
the query: that address never changes content, so browsers may keep it for a year. The
themes are read once per data version (registry.selectors.municipality_theme_map).
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

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
    # The same public colours for every visitor: a signed-in one may keep them too
    # (migrantportal.security.PrivatePagesMiddleware).
    response.public_asset = True
    if request.GET.get("v") == tokens.fingerprint():
        response["Cache-Control"] = f"public, max-age={YEAR_SECONDS}, immutable"
    else:
        response["Cache-Control"] = "no-cache"
    return response
