"""CBS labels as StatLine writes them (issue 13, items 1–3): topic paths in both layouts,
columns that are never dropped silently, the measure a label names, every problem at once."""

import pytest

from registry import models as rm
from registry.importers.results import ImportRefused
from registry.services import migrant_counts_import
from tests import factories as f
from tests.paths import DATA

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def municipalities():
    for code, name in [("GM0394", "Haarlemmermeer"), ("GM0358", "Aalsmeer")]:
        f.MunicipalityFactory(code=code, name=name)


def _statline(header: list[str], *rows: list[str]) -> bytes:
    """A StatLine "CSV met statistische symbolen": BOM, `;`, every field quoted, CRLF."""
    lines = [";".join(f'"{cell}"' for cell in line) for line in [header, *rows]]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def _import(content: bytes, **options):
    return migrant_counts_import(content=content, file_name="cbs.csv", **options)


def _refused(content: bytes, **options) -> str:
    counts = list(rm.MigrantCount.objects.values_list("id", "persons"))
    with pytest.raises(ImportRefused) as refused:
        _import(content, **options)
    assert list(rm.MigrantCount.objects.values_list("id", "persons")) == counts
    return str(refused.value)


def _stored(measure: str = "stock") -> dict[str, int]:
    return dict(
        rm.MigrantCount.objects.filter(municipality__code="GM0394", measure=measure).values_list(
            "motive_id", "persons"
        )
    )


# --- Long layout: the one figure column is the count, whatever its last part says ---


@pytest.mark.parametrize(
    "count_label",
    [
        "Migranten (aantal)",
        "Migranten",
        "Migranten/Totaal (aantal)",
        "Migranten/Totaal",
        "Bevolkingsregister/Migranten/Totaal (aantal)",
        "Aantal",
    ],
)
@pytest.mark.parametrize("population", [None, "Bevolking/Bevolking op 1 januari (aantal)"])
def test_long_file_reads_its_one_figure_column_as_the_count(
    municipalities, count_label, population
):
    header = ["Regio's", "Perioden", "Migratiemotief", count_label]
    rows = [["Haarlemmermeer", "2023", "Asielmigratie", "      2525"]]
    if population:
        header.append(population)
        rows[0].append("    162105")

    _import(_statline(header, *rows))

    assert _stored() == {"asiel": 2525}
    assert rm.Population.objects.exists() == bool(population)


def test_long_file_as_statline_writes_it_with_a_total_row_and_a_footer(municipalities):
    report = _import((DATA / "statline_long_topic_path.csv").read_bytes())

    assert _stored() == {"gezin": 7975, "arbeid": 4025, "asiel": 2525}
    assert report.populations_created == 1


def test_long_file_with_two_count_columns_is_refused_naming_the_second(municipalities):
    text = _refused(
        _statline(
            ["Regio's", "Perioden", "Migratiemotief", "Migranten (aantal)", "Immigratie (aantal)"],
            ["Haarlemmermeer", "2023", "Asiel", "5", "3"],
        )
    )

    assert "column “Immigratie (aantal)”" in text
    assert "second count column" in text


# --- Wide layout: the last part is the motive ---


@pytest.mark.parametrize(
    "labels",
    [
        ["Asiel", "Arbeid"],
        ["Asiel (aantal)", "Arbeid (aantal)"],
        ["Migranten/Asiel (aantal)", "Migranten/Arbeid (aantal)"],
        ["Migranten/Migratiemotief/Asiel (aantal)", "Migranten/Migratiemotief/Arbeid (aantal)"],
        ["Migranten/Migratiemotief/Asiel", "Migranten/Migratiemotief/Arbeid"],
    ],
)
@pytest.mark.parametrize("population", [None, "Bevolking/Bevolking op 1 januari (aantal)"])
def test_wide_file_reads_the_last_part_of_each_label_as_the_motive(
    municipalities, labels, population
):
    header = ["Regio's", "Perioden", *labels]
    row = ["GM0394    ", "2023JJ00", "      2525", "      4025"]
    if population:
        header.append(population)
        row.append("    162105")

    _import(_statline(header, row))

    assert _stored() == {"asiel": 2525, "arbeid": 4025}
    assert rm.Population.objects.exists() == bool(population)


