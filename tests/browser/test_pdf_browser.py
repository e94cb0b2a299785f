"""The debate pack in print, and the server's PDFs printed by the real Chromium.

The print tests emulate print media in Playwright and measure every chart; the PDF
tests ask the portal for `?format=pdf` and read the PDF's text with poppler-utils'
pdftotext (installed with Chromium in CI; the tests skip, with the reason, without).
"""

import datetime
import html
import http.server
import re
import subprocess
import threading
from urllib.parse import urlencode

import pytest
from django.http import QueryDict

from dashboards.filters import filters_from_query
from dashboards.page_cache import municipality_index
from dashboards.services import meeting_snapshot_create
from migrantportal.pdf import pdf_from_html
from tests.browser.pages import CHARTS_DRAWN, log_in

pytestmark = pytest.mark.browser

PACK = "/dashboards/debatpakket/"
# static/js/charts.js draws printed charts this wide: an A4 page's text, 180 mm.
PRINT_WIDTH_PX = 680


def _pack_keys(client_or_text) -> list[str]:
    """Every chart the debate pack offers, as `include` values."""
    return re.findall(r'name="include" value="([^"]+)"', client_or_text)


def _full_pack(keys: list[str]) -> str:
    return f"{PACK}?{urlencode([('municipality', 'GM0394')] + [('include', k) for k in keys])}"


def _chart_titles(page_html: str) -> list[str]:
    headings = re.findall(r'<h2[^>]* id="[^"]+-title"[^>]*>(.*?)</h2>', page_html)
    return [html.unescape(heading) for heading in headings]


