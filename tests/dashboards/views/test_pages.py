"""The dashboard pages: who sees them, what they say, their downloads and links."""

import csv
import io
import json
import uuid

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from registry.models import MigrantCount, Municipality
from tests import factories as f
from tests.paths import PROJECT

PAGES = ["overview", "compare", "register", "matrix", "findings", "indicators", "pack"]

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()


def _url(page: str, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse(f"dashboards:{page}") + (f"?{query}" if query else "")


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("role", ["raadslid", "griffie", "rekenkamer"])
def test_every_dashboard_opens_for_every_role(client, request, demo, page, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(_url(page)).status_code == 200


@pytest.mark.parametrize("page", PAGES)
def test_anonymous_visitor_is_sent_to_log_in(client, demo, page):
    response = client.get(_url(page))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_anonymous_visitor_sees_a_municipality_in_public_mode(client, demo):
    Municipality.objects.filter(code="GM0394").update(public_mode=True)

    assert client.get(_url("overview", municipality="GM0394")).status_code == 200
    assert client.get(_url("overview", municipality="GM0358")).status_code == 302


def test_overview_summary_reads_the_reports_figures(client, raadslid, demo):
    client.force_login(raadslid)

    response = client.get(_url("overview"))

    assert (
        "In 2023 stonden 18.480 migranten ingeschreven als inwoner van Haarlemmermeer, "
        "11,4 % (gepubliceerd) van de inwoners; in Nederland was dat 9,1 %." in response.text
    )


def test_overview_tiles_give_the_latest_total_and_the_largest_motive(client, raadslid, demo):
    client.force_login(raadslid)

    tiles = client.get(_url("overview")).context["page"].tiles

    assert tiles[0].value == "18.480"
    assert tiles[-1].value == "Gezin"


def test_compare_summary_names_the_netherlands(client, raadslid, demo):
    client.force_login(raadslid)

    response = client.get(_url("compare"))

    assert "Nederland 9,1 %" in response.text
    assert "Haarlemmermeer 11,4 %" in response.text


def test_matrix_marks_the_cells_with_unused_room(client, raadslid, demo):
    client.force_login(raadslid)

    matrix = client.get(_url("matrix")).context["page"].matrices[0]

    unused = [
        (group.slug, theme.slug)
        for group, row in matrix.rows
        for theme, cell in zip(matrix.themes, row, strict=True)
        if cell and cell.unused_room
    ]
    assert len(unused) == matrix.unused
    assert ("asielzoekers", "werk") in unused


def test_findings_link_an_attention_point_to_its_conclusion(client, raadslid, demo):
    client.force_login(raadslid)

    report = client.get(_url("findings")).context["page"].reports[0]

    point_3 = next(p for p in report.attention_points if p.number == 3)
    assert [c.number for c in point_3.conclusions.all()] == [3]


def test_findings_filter_by_group(client, raadslid, demo):
    client.force_login(raadslid)

    report = client.get(_url("findings", group="arbeidsmigranten")).context["page"].reports[0]

    assert [p.number for p in report.attention_points] == [11, 12, 13, 14]


def test_unknown_filter_value_is_refused_with_a_message(client, raadslid, demo):
    client.force_login(raadslid)

    response = client.get(_url("findings", group="toeristen"))

    assert response.status_code == 400
    assert "toeristen" in response.text


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "json"])
def test_downloads_hold_the_numbers_the_chart_draws(client, raadslid, demo, file_format):
    client.force_login(raadslid)
    client.cookies["django_language"] = "en"
    page = client.get(_url("overview")).context
    drawn = list(page["figures"]["figure-motive-split"]["data"][0]["x"])

    response = client.get(_url("overview", chart="motive-split", format=file_format))

    assert response.status_code == 200
    assert sorted(_column(response.content, file_format, "count", "Persons")) == sorted(drawn)