def test_wide_inflow_file_with_three_levels_and_a_total_is_imported_as_inflow(municipalities):
    _import((DATA / "statline_wide_inflow.csv").read_bytes(), measure="inflow")

    assert _stored("inflow") == {
        "asiel": 610,
        "arbeid": 720,
        "gezin": 540,
        "studie": 210,
        "oekraine": 300,
        "onbekend": 100,
    }


def test_wide_column_whose_last_part_is_no_motive_is_refused_naming_it(municipalities):
    text = _refused(
        _statline(
            [
                "Regio's",
                "Perioden",
                "Migranten/Migratiemotief/Asiel (aantal)",
                "Migranten/Toerisme (aantal)",
            ],
            ["GM0394", "2023", "5", "3"],
        )
    )

    assert "column “Migranten/Toerisme (aantal)”: ends in “Toerisme (aantal)”" in text


def test_wide_column_with_a_motive_in_the_middle_is_no_longer_taken_for_that_motive(
    municipalities,
):
    text = _refused(
        _statline(
            ["Regio's", "Perioden", "Migranten/Asiel/Mannen (aantal)"], ["GM0394", "2023", "5"]
        )
    )

    assert "“Migranten/Asiel/Mannen (aantal)”" in text


# --- Never drop a column with figures silently ---


def test_count_column_in_a_file_without_a_motive_column_is_refused(municipalities):
    text = _refused(
        _statline(
            ["Regio's", "Perioden", "Migranten (aantal)", "Bevolking op 1 januari (aantal)"],
            ["Haarlemmermeer", "2023", "14525", "162105"],
        )
    )

    assert "column “Migranten (aantal)”: holds counts, but the file has no motive column" in text
    assert not rm.Population.objects.exists()


def test_population_only_file_is_accepted(municipalities):
    report = _import(
        _statline(
            ["Regio's", "Perioden", "Bevolking/Bevolking op 1 januari (aantal)"],
            ["Haarlemmermeer", "2023", "162105"],
        )
    )

    assert report.populations_created == 1


def test_unknown_column_with_numbers_is_refused_naming_it(municipalities):
    text = _refused(b"Gemeentecode;Jaar;Migratiemotief;Aantal;Mannen\nGM0394;2023;asiel;5;3\n")

    assert "column “Mannen”: holds numbers (“3” in row 2)" in text


def test_ignorable_label_columns_and_unknown_text_columns_are_passed_over(municipalities):
    _import(
        b"Gemeentecode;Gemeentenaam;Provincie;Jaar;Migratiemotief;Aantal;Toelichting;Kleur\n"
        b"GM0394;Haarlemmermeer;Noord-Holland;2023;asiel;5;voorlopig 12;blauw\n"
    )

    assert _stored() == {"asiel": 5}


def test_total_only_wide_file_is_refused(municipalities):
    text = _refused(
        _statline(["Regio's", "Perioden", "Migranten/Totaal (aantal)"], ["GM0394", "2023", "5"])
    )

    assert "total without the motives" in text


def test_odata_file_with_a_second_topic_field_is_refused_naming_it(municipalities):
    content = (
        b'{"value": [{"ID": 0, "RegioS": "GM0394    ", "Perioden": "2023JJ00", '
        b'"Migratiemotief": "A009233", "Immigratie_1": 5, "Emigratie_2": 1}]}'
    )

    text = _refused(content, measure="inflow")

    assert "Emigratie_2" in text


# --- The measure a label names must agree with the clerk's choice ---


def test_inflow_label_imported_as_stock_is_refused_naming_the_conflict(municipalities):
    text = _refused((DATA / "statline_wide_inflow.csv").read_bytes(), measure="stock")

    assert "counts an inflow" in text
    assert "“Immigratie/Migratiemotief/Totaal (aantal)”" in text


def test_stock_label_imported_as_inflow_is_refused(municipalities):
    text = _refused(
        _statline(
            ["Regio's", "Perioden", "Migratiemotief", "Migranten op 1 januari (aantal)"],
            ["Haarlemmermeer", "2023", "Asiel", "5"],
        ),
        measure="inflow",
    )

    assert "counts a stock" in text


