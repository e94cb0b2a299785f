"""The NL Design System (Utrecht) data table, written once for every page's tables.

`{% data_table labelled_by="rounds-caption" classes="rounds-table" rows=rows empty=_("…") %}`
… `{% enddata_table %}` puts a table, whose caption, header and body are the tag's content,
in the box that scrolls sideways on a phone instead of the page, or says `empty` where there
are no `rows`. `{% column_headers _("Year") _("Motive") %}` writes a header row's cells.
"""

from collections.abc import Sized

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeData, SafeString, mark_safe

register = template.Library()


def _literal(text: str) -> str:
    """A `_("…")` argument as `{% translate %}` prints it: Django doubles its `%` signs for
    a later formatting that a tag argument never gets."""
    resolved = str(text)  # a lazy translation becomes its text, SafeString if it was safe
    plain = resolved.replace("%%", "%")
    # A template's own literal is safe, as `{% translate %}` treats it; data is escaped.
    return mark_safe(plain) if isinstance(resolved, SafeData) else plain


@register.simple_block_tag
def data_table(
    content: SafeString,
    *,
    labelled_by: str = "",
    label: str = "",
    classes: str = "",
    rows: Sized | None = None,
    empty: str = "",
) -> SafeString:
    """The table in its scroll box: `labelled_by` is the id of the caption or heading that
    names it, `label` the name itself where none is on the page; `classes` are added to the
    table's own. Given `rows` and none in it, the paragraph `empty` stands instead."""
    if bool(labelled_by) == bool(label):
        # A focusable region without a name is announced as a bare "region" (WCAG 4.1.2).
        raise ValueError("A data table's scroll box needs one name: labelled_by or label.")
    if rows is not None and not rows:
        return format_html('<p class="utrecht-paragraph">{}</p>', _literal(empty))
    if labelled_by:
        name = format_html('aria-labelledby="{}"', labelled_by)
    else:
        name = format_html('aria-label="{}"', label)
    table_classes = f"utrecht-table utrecht-table--html-table {classes}".strip()
    # tabindex lets keyboard users scroll the box; role and name tell a screen reader what it holds.
    return format_html(
        '<div class="utrecht-table-container table-scroll" role="region" tabindex="0" {}>\n'
        '<table class="{}">{}</table>\n'
        "</div>",
        name,
        table_classes,
        content,
    )


@register.simple_tag
def column_headers(*labels: str, numeric: bool = False) -> SafeString:
    """A header cell for each label, heading its column; `numeric` aligns them as the
    columns' numbers are (class `num`)."""
    cell_class = "utrecht-table__header-cell num" if numeric else "utrecht-table__header-cell"
    return format_html_join(
        "",
        '<th class="{}" scope="col">{}</th>',
        ((cell_class, _literal(label)) for label in labels),
    )
