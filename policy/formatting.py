"""The small safe subset of formatting the audit office may use in its texts.

Texts are Markdown restricted to paragraphs, line breaks, lists, emphasis and
links. HTML typed into a text is shown as text: it is escaped before the
Markdown step, and the result passes an allow-list sanitiser (nh3) as a second
line of defence, so a script or an event handler can never reach a page.
"""

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def text_format(*, text: str) -> SafeString:
    """The text as safe HTML: Markdown's paragraphs, lists and links, nothing else."""
    if not text:
        return mark_safe("")
    html = markdown.markdown(escape(text), extensions=["nl2br", "sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)