def test_odata_inflow_topic_imported_as_stock_is_refused(municipalities):
    text = _refused((DATA / "cbs_odata_inflow.json").read_bytes(), measure="stock")

    assert "column “Immigratie_1”: counts an inflow" in text


def test_file_whose_measure_column_disagrees_with_its_label_is_refused_at_the_row(
    municipalities,
):
    text = _refused(
        b"Gemeentecode;Jaar;Migratiemotief;Maat;Immigratie\nGM0394;2023;asiel;stand;5\n",
        measure="inflow",
    )

    assert "row 2, column “Immigratie”: counts an inflow" in text


# --- Every problem at once ---


def test_refusal_lists_every_kind_of_problem_of_every_row(municipalities):
    text = _refused(
        b"Gemeentecode;Jaar;Migratiemotief;Aantal\n"
        b"GM0394;2023;asiel;-3\n"
        b"GM9999;2023;gezin;5\n"
        b"GM0394;20x3;arbeid;5\n"
        b"GM9998;2023;toerisme;-1\n"
    )

    assert "6 problem(s) found" in text
    assert "row 2, column “Aantal”: “-3” is negative" in text
    assert "row 3, column “Gemeentecode”: “GM9999” is not a known municipality code" in text
    assert "row 4, column “Jaar”: “20x3” is not a year" in text
    assert "row 5, column “Aantal”: “-1” is negative" in text
    assert "row 5, column “Migratiemotief”: “toerisme” is not a known migration motive" in text
    assert "row 5, column “Gemeentecode”: “GM9998” is not a known municipality code" in text


def test_reading_stops_at_the_problem_cap_and_says_so(municipalities):
    rows = "".join(f"GM0394;2023;asiel;-{n}\n" for n in range(1500))

    text = _refused(f"Gemeentecode;Jaar;Migratiemotief;Aantal\n{rows}".encode())

    assert "1001 problem(s) found" in text
    assert "Reading stopped after 1000 problems" in text


def test_unknown_municipalities_beyond_the_problem_cap_are_counted_once(municipalities):
    rows = "".join(f"GM{9000 - n:04d};2023;asiel;5\n" for n in range(1500))

    text = _refused(f"Gemeentecode;Jaar;Migratiemotief;Aantal\n{rows}".encode())

    assert "1001 problem(s) found" in text
    assert text.count("Reading stopped after 1000 problems") == 1


def test_xlsx_with_shared_strings_blank_rows_and_gaps_is_read_as_excel_shows_it(
    municipalities, tmp_path
):
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Migranten; migratiemotief (sjabloon)"])
    sheet.append(["Gemeentecode", "Jaar", "Migratiemotief", None, "Aantal"])
    sheet.append(["GM0394", 2023, "Asiel", None, 2525.0])
    sheet.append([])
    sheet.append(["GM0394", 2023, "Gezin", None, "7.975"])
    sheet.append(["GM0394", "2023", "Studie", None, -3])
    path = tmp_path / "blad.xlsx"
    workbook.save(path)

    text = _refused(path.read_bytes())

    assert "1 problem(s) found" in text
    assert "row 6, column “Aantal”: “-3” is negative" in text


def test_admin_preview_lists_every_kind_of_problem_in_one_report(municipalities, client, griffie):
    import io
    from html import unescape

    from django.urls import reverse

    upload = io.BytesIO(
        b"Gemeentecode;Jaar;Migratiemotief;Aantal;Mannen\n"
        b"GM0394;2023;asiel;-3;1\n"
        b"GM9999;2023;gezin;5;\n"
        b"GM0394;20x3;arbeid;5;\n"
    )
    upload.name = "fout.csv"
    client.force_login(griffie)

    response = client.post(
        reverse("admin:registry_migrantcount_import"),
        {"format": "0", "resource": "0", "import_file": upload, "measure": "stock"},
    )

    page = unescape(response.content.decode())
    assert "4 problemen gevonden" in page
    assert "kolom “Mannen”: bevat getallen" in page
    assert "rij 2, kolom “Aantal”: “-3” is negatief" in page
    assert "rij 3, kolom “Gemeentecode”: “GM9999” is geen bekende gemeentecode" in page
    assert "rij 4, kolom “Jaar”: “20x3” is geen jaar" in page
