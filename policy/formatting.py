"""The small safe subset of formatting the audit office may use in its texts.

Texts are Markdown restricted to paragraphs, line breaks, lists, emphasis and
links. HTML typed into a text is shown as text: it is escaped before the
Markdown step, and the result passes an allow-list sanitiser (nh3) as a second
line of defence, so a script or an event handler can never reach a page.
"""

import threading

import markdown
import nh3
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}

# One Markdown converter per thread, reset before each text: making one per text
# (what `markdown.markdown` does) cost more than converting it, and the policy
# matrix formats some forty texts. A converter is not safe to share between threads.
_converters = threading.local()


def _markdown(text: str) -> str:
    converter = getattr(_converters, "markdown", None)
    if converter is None:
        converter = _converters.markdown = markdown.Markdown(extensions=["nl2br", "sane_lists"])
    return converter.reset().convert(text)


def text_format(*, text: str) -> SafeString:
    """The text as safe HTML: Markdown's paragraphs, lists and links, nothing else."""
    if not text:
        return mark_safe("")
    html = _markdown(escape(text))
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)
