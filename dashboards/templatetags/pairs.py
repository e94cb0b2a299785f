"""`{% for theme, cell in matrix.themes|paired_with:row %}`: walk two lists side by side,
so each matrix cell can name its theme in the stacked layout on narrow screens."""

from django import template

register = template.Library()


@register.filter
def paired_with(first, second) -> list[tuple]:
    return list(zip(first, second, strict=True))
