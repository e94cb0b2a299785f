"""The data table's template tags: `{% data_table %}` and `{% column_headers %}`."""

import pytest
from django.template import Context, Template
from django.utils import translation

REGION = '<div class="utrecht-table-container table-scroll" role="region" tabindex="0"'
ROUNDS = (
    '{% data_table label="Rounds" rows=rows empty="No rounds yet." %}<tr></tr>{% enddata_table %}'
)


def render(source: str, **context) -> str:
    return Template("{% load tables %}" + source).render(Context(context))


def test_a_table_sits_in_a_focusable_region_named_by_its_caption():
    html = render(
        '{% data_table labelled_by="rounds-caption" %}'
        '<caption id="rounds-caption">Rounds</caption>{% enddata_table %}'
    )

    assert f'{REGION} aria-labelledby="rounds-caption">' in html
    assert (
        '<table class="utrecht-table utrecht-table--html-table">'
        '<caption id="rounds-caption">Rounds</caption></table>'
    ) in html


def test_a_table_without_a_caption_or_heading_to_point_to_is_named_by_its_label():
    html = render('{% data_table label="Changed fields" %}{% enddata_table %}')

    assert f'{REGION} aria-label="Changed fields">' in html


def test_the_label_is_escaped():
    html = render("{% data_table label=name %}{% enddata_table %}", name='"><script>')

    assert 'aria-label="&quot;&gt;&lt;script&gt;"' in html


@pytest.mark.parametrize(
    "names", ["", 'labelled_by="rounds-caption" label="Rounds"'], ids=["none", "two"]
)
def test_a_table_without_exactly_one_name_is_refused(names):
    with pytest.raises(ValueError, match="one name"):
        render(f"{{% data_table {names} %}}{{% enddata_table %}}")


def test_the_pages_own_classes_are_added_to_the_tables():
    html = render('{% data_table label="Rounds" classes="rounds-table" %}{% enddata_table %}')

    assert '<table class="utrecht-table utrecht-table--html-table rounds-table">' in html


def test_without_rows_the_empty_message_stands_instead_of_the_table():
    html = render(ROUNDS, rows=[])

    assert html == '<p class="utrecht-paragraph">No rounds yet.</p>'


def test_with_rows_the_table_stands_and_the_empty_message_does_not():
    html = render(ROUNDS, rows=["a round"])

    assert "<tr></tr></table>" in html
    assert "No rounds yet." not in html


def test_each_label_heads_a_column_of_its_own():
    html = render('{% column_headers "Year" "Motive" %}')

    assert html == (
        '<th class="utrecht-table__header-cell" scope="col">Year</th>'
        '<th class="utrecht-table__header-cell" scope="col">Motive</th>'
    )


def test_the_headers_of_numeric_columns_are_aligned_as_their_numbers():
    html = render('{% column_headers "Ballots" numeric=True %}')

    assert html == '<th class="utrecht-table__header-cell num" scope="col">Ballots</th>'


def test_a_label_from_the_data_is_escaped():
    html = render("{% column_headers label %}", label="<b>Status</b>")

    assert "&lt;b&gt;Status&lt;/b&gt;" in html


def test_a_translated_label_is_written_as_the_translate_tag_writes_it():
    with translation.override("en"):
        html = render('{% column_headers _("Council\'s decision") %}')

    assert ">Council's decision</th>" in html


def test_a_percent_sign_in_a_translated_label_is_written_once():
    html = render('{% column_headers _("Share (%)") %}')

    assert ">Share (%)</th>" in html


def test_a_percent_sign_in_the_empty_message_is_written_once():
    html = render(
        '{% data_table label="x" rows=rows empty=_("0 % of the rows") %}{% enddata_table %}',
        rows=[],
    )

    assert ">0 % of the rows</p>" in html
