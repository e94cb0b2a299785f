from django import template
from django.utils.safestring import SafeString

from policy.formatting import text_format

register = template.Library()


@register.filter
def formatted(text: str) -> SafeString:
    """An audit-office text with its paragraphs, lists and links; any HTML shown as text."""
    return text_format(text=text or "")
