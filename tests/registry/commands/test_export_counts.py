"""`manage.py export_counts`: the counts with their shares, as CSV or JSON."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from registry.constants import Measure
from tests import factories as f

pytestmark = pytest.mark.django_db


EXPORT_FIELDS = [
    "municipality_code",
    "municipality",
    "year",
    "motive",
    "measure",
    "count",
    "share_of_migrants_pct",
    "share_of_population_pct",
    "provenance",
    "provenance_basis",
    "population_provenance",
    "population_provenance_basis",
    "source",
    "published_share_of_migrants_pct",
]


def _export(*args: str) -> str:
    out = io.StringIO()
    call_command("export_counts", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def haarlemmermeer():
    municipality = f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    source = f.SourceFactory(slug="nota")
    f.MigrantCountFactory(municipality=municipality, source=source, motive_id="gezin", persons=750)
    f.MigrantCountFactory(municipality=municipality, source=source, motive_id="asiel", persons=250)
    f.PopulationFactory(municipality=municipality, source=source, inhabitants=10_000)
    return municipality


def test_export_counts_csv_has_the_documented_columns(haarlemmermeer):
    rows = list(csv.reader(io.StringIO(_export())))

    assert rows[0] == EXPORT_FIELDS


@pytest.mark.parametrize("file_format", ["csv", "csv-nl"])
def test_export_counts_keeps_its_english_columns_under_the_dutch_interface(
    haarlemmermeer, file_format
):
    with translation.override("nl"):
        text = _export("--format", file_format)

    delimiter = ";" if file_format == "csv-nl" else ","
    header = next(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    assert header == EXPORT_FIELDS


def test_export_counts_computes_shares_of_migrants_and_of_population(haarlemmermeer):
    rows = json.loads(_export("--format", "json"))

    gezin = next(row for row in rows if row["motive"] == "gezin")
    assert gezin["count"] == 750
    assert gezin["share_of_migrants_pct"] == 75.0
    assert gezin["share_of_population_pct"] == 7.5


def test_export_counts_json_puts_each_key_and_its_value_on_one_line(haarlemmermeer):
    text = _export("--format", "json")

    assert any(line.strip() == '"count": 750,' for line in text.splitlines())


def test_export_counts_json_objects_have_exactly_the_documented_keys(haarlemmermeer):
    rows = json.loads(_export("--format", "json"))

    assert [list(row) for row in rows] == [EXPORT_FIELDS, EXPORT_FIELDS]


def test_export_counts_orders_motives_as_the_portal_does(haarlemmermeer):
    rows = json.loads(_export("--format", "json"))

    assert [row["motive"] for row in rows] == ["asiel", "gezin"]


def test_export_counts_leaves_population_share_empty_without_population():
    municipality = f.MunicipalityFactory(code="GM0637", name="Zoetermeer")
    f.MigrantCountFactory(municipality=municipality, persons=10)

    rows = json.loads(_export("--format", "json"))

    assert rows[0]["share_of_population_pct"] is None
    assert rows[0]["share_of_migrants_pct"] == 100.0


def test_export_counts_filters_by_municipality_and_year(haarlemmermeer):
    other = f.MunicipalityFactory(code="GM0358", name="Aalsmeer")
    f.MigrantCountFactory(municipality=other, persons=5)
    f.MigrantCountFactory(municipality=haarlemmermeer, year=2015, persons=5)

    rows = json.loads(_export("--municipality", "GM0394", "--year", "2023", "--format", "json"))

    assert {(row["municipality_code"], row["year"]) for row in rows} == {("GM0394", 2023)}


def test_export_counts_never_adds_inflow_to_stock(haarlemmermeer):
    f.MigrantCountFactory(
        municipality=haarlemmermeer, motive_id="gezin", measure=Measure.INFLOW, persons=9_000
    )

    stock = json.loads(_export("--format", "json"))
    inflow = json.loads(_export("--measure", "inflow", "--format", "json"))

    assert sum(row["count"] for row in stock) == 1000
    assert [(row["motive"], row["count"], row["measure"]) for row in inflow] == [
        ("gezin", 9000, "inflow")
    ]


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_export_counts_neutralises_formulas_in_csv_cells(prefix):
    municipality = f.MunicipalityFactory(code="GM0001", name=f'{prefix}HYPERLINK("http://x")')
    f.MigrantCountFactory(municipality=municipality)

    rows = list(csv.DictReader(io.StringIO(_export())))

    assert rows[0]["municipality"] == f'\'{prefix}HYPERLINK("http://x")'


def test_export_counts_refuses_an_unknown_municipality():
    with pytest.raises(CommandError, match="GM9999"):
        _export("--municipality", "GM9999")


def test_export_counts_refuses_a_year_out_of_range():
    with pytest.raises(CommandError, match="1990"):
        _export("--year", "1800")


def test_export_counts_writes_the_dutch_excel_dialect_on_request(haarlemmermeer):
    text = _export("--format", "csv-nl")

    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    gezin = next(row for row in rows if row["motive"] == "gezin")
    assert gezin["share_of_migrants_pct"] == "75,0"
