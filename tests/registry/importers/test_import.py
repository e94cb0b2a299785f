"""The import engine: each accepted format, each refusal, all-or-nothing, idempotence."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from registry import models as rm
from registry.constants import ImportAction
from registry.importers.planning import ImportReport, PlannedRow
from registry.importers.results import ImportRefused
from registry.services import migrant_counts_import
from tests import factories as f
from tests.paths import DATA

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def municipalities():
    for code, name in [
        ("GM0394", "Haarlemmermeer"),
        ("GM0358", "Aalsmeer"),
        ("GM0637", "Zoetermeer"),
        ("NL01", "Nederland"),
    ]:
        f.MunicipalityFactory(code=code, name=name)


def snapshot() -> dict:
    """Everything an import may touch, to prove a refused file changed nothing."""
    return {
        "counts": sorted(
            rm.MigrantCount.objects.values_list(
                "municipality__code", "year", "motive_id", "measure", "persons", "import_batch_id"
            )
        ),
        "population": sorted(
            rm.Population.objects.values_list("municipality__code", "year", "inhabitants")
        ),
        "municipalities": sorted(rm.Municipality.objects.values_list("code", "name")),
        "batches": rm.ImportBatch.objects.count(),
        "sources": rm.Source.objects.count(),
    }


def _import(content: bytes | str, **options):
    if isinstance(content, str):
        content = content.encode()
    return migrant_counts_import(content=content, file_name="test.csv", **options)


def _file(name: str) -> bytes:
    return (DATA / name).read_bytes()


def _stored(code: str, year: int, measure: str = "stock") -> dict[str, int]:
    return dict(
        rm.MigrantCount.objects.filter(
            municipality__code=code, year=year, measure=measure
        ).values_list("motive_id", "persons")
    )


def _refusal(content, **options) -> ImportRefused:
    before = snapshot()
    with pytest.raises(ImportRefused) as refused:
        _import(content, **options)
    assert snapshot() == before
    return refused.value


# --- Formats ---


def test_statline_csv_with_labels_title_lines_and_footer_is_imported(municipalities):
    _import(_file("statline_labels.csv"))

    assert _stored("GM0394", 2023) == {
        "gezin": 7975,
        "arbeid": 4025,
        "asiel": 2525,
        "studie": 935,
        "oekraine": 1109,
    }
    assert rm.Population.objects.get(municipality__code="GM0394", year=2023).inhabitants == 162105


def test_statline_csv_missing_value_is_skipped_and_reported_not_stored_as_zero(municipalities):
    report = _import(_file("statline_labels.csv"))

    assert "onbekend" not in _stored("GM0394", 2023)
    assert [(s.row, s.symbol) for s in report.skipped] == [(9, ".")]


def test_statline_csv_in_windows_1252_with_codes_and_a_column_per_motive_is_imported(
    municipalities,
):
    _import(_file("statline_codes_cp1252.csv"))

    assert _stored("GM0394", 2022) == {
        "asiel": 2400,
        "arbeid": 3700,
        "gezin": 7600,
        "studie": 900,
        "oekraine": 1000,
        "onbekend": 1500,
    }
    assert _stored("GM0358", 2023) == {
        "asiel": 310,
        "arbeid": 1300,
        "gezin": 1010,
        "oekraine": 260,
        "onbekend": 160,
    }


def test_cbs_open_data_json_is_imported_as_the_chosen_measure(municipalities):
    _import(_file("cbs_odata_inflow.json"), measure="inflow")

    assert _stored("NL01", 2022, "inflow") == {
        "arbeid": 100,
        "asiel": 300,
        "gezin": 200,
        "studie": 50,
        "oekraine": 0,
        "onbekend": 25,
    }
    assert _stored("NL01", 2022, "stock") == {}


def test_cbs_open_data_total_is_checked_but_never_stored(municipalities):
    _import(_file("cbs_odata_inflow.json"), measure="inflow")

    assert set(_stored("NL01", 2023, "inflow")) == {
        "arbeid",
        "asiel",
        "gezin",
        "studie",
        "onbekend",
    }


def test_template_xlsx_with_dutch_headers_and_notation_is_imported(municipalities):
    _import(_file("template_nl.xlsx"), add_municipalities=True)

    assert _stored("GM0637", 2023) == {"arbeid": 1234, "gezin": 2345}
    assert rm.Population.objects.get(municipality__code="GM0637").inhabitants == 126000


def test_template_csv_with_english_headers_is_imported(municipalities):
    _import(_file("template_en.csv"))

    assert _stored("GM0394", 2023) == {"gezin": 7975, "arbeid": 4025}


def test_add_municipalities_adds_an_unknown_code_that_carries_a_name(municipalities):
    report = _import(_file("template_nl.xlsx"), add_municipalities=True)

    assert rm.Municipality.objects.get(code="GM9999").name == "Synthetische gemeente (test)"
    assert report.municipalities_added == ["GM9999"]


# --- Refusals: each names row and column and changes nothing ---


def test_unknown_municipality_code_is_refused_without_add_municipalities(municipalities):
    refused = _refusal(_file("template_nl.xlsx"))

    assert "row 4" in str(refused)
    assert "Gemeentecode" in str(refused)
    assert "GM9999" in str(refused)


def test_unknown_code_without_a_name_is_refused_even_with_add_municipalities(municipalities):
    refused = _refusal(
        "Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0001;2023;asiel;5\n", add_municipalities=True
    )

    assert "row 2" in str(refused)
    assert "no name" in str(refused)


def test_unknown_municipality_name_is_refused(municipalities):
    refused = _refusal("Regio's;Perioden;Migratiemotief;Aantal\nAtlantis;2023;Asiel;5\n")

    assert "row 2, column “Regio's”: “Atlantis”" in str(refused)


def test_unknown_motive_is_refused(municipalities):
    refused = _refusal("Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;Toerisme;5\n")

    assert "row 2, column “Migratiemotief”: “Toerisme” is not a known migration motive" in str(
        refused
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [("-5", "is negative"), ("12,5", "is not a whole number"), ("1.2", "is not a whole number")],
)
def test_negative_or_fractional_count_is_refused(municipalities, value, reason):
    refused = _refusal(f"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;{value}\n")

    assert f"row 2, column “Aantal”: “{value}” {reason}" in str(refused)


@pytest.mark.parametrize("year", ["1989", "2101", "2023KW01"])
def test_year_outside_1990_to_2100_or_not_a_year_is_refused(municipalities, year):
    refused = _refusal(f"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;{year};asiel;5\n")

    assert f"row 2, column “Jaar”: “{year}”" in str(refused)


def test_missing_count_column_is_refused(municipalities):
    refused = _refusal("Gemeentecode;Jaar;Migratiemotief\nGM0394;2023;asiel\n")

    assert "required column is missing" in str(refused)
    assert "Aantal" in str(refused)


def test_missing_period_column_is_refused(municipalities):
    refused = _refusal("Gemeentecode;Migratiemotief;Aantal\nGM0394;asiel;5\n")

    assert "period column" in str(refused)


def test_two_rows_with_different_values_for_the_same_key_are_refused(municipalities):
    refused = _refusal(
        "Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;5\nGM0394;2023;asiel;6\n"
    )

    assert "row 3, column “Aantal”: “6” differs from row 2" in str(refused)


def test_two_identical_rows_are_accepted_once(municipalities):
    report = _import(
        "Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;5\nGM0394;2023;asiel;5\n"
    )

    assert report.created == 1


def test_total_that_differs_from_the_sum_of_the_motives_is_refused(municipalities):
    refused = _refusal(
        "Gemeentecode;Jaar;Migratiemotief;Aantal\n"
        "GM0394;2023;asiel;5\nGM0394;2023;gezin;5\nGM0394;2023;Totaal;11\n"
    )

    assert "row 4, column “Aantal”: “11” differs from the sum of the motives (10)" in str(refused)


@pytest.mark.parametrize("content", [b"", b"   \n  \n"])
def test_empty_file_is_refused(municipalities, content):
    refused = _refusal(content)

    assert "empty" in str(refused)


def test_unreadable_file_is_refused(municipalities):
    refused = _refusal(b"\x00\x01\x02garbage\xff\xfe")

    assert "not text" in str(refused)


def test_cell_over_1000_characters_is_refused(municipalities):
    refused = _refusal(f"Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;{'a' * 1001};5\n")

    assert "row 2, column “Migratiemotief”: The cell is longer than 1000 characters" in str(refused)


def test_file_over_50_mb_is_refused(municipalities):
    refused = _refusal(b"Gemeentecode;Jaar;Migratiemotief;Aantal\n" + b" " * (50 * 1024 * 1024))

    assert "larger than 50 MB" in str(refused)


def test_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_opened(
    municipalities, tmp_path
):
    import zipfile

    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (201 * 1024 * 1024))

    refused = _refusal(bomb.read_bytes())

    assert "unpacks to 201 MB" in str(refused)


def test_xlsx_with_too_many_parts_is_refused(municipalities, tmp_path):
    import zipfile

    crowded = tmp_path / "crowded.xlsx"
    with zipfile.ZipFile(crowded, "w") as archive:
        for index in range(501):
            archive.writestr(f"part{index}.xml", b"")

    refused = _refusal(crowded.read_bytes())

    assert "501 parts" in str(refused)


def test_refusal_lists_the_first_50_problems_and_counts_all(municipalities):
    rows = "".join(f"GM0394;2023;asiel;-{n}\n" for n in range(60))
    refused = _refusal("Gemeentecode;Jaar;Migratiemotief;Aantal\n" + rows)

    assert "60 problem(s) found" in str(refused)
    assert "… and 10 more." in str(refused)
    assert len(refused.problems) == 60


def test_a_bad_last_row_of_a_20000_row_file_leaves_nothing_written(municipalities):
    source = f.SourceFactory()
    for code_number in range(400):
        f.MunicipalityFactory(code=f"GM{5000 + code_number:04d}", name=f"Synthetisch {code_number}")
    lines = ["Gemeentecode;Jaar;Migratiemotief;Aantal"]
    motives = ["asiel", "arbeid", "gezin", "studie", "oekraine"]
    for index in range(19_999):
        code = f"GM{5000 + index % 400:04d}"
        year = 2000 + (index // 400) % 10
        motive = motives[(index // 4000) % 5]
        lines.append(f"{code};{year};{motive};{index}")
    lines.append("GM5000;2023;asiel;-1")

    refused = _refusal("\n".join(lines) + "\n", source=source)

    assert "row 20001" in str(refused)
    assert rm.MigrantCount.objects.count() == 0


# --- Dry run, idempotence, batches, queries ---


def test_dry_run_reports_what_would_change_and_writes_nothing(municipalities):
    before = snapshot()

    report = _import(_file("statline_labels.csv"), dry_run=True)

    assert report.created == 5
    assert report.populations_created == 1
    assert snapshot() == before


def test_reimporting_the_same_file_changes_nothing_and_says_so(municipalities):
    _import(_file("statline_labels.csv"))
    before = snapshot()

    report = _import(_file("statline_labels.csv"))

    assert snapshot() == before
    assert (report.created, report.updated, report.unchanged) == (0, 0, 5)
    assert "Nothing changed" in report.summary()
    assert report.batch is None


def test_changed_value_is_updated_and_points_to_the_new_batch(municipalities):
    first = _import(
        "Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;5\nGM0394;2023;gezin;7\n"
    )
    second = _import(
        "Gemeentecode;Jaar;Migratiemotief;Aantal\nGM0394;2023;asiel;6\nGM0394;2023;gezin;7\n"
    )

    assert (second.created, second.updated, second.unchanged) == (0, 1, 1)
    assert rm.MigrantCount.objects.get(motive_id="asiel").import_batch == second.batch
    assert rm.MigrantCount.objects.get(motive_id="gezin").import_batch == first.batch


def test_import_batch_records_file_name_hash_and_row_totals(municipalities, griffie):
    report = migrant_counts_import(
        content=_file("statline_labels.csv"), file_name="cbs.csv", user=griffie
    )

    batch = report.batch
    assert (batch.file_name, batch.user, batch.file_format) == ("cbs.csv", griffie, "statline_csv")
    assert len(batch.file_sha256) == 64
    assert (batch.rows_created, batch.rows_updated, batch.rows_unchanged, batch.rows_skipped) == (
        5,
        0,
        0,
        1,
    )


def _queries_for_import(rows: int) -> int:
    lines = ["Gemeentecode;Jaar;Migratiemotief;Aantal"]
    lines += [f"GM0394;{1990 + n};asiel;{n}" for n in range(rows)]
    with CaptureQueriesContext(connection) as queries:
        _import("\n".join(lines) + "\n")
    return len(queries)


def test_query_count_of_an_import_does_not_grow_with_its_rows(municipalities):
    assert _queries_for_import(5) == _queries_for_import(100)


def test_a_code_that_is_not_a_cbs_code_is_refused_even_with_add_municipalities(municipalities):
    refused = _refusal(
        "Gemeentecode;Gemeente;Jaar;Migratiemotief;Aantal\nGM03940;Nergens;2023;asiel;5\n",
        add_municipalities=True,
    )

    assert "row 2, column “Gemeentecode”: “GM03940” is not a CBS region code" in str(refused)


def _planned(row: int, action: str) -> PlannedRow:
    return PlannedRow(row, "GM0394", "Haarlemmermeer", 2023, "asiel", "stock", 1, 2, action)


def test_the_preview_puts_changed_figures_before_new_ones_and_leaves_out_unchanged_ones():
    report = ImportReport(file_format="csv", dry_run=True)
    report.planned = [
        _planned(1, ImportAction.NEW),
        _planned(2, ImportAction.UPDATE),
        _planned(3, ImportAction.UNCHANGED),
        _planned(4, ImportAction.NEW),
    ]

    assert [row.row for row in report.preview_rows()] == [2, 1, 4]
