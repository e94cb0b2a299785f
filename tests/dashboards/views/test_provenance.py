"""Every value says what kind of value it is, and internal notes stay internal."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from policy.models import AttentionPoint, Conclusion, PolicyCell, Recommendation
from registry.constants import Provenance
from tests.content import demo_load
from tests.paths import PROJECT

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()


PAGES = ["overview", "compare", "register", "matrix", "findings", "indicators", "pack", "programme"]
MUNICIPALITIES = ["GM0394", "GM0358", "GM0637"]


def _get(client, page: str, code: str, **params):
    query = "&".join([f"municipality={code}", *(f"{k}={v}" for k, v in params.items())])
    return client.get(reverse(f"dashboards:{page}") + "?" + query)


def _command(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _chart(client, page: str, code: str, chart_id: str):
    charts = _get(client, page, code).context["page"].charts
    return next(chart for chart in charts if chart.id == chart_id)


def test_no_page_or_download_for_a_council_member_holds_a_source_account(client, raadslid, demo):
    client.force_login(raadslid)
    readings = [cell.source_reading[:60] for cell in PolicyCell.objects.all()]
    texts = []
    for code in MUNICIPALITIES:
        for page in PAGES:
            response = _get(client, page, code)
            texts.append(response.text)
            for chart in getattr(response.context["page"], "charts", []):
                for fmt in ("csv", "json"):
                    texts.append(_get(client, page, code, chart=chart.id, format=fmt).text)
        texts.append(_command("export_policy", "--municipality", code))
    texts += [
        client.get(reverse("policy:item_detail", args=["beleidscel", cell.pk])).text
        for cell in PolicyCell.objects.all()[:5]
    ]

    assert all(reading and reading not in text for reading in readings for text in texts)
    assert not any("extractie" in text for text in texts)


def test_the_editing_desk_shows_audit_office_staff_the_source_account(client, rekenkamer, demo):
    client.force_login(rekenkamer)
    cell = PolicyCell.objects.get(group__slug="statushouders", theme__slug="opvang")

    page = client.get(reverse("policy:item_detail", args=["beleidscel", cell.pk]))

    assert "dubbele spatie" in page.text


def test_a_derived_count_carries_its_basis_in_the_table(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "overview", "GM0394", "motive-split")

    texts = [text for row in chart.table_rows() for text, _number in row]
    assert "6 % van 18.480" in texts
    assert "afgeleid" in texts


@pytest.mark.parametrize("chart_id", ["motive-split", "motive-shares"])
def test_a_derived_count_carries_its_basis_in_the_json_and_csv(client, raadslid, demo, chart_id):
    client.force_login(raadslid)
    client.cookies["django_language"] = "en"

    rows = json.loads(_get(client, "overview", "GM0394", chart=chart_id, format="json").text)
    csv_text = _get(client, "overview", "GM0394", chart=chart_id, format="csv").text
    # The CSV's headers are the table's, in the reader's language.
    table = [
        {"provenance": row["Kind of value"], "provenance_basis": row["How computed or derived"]}
        for row in csv.DictReader(io.StringIO(csv_text))
    ]

    for records in (rows["rows"], table):
        kinds = {row["provenance"] for row in records}
        assert kinds <= set(Provenance.values)
        assert all(
            row["provenance_basis"]
            for row in records
            if row["provenance"] in (Provenance.DERIVED, Provenance.COMPUTED)
        )


def test_export_counts_says_each_counts_kind_and_how_it_was_made(demo):
    rows = json.loads(_command("export_counts", "--municipality", "GM0394", "--format", "json"))

    kinds = {row["motive"]: (row["provenance"], row["provenance_basis"]) for row in rows}
    assert kinds["oekraine"] == ("afgeleid", "6 % van 18.480")
    assert kinds["onbekend"][0] == "berekend"
    assert kinds["gezin"] == ("gepubliceerd", "")


def test_export_counts_gives_the_published_share_beside_the_computed_one(demo):
    rows = json.loads(_command("export_counts", "--municipality", "GM0394", "--format", "json"))

    gezin = next(row for row in rows if row["motive"] == "gezin")
    assert (gezin["published_share_of_migrants_pct"], gezin["share_of_migrants_pct"]) == (
        43.0,
        43.15,
    )


def test_the_largest_motive_is_summarised_with_the_published_share(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "overview", "GM0394", "motive-split")

    assert "43,0 %" in chart.summary
    assert "gepubliceerd" in chart.summary


def test_the_compare_page_shows_the_published_11_4_percent_as_published(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "compare", "GM0394", "share-comparison")

    row = chart.data[(chart.data["municipality_code"] == "GM0394") & (chart.data["year"] == 2023)]
    assert row["provenance"].tolist() == [Provenance.PUBLISHED]
    assert row["share_pct"].tolist() == [11.4]


def test_the_compare_page_names_the_comparison_municipalities_without_figures(
    client, raadslid, demo
):
    client.force_login(raadslid)

    page = _get(client, "compare", "GM0394").context["page"]

    assert [m.name for m in page.without_figures] == [
        "Aalsmeer",
        "Amstelveen",
        "Haarlem",
        "Zaanstad",
    ]
    assert "Aalsmeer, Haarlem en Zaanstad" in page.statements[0].body


def test_the_compare_filter_accepts_a_municipalitys_name(client, raadslid, demo):
    client.force_login(raadslid)

    page = _get(client, "compare", "GM0394", compare="Aalsmeer,NL01")

    assert page.status_code == 200
    assert page.context["filters"].compare == ("GM0358", "NL01")


def test_aalsmeers_return_of_1_54_shows_as_1_54(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "indicators", "GM0358", "indicators")

    texts = [text for row in chart.table_rows() for text, _number in row]
    assert "1,54" in texts


def test_aalsmeers_1500_on_verified_addresses_is_found_not_estimated(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "register", "GM0358", "estimates")

    row = chart.data[chart.data["value"] == 1500]
    assert row["provenance"].tolist() == [Provenance.FOUND]


def test_aalsmeers_range_is_drawn_as_a_floating_bar_from_low_to_high(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "register", "GM0358", "estimates")

    ranges = [trace for trace in chart.figure["data"] if trace.get("base") is not None]
    assert (ranges[0]["base"], ranges[0]["x"]) == ([1000.0], [3500.0])


def test_cbs_definitions_do_not_stand_under_aalsmeers_estimates(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "register", "GM0358", "estimates")

    assert not any("1 januari" in d or "1 January" in d for d in chart.definitions)


def test_cbs_definitions_say_they_are_cbss(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "overview", "GM0394", "motive-shares")

    cbs = [d for d in chart.definitions if "1 januari" in d or "2020" in d]
    assert len(cbs) == 1
    assert all(d.startswith("CBS-definitie") for d in cbs)


def test_an_unknown_reference_date_is_said_not_filled_in(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "indicators", "GM0394", "indicators")

    dates = dict(zip(chart.data["label"], chart.data["date"], strict=True))
    assert dates["Oekraïense ontheemden in gemeentelijke opvang"] == "anno 2025"


def test_export_policy_holds_every_published_finding_and_link_the_pages_show(demo):
    for code in MUNICIPALITIES:
        exported = json.loads(_command("export_policy", "--municipality", code))
        points = {(p["report"], p["number"]) for p in exported["attention_points"]}
        conclusions = {
            (c["report"], c["number"]): set(c["attention_points"]) for c in exported["conclusions"]
        }
        recommendations = {
            (r["report"], r["number"]): (set(r["conclusions"]), set(r["attention_points"]))
            for r in exported["recommendations"]
        }

        for point in AttentionPoint.objects.published().for_municipality(code):
            assert (point.report.slug, point.number) in points
        for conclusion in Conclusion.objects.published().for_municipality(code):
            linked = {p.number for p in conclusion.attention_points.published()}
            assert conclusions[(conclusion.report.slug, conclusion.number)] == linked
        for recommendation in Recommendation.objects.published().for_municipality(code):
            key = (recommendation.report.slug, recommendation.number)
            assert recommendations[key] == (
                {c.number for c in recommendation.conclusions.published()},
                {p.number for p in recommendation.attention_points.published()},
            )


def test_the_demo_content_doc_lists_every_derived_and_editorial_value_with_its_reasoning():

    doc = (PROJECT / "docs" / "demo-content.md").read_text()

    for words in [
        "6 % van 18.480",
        "18.480 / 11,4 %",
        "blijken 1500 arbeidsmigranten te wonen",
        "wordt ingeschat",
        "koppeling door de redactie",
        "voorlopige planning",
        "anno 2025",
        "onzeker",
        "benut deze ruimte nu niet",
    ]:
        assert words in doc, words


def test_an_imported_count_cites_its_imports_source_and_file(db):
    from registry import selectors as registry_selectors
    from registry.models import ImportBatch
    from tests import factories as f

    municipality = f.MunicipalityFactory(code="GM0001", name="Proefdorp")
    cbs = f.SourceFactory(slug="cbs-84809", title="CBS StatLine 84809NED", publisher="CBS")
    batch = ImportBatch.objects.create(
        file_name="84809NED.csv",
        file_sha256="0" * 64,
        file_format="statline_csv",
        measure="stock",
        source=cbs,
    )
    f.MigrantCountFactory(
        municipality=municipality, source=cbs, import_batch=batch, year=2023, motive_id="gezin"
    )

    sources = registry_selectors.count_source_list(municipality_code="GM0001", year=2023)

    assert [(s.publisher, s.title) for s in sources] == [("CBS", "CBS StatLine 84809NED")]
    assert "import 84809NED.csv" in sources[0].details


def test_a_motive_missing_for_a_year_is_said_in_the_chart_summary(client, raadslid):
    from tests import factories as f

    municipality = f.MunicipalityFactory(code="GM0002", name="Gatendorp")
    for motive in ["asiel", "arbeid", "gezin", "studie", "oekraine"]:
        f.MigrantCountFactory(municipality=municipality, year=2023, motive_id=motive, persons=100)
    f.PopulationFactory(municipality=municipality, year=2023, inhabitants=10_000)
    client.force_login(raadslid)

    chart = _chart(client, "overview", "GM0002", "motive-shares")

    assert "Geen cijfer voor onbekend" in chart.summary


def test_a_derived_count_says_so_when_hovered(client, raadslid, demo):
    client.force_login(raadslid)

    chart = _chart(client, "overview", "GM0394", "motive-split")

    # A long hover is broken over lines to fit on a phone.
    hovers = [text.replace("<br>", " ") for _, text in chart.figure["data"][0]["customdata"]]
    assert any(text.endswith(" – afgeleid (6 % van 18.480)") for text in hovers)