def _pdf_text(pdftotext: str, pdf: bytes) -> str:
    text = subprocess.run(
        [pdftotext, "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return " ".join(text.split())


@pytest.mark.django_db(transaction=True)
def test_every_chosen_chart_of_the_debate_pack_prints_at_a4_width_and_not_at_height_0(
    page, demo_site
):
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}{PACK}?municipality=GM0394")
    keys = [k for k in _pack_keys(page.content()) if not k.startswith("findings:all")]
    page.goto(demo_site.url + _full_pack(keys))
    page.wait_for_function(CHARTS_DRAWN)

    page.emulate_media(media="print")
    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    boxes = page.eval_on_selector_all(
        "[data-figure]",
        """figures => figures.map(figure => {
             const svg = figure.querySelector('svg.main-svg').getBoundingClientRect();
             const box = figure.getBoundingClientRect();
             return {height: box.height, svgWidth: svg.width, svgHeight: svg.height};
           })""",
    )

    assert len(boxes) == len(keys) == 7
    assert all(box["height"] > 0 and box["svgHeight"] > 0 for box in boxes)
    assert all(box["svgWidth"] <= PRINT_WIDTH_PX for box in boxes)
    assert page.console_errors == []


# The text width of a portrait and of a landscape page (static/css/print.css @page).
PAGE_WIDTHS_PX = {False: PRINT_WIDTH_PX, True: 1031}  # 297 mm - 2 x 12 mm
TOO_WIDE = """(tables, landscape) => tables
  .filter(table => !!table.closest('.print-landscape') === landscape)
  .filter(table => table.getBoundingClientRect().width
                   > table.parentElement.getBoundingClientRect().width + 1)
  .map(table => table.querySelector('thead')?.textContent.trim().slice(0, 60))"""
# A word whose letters stand on more than one line: a word the table broke to fit.
BROKEN_WORDS = """(cells, landscape) => {
  const broken = [];
  for (const cell of cells.filter(c => !!c.closest('.print-landscape') === landscape)) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const lines = new Set([...range.getClientRects()].map(rect => Math.round(rect.top)));
        if (lines.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path",
    [
        "/dashboards/?municipality=GM0394",
        "/dashboards/register/?municipality=GM0394",
        "/dashboards/indicatoren/?municipality=GM0394",
        "/dashboards/beleidsmatrix/?municipality=GM0394",
        "/opvolging/?municipality=GM0394",
    ],
)
def test_every_table_fits_its_printed_page_with_every_word_whole(page, demo_site, path):
    # print.css breaks only a word longer than the page (overflow-wrap: break-word), which
    # leaves a table its words' width: a table wider than its page would lose a word's
    # letters to the next line, or its last columns past the edge.
    log_in(page, demo_site.url)

    assert _tables_too_wide_in_print(page, demo_site.url + path) == {False: [], True: []}


@pytest.mark.django_db(transaction=True)
def test_every_table_of_the_full_debate_pack_fits_its_printed_page(page, demo_site):
    log_in(page, demo_site.url)
    keys = _pack_keys(page.request.get(f"{demo_site.url}{PACK}?municipality=GM0394").text())

    assert _tables_too_wide_in_print(page, demo_site.url + _full_pack(keys)) == {
        False: [],
        True: [],
    }


def _tables_too_wide_in_print(page, url: str) -> dict[bool, list[str]]:
    """Per kind of page (landscape or not), at its width: the tables wider than its text,
    and the words broken over two lines in a table."""
    too_wide = {}
    for landscape, width in PAGE_WIDTHS_PX.items():
        page.set_viewport_size({"width": width, "height": 1123})
        page.goto(url)
        page.emulate_media(media="print")
        too_wide[landscape] = page.eval_on_selector_all(
            "table", TOO_WIDE, landscape
        ) + page.eval_on_selector_all("td, th", BROKEN_WORDS, landscape)
    return too_wide


@pytest.mark.django_db(transaction=True)
def test_the_follow_up_monitors_table_prints_on_landscape_pages(page, demo_site):
    log_in(page, demo_site.url)
    page.goto(demo_site.url + "/opvolging/?municipality=GM0394")
    page.emulate_media(media="print")

    named_page = page.eval_on_selector(
        "table.followup-monitor", "table => getComputedStyle(table.closest('section')).page"
    )

    assert named_page == "landscape"


@pytest.mark.django_db(transaction=True)
def test_after_printing_each_chart_fits_the_screen_again(page, demo_site):
    log_in(page, demo_site.url)
    page.goto(f"{demo_site.url}{PACK}?municipality=GM0394&include=overview:motive-shares")
    page.wait_for_function(CHARTS_DRAWN)
    before = page.eval_on_selector("[data-figure] svg.main-svg", "svg => svg.clientWidth")

    page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
    page.evaluate("() => window.dispatchEvent(new Event('afterprint'))")
    page.wait_for_function(
        "(width) => document.querySelector('[data-figure] svg.main-svg').clientWidth === width",
        arg=before,
    )

    assert before > PRINT_WIDTH_PX


def test_the_pdf_of_the_debate_pack_is_a_pdf_with_the_title_of_every_chart(
    demo, client, raadslid, chromium, pdftotext
):
    client.force_login(raadslid)
    keys = _pack_keys(client.get(f"{PACK}?municipality=GM0394").text)
    titles = _chart_titles(client.get(_full_pack(keys)).text)

    response = client.get(_full_pack(keys) + "&format=pdf")

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = _pdf_text(pdftotext, response.content)
    assert len(titles) == 7
    assert [title for title in titles if title not in text] == []


def test_the_pdf_of_a_meeting_pack_is_a_pdf_with_the_title_of_every_chart(
    demo, client, griffie, chromium, pdftotext
):
    client.force_login(griffie)
    keys = _pack_keys(client.get(f"{PACK}?municipality=GM0394").text)
    municipalities, groups = municipality_index()
    filters = filters_from_query(
        params=QueryDict(_full_pack(keys).split("?", 1)[1]),
        municipalities=municipalities,
        comparison_groups=groups,
        default=lambda: municipalities["GM0394"],
    )
    snapshot = meeting_snapshot_create(
        filters=filters,
        title="Migratie en integratie",
        meeting_date=datetime.date(2026, 12, 10),
        agenda_item="7",
        user=griffie,
    )
    path = f"/dashboards/vergaderingen/{snapshot.pk}/"
    titles = _chart_titles(client.get(path).text)

    response = client.get(path + "?format=pdf")

    assert response.content.startswith(b"%PDF")
    text = _pdf_text(pdftotext, response.content)
    assert "Migratie en integratie" in text
    assert [title for title in titles if title not in text] == []


@pytest.mark.parametrize(
    "path", ["/dashboards/beleidsmatrix/?municipality=GM0394", "/opvolging/?municipality=GM0394"]
)
def test_the_pdf_of_the_matrix_and_of_the_follow_up_monitor_is_a_pdf(
    demo, client, raadslid, chromium, pdftotext, path
):
    client.force_login(raadslid)

    response = client.get(path + "&format=pdf")

    assert response.content.startswith(b"%PDF")
    assert "Haarlemmermeer" in _pdf_text(pdftotext, response.content)


class _Counting(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self):
        _Counting.requests.append(self.path)
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_chromium_printing_a_page_reaches_no_server(chromium, settings):
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    _Counting.requests.clear()
    page = (
        f'<p>Tekst</p><img src="http://127.0.0.1:{port}/img">'
        f'<img src="http://localhost:{port}/name"><script src="http://127.0.0.1:{port}/js"></script>'
    )
    try:
        pdf = pdf_from_html(html=page)
    finally:
        server.shutdown()

    assert pdf.startswith(b"%PDF")
    assert _Counting.requests == []
