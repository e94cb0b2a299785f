"""`{% municipality_theme code as theme %}`: the design tokens and stylesheet of a page's
municipality, or the neutral default where the page names none."""

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from registry.models.themes import ThemeTokens
from registry.selectors import municipality_theme_tokens

register = template.Library()


@dataclass(frozen=True)
class PageTheme:
    tokens: ThemeTokens
    stylesheet: str


@register.simple_tag
def municipality_theme(code: str | None = None) -> PageTheme:
    tokens = municipality_theme_tokens(code=code)
    # The tokens' fingerprint in the address: browsers keep the file until the theme changes.
    query = urlencode({"v": tokens.fingerprint()})
    url = reverse("municipality_theme_css", kwargs={"code": tokens.code})
    return PageTheme(tokens=tokens, stylesheet=f"{url}?{query}")