def _column(content: bytes, kind: str, key: str, header: str) -> list[int]:
    """A column of a download: by its JSON key, or by its header in CSV and XLSX."""
    if kind == "json":
        return [row[key] for row in json.loads(content)["rows"]]
    if kind == "csv":
        return [int(row[header]) for row in csv.DictReader(io.StringIO(content.decode()))]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    return [row[headers.index(header)] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_download_of_an_unknown_chart_is_404(client, raadslid, demo):
    client.force_login(raadslid)

    assert client.get(_url("overview", chart="nothing", format="csv")).status_code == 404


def test_a_permalink_reproduces_the_filtered_view(client, raadslid, demo):
    client.force_login(raadslid)
    first = client.get(_url("compare", municipality="GM0394", compare="GM0358", to="2023"))

    link = first.context["filters"].as_query()
    cache.clear()  # rendered afresh from the link, not served as the page kept for the first
    again = client.get(reverse("dashboards:compare") + "?" + link)

    assert again.context["filters"] == first.context["filters"]
    assert again.context["figures"] == first.context["figures"]


def test_debate_pack_shows_only_the_chosen_charts_and_findings(client, raadslid, demo):
    client.force_login(raadslid)

    response = client.get(
        reverse("dashboards:pack") + "?include=overview:motive-split&include=findings:all"
    )

    assert [chart.id for chart in response.context["page"].charts] == ["motive-split"]
    assert "Duurzame opvangplekken voor asielzoekers" in response.text


def test_an_import_refreshes_the_cached_figures(
    client, raadslid, demo, django_capture_on_commit_callbacks
):
    client.force_login(raadslid)
    client.get(_url("overview"))

    from registry.services import migrant_counts_import

    with django_capture_on_commit_callbacks(execute=True):  # the import commits
        migrant_counts_import(
            content=b"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;3000\n",
            file_name="update.csv",
        )

    assert "18.955" in client.get(_url("overview")).context["page"].tiles[0].value


def _many_municipalities(count: int) -> None:
    source = f.SourceFactory(slug="many")
    Municipality.objects.bulk_create(
        Municipality(code=f"GM{8000 + n:04d}", name=f"Synthetisch {n}", is_synthetic=True)
        for n in range(count)
    )
    ids = Municipality.objects.filter(is_synthetic=True).values_list("id", flat=True)
    MigrantCount.objects.bulk_create(
        MigrantCount(municipality_id=pk, year=2023, motive_id="asiel", persons=10, source=source)
        for pk in ids
    )


QUERY_BUDGET = {"pack": 45}


def _queries(client, page: str) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(page))
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", PAGES)
def test_each_page_uses_the_same_number_of_queries_with_1_or_345_more_municipalities(
    client, raadslid, demo, page
):
    client.force_login(raadslid)
    with_demo_only = _queries(client, page)

    _many_municipalities(345)

    assert _queries(client, page) == with_demo_only
    assert with_demo_only <= QUERY_BUDGET.get(page, 30)


def test_the_debate_pack_offers_the_comparison_without_computing_its_suggestions(
    client, raadslid, demo, monkeypatch
):
    from dashboards.selectors import compare

    def never(**kwargs):
        raise AssertionError("the pack shows no suggestions")

    monkeypatch.setattr(compare, "similar_municipalities", never)
    client.force_login(raadslid)

    response = client.get(_url("pack", municipality="GM0394", include="compare:share-comparison"))

    assert response.status_code == 200
    assert 'data-figure="figure-share-comparison"' in response.text


def test_vendored_plotly_js_is_the_version_plotly_python_writes_figures_for():

    import plotly.offline

    version = plotly.offline.get_plotlyjs_version()
    vendored = PROJECT / "static" / "vendor" / "plotly"

    assert (vendored / f"plotly-basic-{version}.min.js").exists()


def test_pages_carry_no_inline_script_only_data_and_static_files(client, raadslid, demo):
    import re

    client.force_login(raadslid)

    html = client.get(_url("overview")).text

    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts
    assert all("src=" in attrs or 'type="application/json"' in attrs for attrs in scripts)
    assert "cdn" not in html.lower()


CHARTS = [
    ("overview", "motive-shares"),
    ("overview", "motive-split"),
    ("compare", "share-comparison"),
    ("compare", "motive-comparison"),
    ("register", "estimates"),
    ("matrix", "matrix"),
    ("findings", "recommendation-status"),
    ("indicators", "indicators"),
]


