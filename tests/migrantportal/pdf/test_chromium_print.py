"""migrantportal/pdf.py without a browser: static files by path, and the bound on Chromiums."""

from pathlib import Path

import pytest

from migrantportal.pdf import PdfError, html_with_absolute_links, html_with_local_static, pdf_slot


def test_a_static_stylesheet_is_linked_by_its_path_on_disk():
    html = html_with_local_static('<link rel="stylesheet" href="/static/css/print.css">')

    uri = html.split('href="', 1)[1].split('"', 1)[0]
    assert uri.startswith("file:///")
    assert Path(uri.removeprefix("file://")).read_text().startswith("/* Print and PDF")


def test_a_static_script_with_a_query_string_is_linked_by_its_path_on_disk():
    html = html_with_local_static('<script src="/static/js/charts.js?v=2"></script>')

    assert 'src="file:///' in html
    assert "charts.js" in html


def test_links_to_pages_are_left_as_they_are():
    html = '<a href="/dashboards/debatpakket/?municipality=GM0394">pakket</a>'

    assert html_with_local_static(html) == html


def test_a_path_that_climbs_out_of_the_static_files_is_left_as_it_is():
    html = '<img src="/static/../migrantportal/settings.py">'

    assert html_with_local_static(html) == html


def test_a_static_name_with_no_file_is_left_as_it_is():
    html = '<script src="/static/js/no-such-script.js"></script>'

    assert html_with_local_static(html) == html


PAGE = "https://portaal.example.nl/opvolging/?municipality=GM0394"


def test_a_link_to_another_page_points_at_the_portal_in_the_pdf():
    html = '<a class="utrecht-link" href="/opvolging/12/">Aanbeveling 1</a>'

    assert html_with_absolute_links(html, page_url=PAGE) == (
        '<a class="utrecht-link" href="https://portaal.example.nl/opvolging/12/">Aanbeveling 1</a>'
    )


def test_a_link_of_only_a_query_keeps_the_pages_path_and_its_escaped_ampersand():
    html = '<a href="?municipality=GM0394&amp;format=csv">CSV</a>'

    assert html_with_absolute_links(html, page_url=PAGE) == (
        '<a href="https://portaal.example.nl/opvolging/?municipality=GM0394&amp;format=csv">CSV</a>'
    )


def test_a_link_within_the_page_stays_a_jump_inside_the_pdf():
    html = '<a href="#c-3">3</a>'

    assert html_with_absolute_links(html, page_url=PAGE) == html


def test_stylesheets_are_not_links_to_make_absolute():
    html = '<link rel="stylesheet" href="/thema/GM0394.css">'

    assert html_with_absolute_links(html, page_url=PAGE) == html


def test_a_second_chromium_waits_for_the_slot_and_is_then_told_the_server_is_busy(
    settings, tmp_path
):
    settings.PDF_SLOT_DIR = str(tmp_path)
    settings.PDF_SLOTS = 1
    settings.PDF_SLOT_WAIT_SECONDS = 0.1

    with pdf_slot(), pytest.raises(PdfError) as error, pdf_slot():
        pass

    assert error.value.reason == "busy"


def test_a_slot_given_back_can_be_taken_again(settings, tmp_path):
    settings.PDF_SLOT_DIR = str(tmp_path)
    settings.PDF_SLOTS = 1
    settings.PDF_SLOT_WAIT_SECONDS = 0

    with pdf_slot():
        pass
    with pdf_slot():
        taken = True

    assert taken


def test_two_slots_let_two_chromiums_run_at_once(settings, tmp_path):
    settings.PDF_SLOT_DIR = str(tmp_path)
    settings.PDF_SLOTS = 2
    settings.PDF_SLOT_WAIT_SECONDS = 0

    with pdf_slot(), pdf_slot():
        both = True

    assert both
