"""Every dashboard chart drawn on a phone (390 px) and a laptop (1366 px): no text cut
off, a mode bar of download and zoom reset only, nothing drawn without height."""

import re

import pytest

from tests.browser.pages import log_in, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EVERY_CHART = "&".join(
    f"include={key}"
    for key in (
        "overview:motive-shares",
        "overview:motive-split",
        "compare:share-comparison",
        "compare:motive-comparison",
        "register:estimates",
        "indicators:indicators",
        "findings:recommendation-status",
        "findings:all",
    )
)
PAGES = [
    "/dashboards/?municipality=GM0394",
    "/dashboards/vergelijken/?municipality=GM0394",
    "/dashboards/register/?municipality=GM0394",
    "/dashboards/register/?municipality=GM0358",
    "/dashboards/beleidsmatrix/?municipality=GM0394",
    "/dashboards/bevindingen/?municipality=GM0394",
    "/dashboards/indicatoren/?municipality=GM0394",
    "/dashboards/indicatoren/?municipality=GM0358",
    "/dashboards/programma/?municipality=GM0358",
    f"/dashboards/debatpakket/?municipality=GM0394&{EVERY_CHART}",
]
WIDTHS = [390, 1366]
MODE_BAR = ["Download als PNG", "Zoom herstellen"]

# Per chart, every text drawn in its SVG that reaches past the SVG's box.
TEXT_OUTSIDE = """(figure) => {
  const box = figure.querySelector("svg.main-svg").getBoundingClientRect();
  const outside = [];
  figure.querySelectorAll("svg text").forEach((text) => {
    const r = text.getBoundingClientRect();
    if (!text.textContent.trim() || (r.width === 0 && r.height === 0)) return;
    if (r.left < box.left - 1 || r.right > box.right + 1 ||
        r.top < box.top - 1 || r.bottom > box.bottom + 1) {
      outside.push(text.textContent);
    }
  });
  return outside;
}"""
# Per chart, the heights of the frame, its SVG and each plot area.
HEIGHTS = """(figure) => [figure, figure.querySelector("svg.main-svg"),
  ...figure.querySelectorAll(".nsewdrag")].map((node) => node.getBoundingClientRect().height)"""


@pytest.fixture(params=WIDTHS, ids=[f"{width}px" for width in WIDTHS])
def sized_page(request, browser, demo_site):
    context = browser.new_context(
        viewport={"width": request.param, "height": 900}, locale="nl-NL", accept_downloads=True
    )
    page = context.new_page()
    log_in(page, demo_site.url)
    yield page, demo_site.url
    context.close()


def _figures(page, url: str):
    open_page(page, url)
    figures = page.locator("[data-figure]")
    return [figures.nth(index) for index in range(figures.count())]


def test_no_chart_draws_a_text_outside_its_box(sized_page):
    page, base = sized_page
    cut = {}

    for path in PAGES:
        for figure in _figures(page, base + path):
            outside = figure.evaluate(TEXT_OUTSIDE)
            if outside:
                cut[f"{path} {figure.get_attribute('data-figure')}"] = outside

    assert cut == {}


def test_every_mode_bar_offers_only_download_and_zoom_reset(sized_page):
    page, base = sized_page
    drawn = 0

    for path in PAGES:
        for figure in _figures(page, base + path):
            titles = figure.locator(".modebar-btn").evaluate_all(
                "(buttons) => buttons.map((button) => button.dataset.title)"
            )
            assert titles == MODE_BAR, path
            drawn += 1
        assert (
            page.locator(".modebar-btn").count()
            == len(MODE_BAR) * page.locator("[data-figure]").count()
        ), path
    assert drawn >= 10


def test_no_chart_or_plot_area_is_drawn_without_height(sized_page):
    page, base = sized_page

    for path in PAGES:
        for figure in _figures(page, base + path):
            heights = figure.evaluate(HEIGHTS)
            assert len(heights) >= 3, path
            assert min(heights) > 0, (path, figure.get_attribute("data-figure"), heights)


def test_the_download_button_saves_a_png_of_the_chart(page, demo_site):
    log_in(page, demo_site.url)
    figure = _figures(page, demo_site.url + PAGES[0])[0]

    figure.hover()
    with page.expect_download() as download:
        figure.locator(".modebar-btn[data-title='Download als PNG']").click()

    assert download.value.suggested_filename == "motive-shares-GM0394.png"
    assert page.console_errors == []


def test_the_downloaded_png_carries_the_charts_title_and_its_sources(page, demo_site):
    log_in(page, demo_site.url)
    figure = _figures(page, demo_site.url + PAGES[0])[0]
    # Plotly's own download, watched: the layout it is asked to draw the PNG from.
    page.evaluate(
        """() => {
             window.pngLayouts = [];
             const download = window.Plotly.downloadImage;
             window.Plotly.downloadImage = (figure, options) => {
               window.pngLayouts.push(figure.layout);
               return download(figure, options);
             };
           }"""
    )
    source = figure.evaluate("f => f.closest('.chart').querySelector('.source').textContent")

    figure.hover()
    with page.expect_download():
        figure.locator(".modebar-btn[data-title='Download als PNG']").click()

    [layout] = page.evaluate("() => window.pngLayouts")
    title = re.sub(r"<[^>]+>", " ", layout["title"]["text"])
    assert " ".join(title.split()).startswith("Migranten naar motief")
    assert " ".join(source.split()) in " ".join(title.split())
