"""`?format=pdf`: the same page, for the same user, or a Dutch message (503), never a 500.

Chromium is replaced here by a stand-in that records the HTML it was given
(`printed`); tests/browser/test_pdf_browser.py prints with the real one.
"""

import logging
import re
from html import unescape

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import resolve

from migrantportal import pdf_views
from migrantportal.figure_cache import VERSION_KEY
from migrantportal.pdf import pdf_slot
from registry.models import Municipality
from tests.factories import client_for_role
from tests.i18n import translated_html
from tests.url_table import EXPECTED, ROLES

PACK = "/dashboards/debatpakket/?municipality=GM0394&include=overview:motive-shares"
# route of the URL table → the page whose PDF it offers
PDF_PAGES = {
    "dashboards/debatpakket/": PACK,
    "dashboards/beleidsmatrix/": EXPECTED["dashboards/beleidsmatrix/"][0],
    "dashboards/vergaderingen/<int:pk>/": EXPECTED["dashboards/vergaderingen/<int:pk>/"][0],
    "opvolging/": EXPECTED["opvolging/"][0],
}
FAKE_PDF = b"%PDF-1.7 stand-in"


class Printed(list):
    """The HTML of every page printed, in order; `urls` the address each was printed for."""

    urls: list[str]


@pytest.fixture
def printed(monkeypatch) -> Printed:
    """Chromium's stand-in, recording what it is asked to print."""
    pages = Printed()
    pages.urls = []

    def print_page(*, html: str, page_url: str = "") -> bytes:
        pages.append(html)
        pages.urls.append(page_url)
        return FAKE_PDF

    monkeypatch.setattr(pdf_views, "pdf_from_html", print_page)
    return pages


def _stand_in_chromium(folder, script: str) -> str:
    """A shell script where Chromium should be, doing `script` instead of printing."""
    chromium = folder / "chromium"
    chromium.write_text(f"#!/bin/sh\n{script}\n")
    chromium.chmod(0o755)
    return str(chromium)


def _as_pdf(path: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}format=pdf"


