"""The clerk's import in the admin: upload, preview, confirm; and the count exports."""

import csv
import io
import json
import re
from html import unescape

import openpyxl
import pytest
from django.urls import reverse

from registry import models as rm
from registry.importers import planning
from tests import factories as f
from tests.i18n import translated
from tests.paths import DATA

IMPORT_URL = reverse("admin:registry_migrantcount_import")
CONFIRM_URL = reverse("admin:registry_migrantcount_process_import")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def haarlemmermeer():
    return f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")


def _upload(client, name: str = "statline_labels.csv", content: bytes | None = None, **options):
    upload = io.BytesIO(content if content is not None else (DATA / name).read_bytes())
    upload.name = name
    return client.post(
        IMPORT_URL,
        {"format": "0", "resource": "0", "import_file": upload, "measure": "stock", **options},
    )


def _confirm(client, preview):
    initial = preview.context["confirm_form"].initial
    data = {key: value for key, value in initial.items() if value is not None}
    return client.post(CONFIRM_URL, data)


def test_clerk_sees_a_preview_of_new_rows_before_anything_is_written(
    client, griffie, haarlemmermeer
):
    client.force_login(griffie)

    preview = _upload(client)

    assert preview.status_code == 200
    assert preview.context["confirm_form"] is not None
    assert [row.action for row in preview.context["result"].report.planned].count("new") == 6
    assert '<tr class="new">' in preview.text
    assert rm.MigrantCount.objects.count() == 0


def test_clerk_confirms_and_the_counts_are_stored_with_their_batch(client, griffie, haarlemmermeer):
    client.force_login(griffie)
    preview = _upload(client)

    response = _confirm(client, preview)

    batch = rm.ImportBatch.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:registry_importbatch_change", args=[batch.pk])
    assert batch.user == griffie
    assert batch.file_name == "statline_labels.csv"
    assert rm.MigrantCount.objects.filter(import_batch=batch).count() == 5


def test_preview_shows_changed_and_unchanged_rows_on_reimport(client, griffie, haarlemmermeer):
    client.force_login(griffie)
    _confirm(client, _upload(client))
    rm.MigrantCount.objects.filter(motive_id="asiel").update(persons=1)

    preview = _upload(client)

    actions = [row.action for row in preview.context["result"].report.planned]
    assert actions.count("update") == 1
    assert actions.count("unchanged") == 5
    assert '<tr class="update">' in preview.text


def _preview_table_rows(preview) -> list[str]:
    table = preview.text.split('class="import-preview"', 1)[1].split("</table>", 1)[0]
    return re.findall(r"<tr class=\"(\w+)\">", table)


def test_preview_lists_only_the_figures_that_change(client, griffie, haarlemmermeer):
    client.force_login(griffie)
    _confirm(client, _upload(client))
    rm.MigrantCount.objects.filter(motive_id="asiel").update(persons=1)

    preview = _upload(client)

    assert _preview_table_rows(preview) == ["update"]
    assert translated("Figures that stay as they are (%(count)s) are not listed.", count=5) in (
        preview.text
    )


def test_preview_lists_at_most_its_limit_and_says_how_many_there_are(
    client, griffie, haarlemmermeer, monkeypatch
):
    monkeypatch.setattr(planning, "PREVIEW_ROW_LIMIT", 2)
    client.force_login(griffie)

    preview = _upload(client)

    assert len(_preview_table_rows(preview)) == 2
    assert (
        translated(
            "The first %(shown)s of %(total)s new or changed figures are listed; the summary and"
            " the totals above cover the whole file.",
            shown=2,
            total=6,
        )
        in preview.text
    )


def test_preview_totals_show_each_motive_now_and_after_the_import(client, griffie, haarlemmermeer):
    client.force_login(griffie)
    _confirm(client, _upload(client))
    rm.MigrantCount.objects.filter(motive_id="asiel").update(persons=1)

    preview = _upload(client)

    totals = {
        total.motive: (total.old, total.new, total.difference)
        for total in preview.context["result"].report.planned_totals()
    }
    assert totals["asiel"] == (1, 2525, 2524)
    assert totals["gezin"] == (7975, 7975, 0)
    assert "+2.524" in preview.text


def test_chosen_measure_travels_from_upload_to_confirm(client, griffie, haarlemmermeer):
    client.force_login(griffie)
    preview = _upload(client, measure="inflow")

    _confirm(client, preview)

    assert set(rm.MigrantCount.objects.values_list("measure", flat=True)) == {"inflow"}


@pytest.mark.translation
def test_refused_file_lists_its_problems_in_dutch_and_offers_no_confirm(client, griffie):
    client.force_login(griffie)

    response = _upload(client)

    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    assert "rij 4, kolom “Regio's”: “Haarlemmermeer” is geen bekende gemeentenaam" in unescape(
        response.text
    )
    assert rm.MigrantCount.objects.count() == 0