@pytest.mark.parametrize(("page", "chart"), CHARTS)
def test_every_charts_json_download_holds_the_rows_of_its_table(
    client, raadslid, demo, page, chart
):
    client.force_login(raadslid)
    municipality = "GM0358" if page == "register" else "GM0394"
    shown = {
        c.id: c for c in client.get(_url(page, municipality=municipality)).context["page"].charts
    }

    download = client.get(_url(page, municipality=municipality, chart=chart, format="json"))

    assert json.loads(download.content)["rows"] == shown[chart].export_records()
    assert len(shown[chart].table_rows()) == len(shown[chart].export_records())


def test_an_edit_in_the_admin_refreshes_the_cached_figures(
    client, superuser, demo, django_capture_on_commit_callbacks
):
    client.force_login(superuser)
    client.get(_url("overview"))
    count = MigrantCount.objects.get(municipality__code="GM0394", year=2023, motive_id="studie")

    with django_capture_on_commit_callbacks(execute=True):  # the admin's edit commits
        client.post(
            reverse("admin:registry_migrantcount_change", args=[count.pk]),
            {
                "municipality": count.municipality_id,
                "year": 2023,
                "motive": "studie",
                "measure": "stock",
                "persons": 1935,
                "provenance": count.provenance,
                "provenance_basis": count.provenance_basis,
                "source": count.source_id,
                "source_detail": count.source_detail,
                "note": count.note,
            },
        )

    assert client.get(_url("overview")).context["page"].tiles[0].value == "19.480"


def test_the_matrix_download_names_each_compared_municipality_on_its_own_rows(client, raadslid):
    first = f.MunicipalityFactory(code="GM9001", name="Eerstegemeente")
    second = f.MunicipalityFactory(code="GM9002", name="Tweedegemeente")
    f.PolicyCellFactory(municipality=first)
    f.PolicyCellFactory(municipality=second)
    client.force_login(raadslid)

    response = client.get(
        reverse("dashboards:matrix") + "?municipality=GM9001&compare=GM9002&format=json"
    )

    names = {row["municipality"] for row in response.json()["rows"]}
    assert names == {"Eerstegemeente", "Tweedegemeente"}


def test_a_made_up_parameter_is_dropped_by_a_redirect_to_the_documented_ones(
    client, raadslid, demo
):
    client.force_login(raadslid)

    response = client.get(_url("overview", municipality="GM0394") + "&utm=x&junk=1")

    assert response.status_code == 302
    assert response.url == reverse("dashboards:overview") + "?municipality=GM0394"


def test_the_order_of_the_parameters_does_not_make_a_page_of_its_own(client, raadslid, demo):
    client.force_login(raadslid)
    client.get(reverse("dashboards:compare") + "?municipality=GM0394&to=2023")
    keys_before = set(cache._cache)

    client.get(reverse("dashboards:compare") + "?to=2023&municipality=GM0394")

    assert set(cache._cache) == keys_before


def test_junk_parameters_from_anonymous_visitors_do_not_grow_the_cache(client, demo):
    Municipality.objects.filter(code="GM0394").update(public_mode=True)
    url = reverse("dashboards:overview") + "?municipality=GM0394"
    client.get(url)
    client.get(url)
    keys_after_one_page = len(cache._cache)

    for number in range(200):
        client.get(f"{url}&junk={uuid.uuid4()}&n={number}", follow=True)

    assert len(cache._cache) <= keys_after_one_page + 2


def test_free_values_of_real_parameters_keep_at_most_the_frame_limit(client, demo, monkeypatch):
    from dashboards import page_cache

    monkeypatch.setattr(page_cache, "FRAME_LIMIT", 5)
    Municipality.objects.filter(code="GM0394").update(public_mode=True)

    for _ in range(20):
        client.get(f"{reverse('dashboards:overview')}?municipality=GM0394&group={uuid.uuid4()}")

    frames = [key for key in cache._cache if "frame:" in key]
    assert len(frames) == 5