@pytest.mark.parametrize("route", PDF_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_pdf_exactly_when_it_may_see_the_page(site, printed, role, route):
    client = client_for_role(role)
    path = PDF_PAGES[route].format(**site)

    page, pdf = client.get(path), client.get(_as_pdf(path))

    assert pdf.status_code == page.status_code
    if page.status_code == 200:
        assert pdf["Content-Type"] == "application/pdf"
        assert pdf.content == FAKE_PDF
    else:
        assert pdf.get("Location") == page.get("Location")


def test_an_anonymous_visitor_gets_the_pdf_of_a_municipality_in_public_mode(demo, printed):
    Municipality.objects.filter(code="GM0394").update(public_mode=True)

    response = Client().get(_as_pdf(PACK))

    assert response.status_code == 200
    assert response.content == FAKE_PDF


def test_the_pdf_is_printed_from_the_page_the_user_sees(demo, client, raadslid, printed):
    client.force_login(raadslid)

    client.get(_as_pdf(PACK))

    assert len(printed) == 1
    assert "Migranten naar motief als aandeel van de inwoners" in printed[0]
    assert 'data-figure="figure-motive-shares"' in printed[0]


def test_a_council_member_gets_no_pdf_printed_with_the_exact_small_numbers_staff_see(
    demo, printed, raadslid, griffie, settings
):
    # Every count under 1000 is a small number now: Studie's 935 persons among them.
    settings.SMALL_NUMBER_THRESHOLD = 1000
    staff, member = Client(), Client()
    staff.force_login(griffie)
    member.force_login(raadslid)

    staff.get(_as_pdf(PACK))
    member.get(_as_pdf(PACK))

    assert len(printed) == 2
    assert ">935<" in printed[0]
    assert ">935<" not in printed[1]


def test_a_second_download_of_the_same_pdf_comes_from_the_cache(demo, client, raadslid, printed):
    client.force_login(raadslid)

    first = client.get(_as_pdf(PACK))
    second = client.get(_as_pdf(PACK))

    assert len(printed) == 1
    assert second.content == first.content


def test_a_new_data_version_prints_the_pdf_again(demo, client, raadslid, printed):
    client.force_login(raadslid)
    client.get(_as_pdf(PACK))

    cache.delete(VERSION_KEY)  # as figure_cache_invalidate() renews it after a change
    client.get(_as_pdf(PACK))

    assert len(printed) == 2


def test_a_new_print_stylesheet_prints_the_pdf_again(demo, client, raadslid, printed, monkeypatch):
    client.force_login(raadslid)
    client.get(_as_pdf(PACK))

    # As a deploy with a changed print.css does: its manifest name carries a new hash.
    monkeypatch.setattr(
        pdf_views.staticfiles_storage, "url", lambda name: f"/static/{name}?changed"
    )
    pdf_views._print_look.cache_clear()
    client.get(_as_pdf(PACK))

    assert len(printed) == 2


def test_the_pdf_is_printed_for_the_pages_own_address_so_its_links_reach_the_portal(
    demo, client, raadslid, printed
):
    client.force_login(raadslid)

    client.get(_as_pdf("/opvolging/?municipality=GM0394"))

    assert printed.urls == ["http://testserver/opvolging/?municipality=GM0394"]


def test_the_pdf_is_printed_in_the_municipalitys_own_colours(demo, client, raadslid, printed):
    client.force_login(raadslid)
    page = client.get("/opvolging/?municipality=GM0394").text
    [theme_url] = re.findall(r'<link rel="stylesheet" href="(/thema/[^"]+)">', page)
    theme = client.get(unescape(theme_url)).text

    client.get(_as_pdf("/opvolging/?municipality=GM0394"))

    assert f"<style>{theme}</style>" in printed[0]
    assert "/thema/" not in printed[0]


def test_a_stylesheet_of_the_portal_that_does_not_answer_stays_a_link(db):
    html = '<link rel="stylesheet" href="/thema/GM9999.css?v=1">'

    assert pdf_views.html_with_portal_stylesheets(html) == html


def test_only_the_theme_is_rendered_into_the_pdf_not_any_view_a_link_names(db, monkeypatch):
    # A view other than the theme's is never called for the PDF, whatever it would answer.
    called = []

    def watched(path):
        match = resolve(path)
        view = match.func
        match.func = lambda *args, **kwargs: called.append(path) or view(*args, **kwargs)
        return match

    monkeypatch.setattr(pdf_views, "resolve", watched)
    html = '<link rel="stylesheet" href="/login/">'

    assert pdf_views.html_with_portal_stylesheets(html) == html
    assert called == []


def test_a_pdf_asked_on_another_host_is_printed_for_that_host(demo, client, raadslid, printed):
    client.force_login(raadslid)

    client.get(_as_pdf(PACK))
    client.get(_as_pdf(PACK), HTTP_HOST="localhost")

    assert printed.urls == [f"http://testserver{PACK}", f"http://localhost{PACK}"]


def test_the_pdf_is_named_after_the_page_and_the_municipality(demo, client, raadslid, printed):
    client.force_login(raadslid)

    response = client.get(_as_pdf(PACK))

    assert response["Content-Disposition"] == 'attachment; filename="debatpakket-GM0394.pdf"'


def test_without_chromium_the_pdf_link_answers_with_a_message_and_a_log_line(
    demo, client, raadslid, settings, tmp_path, caplog
):
    settings.PDF_CHROMIUM_PATH = str(tmp_path / "no-chromium-here")
    client.force_login(raadslid)

    with caplog.at_level(logging.WARNING, logger="migrantportal.pdf_views"):
        response = client.get(_as_pdf(PACK))

    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert (
        translated_html(
            "PDF downloads are not available on this server: the program that makes them "
            "(Chromium) is not installed. Print this page from your browser instead, "
            "and tell the administrator."
        )
        in response.text
    )
    assert "no-chromium-here" in caplog.text


@pytest.mark.translation
def test_without_chromium_the_message_is_in_dutch(demo, client, raadslid, settings, tmp_path):
    settings.PDF_CHROMIUM_PATH = str(tmp_path / "no-chromium-here")
    client.force_login(raadslid)

    response = client.get(_as_pdf(PACK))

    assert "Pdf-downloads zijn op deze server niet beschikbaar" in response.text


def test_a_chromium_that_hangs_is_stopped_and_the_pdf_link_answers_with_a_message(
    demo, client, raadslid, settings, tmp_path, caplog
):
    settings.PDF_CHROMIUM_PATH = _stand_in_chromium(tmp_path, "sleep 30")
    settings.PDF_TIMEOUT_SECONDS = 0.5
    client.force_login(raadslid)

    with caplog.at_level(logging.WARNING, logger="migrantportal.pdf_views"):
        response = client.get(_as_pdf(PACK))

    assert response.status_code == 503
    assert (
        translated_html(
            "The PDF could not be made. Try again later, or print this page from your browser."
        )
        in response.text
    )
    assert "timeout" in caplog.text


def test_a_chromium_that_fails_gives_the_message_not_a_server_error(
    demo, client, raadslid, settings, tmp_path
):
    settings.PDF_CHROMIUM_PATH = _stand_in_chromium(
        tmp_path, "echo 'cannot open display' >&2; exit 1"
    )
    client.force_login(raadslid)

    response = client.get(_as_pdf(PACK))

    assert response.status_code == 503


def test_when_every_slot_is_taken_the_pdf_link_says_try_again(
    demo, client, raadslid, settings, tmp_path
):
    settings.PDF_CHROMIUM_PATH = _stand_in_chromium(tmp_path, "exit 0")
    settings.PDF_SLOT_DIR = str(tmp_path)
    settings.PDF_SLOTS = 1
    settings.PDF_SLOT_WAIT_SECONDS = 0.2
    client.force_login(raadslid)

    with pdf_slot():
        response = client.get(_as_pdf(PACK))

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert (
        translated_html(
            "The server is making other PDFs right now. Try again in half a minute, "
            "or print this page from your browser."
        )
        in response.text
    )


def test_the_page_without_format_is_the_html_page(demo, client, raadslid, printed):
    client.force_login(raadslid)

    response = client.get(PACK)

    assert response["Content-Type"].startswith("text/html")
    assert printed == []


@pytest.mark.parametrize("route", PDF_PAGES)
def test_each_page_with_a_pdf_links_to_it_for_the_same_municipality(site, client, raadslid, route):
    client.force_login(raadslid)
    path = PDF_PAGES[route].format(**site)

    links = re.findall(r'href="(\?[^"]*format=pdf)"', client.get(path).text)

    assert len(links) == 1
    assert ("municipality=GM0394" in links[0]) == ("municipality=GM0394" in path)