def test_template_can_be_downloaded_from_the_import_page(client, griffie):
    client.force_login(griffie)

    page = client.get(IMPORT_URL)
    template = client.get(reverse("admin:registry_migrantcount_import_template", args=["csv"]))

    assert reverse("admin:registry_migrantcount_import_template", args=["xlsx"]) in page.text
    assert template.content.decode().splitlines()[0] == (
        "Gemeentecode,Gemeente,Jaar,Migratiemotief,Maat,Aantal,Bevolking"
    )


def test_downloaded_template_imports_as_is(client, griffie, haarlemmermeer):
    client.force_login(griffie)
    template = client.get(reverse("admin:registry_migrantcount_import_template", args=["xlsx"]))

    _confirm(client, _upload(client, name="sjabloon.xlsx", content=template.content))

    assert dict(rm.MigrantCount.objects.values_list("motive_id", "persons")) == {
        "gezin": 7975,
        "arbeid": 4025,
    }


def test_downloaded_xlsx_template_names_its_sheet_after_what_it_holds(client, griffie):
    client.force_login(griffie)

    template = client.get(reverse("admin:registry_migrantcount_import_template", args=["xlsx"]))

    assert openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames == ["Migrantenaantallen"]


@pytest.mark.parametrize("role", ["rekenkamer"])
def test_audit_office_may_not_import(client, request, role):
    client.force_login(request.getfixturevalue(role))

    assert client.get(IMPORT_URL).status_code == 403
    assert _upload(client).status_code == 403
    assert client.post(CONFIRM_URL, {}).status_code == 403


def test_council_member_never_reaches_the_import(client, raadslid):
    client.force_login(raadslid)

    response = client.get(IMPORT_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_clerk_sees_which_counts_a_batch_last_set(client, griffie, haarlemmermeer):
    client.force_login(griffie)
    _confirm(client, _upload(client))
    batch = rm.ImportBatch.objects.get()

    listing = client.get(
        reverse("admin:registry_migrantcount_changelist"), {"import_batch__id__exact": batch.pk}
    )

    assert listing.context["cl"].result_count == 5


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
@pytest.mark.parametrize(
    "file_format", [("0", "csv-nl"), ("1", "csv"), ("2", "xlsx"), ("3", "json")]
)
def test_admin_export_neutralises_cells_that_start_with_a_formula_character(
    client, griffie, prefix, file_format
):
    municipality = f.MunicipalityFactory(code="GM0001", name=f"{prefix}cmd|' /C calc'!A0")
    f.MigrantCountFactory(municipality=municipality)
    client.force_login(griffie)

    response = client.post(
        reverse("admin:registry_migrantcount_export"),
        {
            "format": file_format[0],
            "resource": "0",
            **{
                f"migrantcountexportresource_{name}": "on"
                for name in [
                    "municipality_code",
                    "municipality",
                    "year",
                    "motive",
                    "measure",
                    "count",
                ]
            },
        },
    )

    expected = f"'{prefix}cmd|' /C calc'!A0"
    if file_format[1] == "xlsx":
        expected = expected.replace("\r", "\n")  # XML reads a lone CR back as LF
    assert _exported_municipality_names(response.content, file_format[1]) == [expected]


def _exported_municipality_names(content: bytes, kind: str) -> list[str]:
    if kind == "csv":
        return [row["municipality"] for row in csv.DictReader(io.StringIO(content.decode()))]
    if kind == "csv-nl":
        text = content.decode("utf-8-sig")
        return [row["municipality"] for row in csv.DictReader(io.StringIO(text), delimiter=";")]
    if kind == "json":
        return [row["municipality"] for row in json.loads(content)]
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    column = header.index("municipality")
    return [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]


def test_admin_csv_export_quotes_texts_and_leaves_numbers_bare(client, griffie):
    f.MigrantCountFactory(
        municipality=f.MunicipalityFactory(code="GM0001", name="Zie bijlage;=HYPERLINK(A1);"),
        persons=18480,
    )
    client.force_login(griffie)

    response = client.post(
        reverse("admin:registry_migrantcount_export"),
        {
            "format": "0",
            "resource": "0",
            "migrantcountexportresource_municipality": "on",
            "migrantcountexportresource_count": "on",
        },
    )

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == '"Zie bijlage;\'=HYPERLINK(A1);";18480'


@pytest.mark.translation
def test_admin_xlsx_export_names_its_sheet_and_keeps_the_english_columns(client, griffie):
    f.MigrantCountFactory(municipality=f.MunicipalityFactory(code="GM0001", name="Aalsmeer"))
    client.force_login(griffie)

    response = client.post(
        reverse("admin:registry_migrantcount_export"),
        {
            "format": "2",
            "resource": "0",
            "migrantcountexportresource_municipality_code": "on",
            "migrantcountexportresource_count": "on",
        },
    )

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Migrantenaantallen"]
    assert next(workbook.active.iter_rows(values_only=True)) == ("municipality_code", "count")
