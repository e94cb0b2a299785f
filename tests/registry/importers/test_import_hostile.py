"""Hostile and broken files (issue 13, items 4, 6 and 7): each is refused with a Dutch
message naming the problem, through the command and the admin alike, with the stored
figures byte for byte unchanged, no server error, no traceback, nothing left waiting and
an `import_refused` audit line."""

import io
import logging
import random
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import translation

from migrantportal import upload_limits
from registry import models as rm
from registry.importers.results import ImportRefused
from registry.services import migrant_counts_import
from tests import factories as f
from tests.paths import DATA

IMPORT_URL = reverse("admin:registry_migrantcount_import")
CATCH_ALL = "could not be read; nothing was imported"

pytestmark = pytest.mark.django_db


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _xlsx_with_sheet(sheet_xml: bytes) -> bytes:
    """An XLSX file's parts as Excel writes them, around the given sheet."""
    return _zip(
        {
            "[Content_Types].xml": b"<Types/>",
            "xl/workbook.xml": (
                b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                b'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                b'<sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>'
            ),
            "xl/_rels/workbook.xml.rels": (
                b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                b'relationships"><Relationship Id="rId1" Target="worksheets/sheet1.xml" '
                b'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                b'worksheet"/></Relationships>'
            ),
            "xl/worksheets/sheet1.xml": sheet_xml,
        }
    )


HEADER = b"Gemeentecode;Jaar;Migratiemotief;Aantal\n"

# name: (content, what the Dutch message says)
HOSTILE = {
    "empty": (b"", "Het bestand is leeg"),
    "only white space": (b" \r\n\t \n", "Het bestand is leeg"),
    "byte 0x81 undefined in Windows-1252": (HEADER + b"GM0394;2023;asiel;5\x81\n", "0x81"),
    "byte 0x9D undefined in Windows-1252": (HEADER + b"GM0394;2023;\x9dsiel;5\n", "0x9D"),
    "field larger than the csv module's limit": (
        HEADER + b'GM0394;2023;"' + b"a" * 200_000 + b'";5\n',
        "langer dan 100000 tekens",
    ),
    "one row of millions of cells": (HEADER + b";" * 3_000_000 + b"\n", "langer dan 100000"),
    "header of millions of cells": (b";" * 3_000_000 + b"\n", "langer dan 100000"),
    "JSON nested 100,000 deep": (
        b'{"value": ' + b"[" * 100_000 + b"]" * 100_000 + b"}",
        "te diep genest",
    ),
    "more than 500,000 cells": (
        b"Gemeentecode;Jaar;Migratiemotief;Aantal"
        + b";Toelichting" * 90
        + b"\n"
        + (b"GM0394;2023;asiel;5" + b";" * 90 + b"\n") * 6000,
        "meer dan 500000 cellen",
    ),
    "JSON list nested 100,000 deep": (b"[" * 100_000 + b"]" * 100_000, "geen lijst “value”"),
    "JSON that is not valid": (b'{"value": [{"RegioS": }]}', "geen geldige JSON"),
    "JSON with a next page": (
        (DATA / "cbs_odata_inflow.json")
        .read_bytes()
        .replace(b'"value"', b'"odata.nextLink": "https://example.org/p2", "value"', 1),
        "alleen de eerste pagina",
    ),
    "PNG image renamed to .csv": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "PNG"),
    "JPEG image renamed to .csv": (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 64, "JPEG"),
    "PDF renamed to .csv": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "PDF"),
    "old Excel file": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512, ".xls"),
    "UTF-16 text": ("Gemeentecode\tJaar\n".encode("utf-16"), "UTF-16"),
    "zero bytes in text": (HEADER + b"GM0394;2023;asiel;\x005\n", "geen tekst"),
    "XLSX that is really a damaged ZIP": (b"PK\x03\x04" + b"\x00" * 200, "geen leesbaar XLSX"),
    "XLSX that is a Word file": (
        _zip({"word/document.xml": b"<w:document/>"}),
        "geen leesbaar XLSX",
    ),
    "XLSX whose sheet is no XML": (_xlsx_with_sheet(b"<worksheet><sheetData><row"), "XLSX"),
    "XLSX with an entity declaration": (
        _xlsx_with_sheet(b'<!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>'),
        "geen leesbaar XLSX",
    ),
    "XLSX with a cell in the last column": (
        _xlsx_with_sheet(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1"><c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>'
            b"</sheetData></worksheet>"
        ),
        "meer dan 100 cellen",
    ),
    "XLSX with a row far down": (
        _xlsx_with_sheet(
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<sheetData><row r="1048576"><c r="A1048576"><v>1</v></c></row>'
            b"</sheetData></worksheet>"
        ),
        "meer dan 50000 rijen",
    ),
    "XLSX bomb": (
        _zip({"xl/workbook.xml": b"<workbook/>", "xl/worksheets/sheet1.xml": b"0" * (101 << 20)}),
        "pakt uit tot 101 MB",
    ),
    "CSV without a header": (b"a;b;c\n1;2;3\n", "Geen kopregel"),
    "CSV with every kind of bad row": (
        HEADER + b"GM9999;2023;asiel;-3\nGM0394;20x3;toerisme;1,5\n",
        "“GM9999” is geen bekende gemeentecode",
    ),
    "more than 50,000 rows": (
        HEADER + b"GM0394;2023;asiel;5\n" * 50_001,
        "meer dan 50000 rijen",
    ),
}


@pytest.fixture
def stored():
    """Some figures already stored, to prove that a refused file leaves them as they are."""
    municipality = f.MunicipalityFactory(code="GM0394", name="Haarlemmermeer")
    f.MigrantCountFactory(municipality=municipality, year=2022, motive_id="asiel", persons=7)
    return municipality


@pytest.fixture
def audit(caplog):
    def records(event: str) -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "migrantportal.audit" and r.msg == event]

    caplog.set_level(logging.INFO, logger="migrantportal.audit")
    return records


def _export() -> str:
    out = io.StringIO()
    call_command("export_counts", "--format", "json", stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_in_dutch_on_the_command_line(name, stored, tmp_path, audit):
    content, expected = HOSTILE[name]
    path = tmp_path / "bestand.csv"
    path.write_bytes(content)
    before = _export()

    with translation.override("nl"), pytest.raises(CommandError) as refused:
        call_command("import_counts", str(path), stdout=io.StringIO())

    assert "Het bestand is geweigerd" in str(refused.value) or "Het bestand is" in str(
        refused.value
    )
    assert expected in str(refused.value)
    assert CATCH_ALL not in str(refused.value)
    assert _export() == before
    assert audit("import_refused")


def _upload(client, name: str, content: bytes, **options):
    upload = io.BytesIO(content)
    upload.name = name
    fields = {"format": "0", "resource": "0", "import_file": upload, "measure": "stock"}
    return client.post(IMPORT_URL, fields, **options)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_file_is_refused_in_dutch_in_the_admin(name, stored, client, griffie, audit):
    content, expected = HOSTILE[name]
    client.force_login(griffie)
    before = _export()

    response = _upload(client, "bestand.csv", content)

    assert response.status_code == 200
    assert response.context.get("confirm_form") is None
    page = response.content.decode()
    assert "Het bestand is geweigerd" in page
    assert expected in page.replace("&#x27;", "'").replace("&quot;", '"')
    assert _export() == before
    assert not rm.PendingUpload.objects.exists()
    assert audit("import_refused")


def test_too_large_file_is_refused_on_the_command_line_before_it_is_read(stored, tmp_path):
    path = tmp_path / "groot.csv"
    with path.open("wb") as sparse:
        sparse.truncate(200 * 1024 * 1024)  # 200 MB, without writing them
    before = _export()

    with translation.override("nl"), pytest.raises(CommandError) as refused:
        call_command("import_counts", str(path), stdout=io.StringIO())

    assert "groter dan 50 MB (200.0 MB)" in str(refused.value)
    assert _export() == before


def test_too_large_upload_is_stopped_before_its_body_is_read(
    stored, client, griffie, monkeypatch, audit
):
    monkeypatch.setattr(upload_limits, "UPLOAD_MAX_BYTES", 1024 * 1024)
    client.force_login(griffie)
    before = _export()

    response = _upload(
        client, "groot.csv", HEADER + b"GM0394;2023;asiel;5\n" * 200_000, follow=True
    )

    assert response.status_code == 200
    assert "groter dan 1 MB" in response.content.decode()
    assert _export() == before
    assert not rm.PendingUpload.objects.exists()
    assert audit("import_refused")


def test_accepted_preview_waits_and_a_refused_one_leaves_nothing(stored, client, griffie):
    client.force_login(griffie)

    _upload(client, "fout.csv", HEADER + b"GM0394;2023;asiel;-5\n")
    assert not rm.PendingUpload.objects.exists()
    _upload(client, "goed.csv", HEADER + b"GM0394;2023;asiel;5\n")
    assert rm.PendingUpload.objects.count() == 1


def test_clear_expired_uploads_deletes_what_waited_longer_than_an_hour():
    import datetime

    from django.utils import timezone

    rm.PendingUpload.objects.create(name="oud", data=b"x")
    rm.PendingUpload.objects.create(name="nieuw", data=b"x")
    rm.PendingUpload.objects.filter(name="oud").update(
        created_at=timezone.now() - datetime.timedelta(minutes=61)
    )
    out = io.StringIO()

    with translation.override("en"):
        call_command("clear_expired_uploads", stdout=out)

    assert "Deleted 1 upload(s)" in out.getvalue()
    assert list(rm.PendingUpload.objects.values_list("name", flat=True)) == ["nieuw"]


def _random_file(generator: random.Random) -> bytes:
    size = generator.randrange(0, 3000)
    noise = generator.randbytes(size)
    kind = generator.randrange(6)
    if kind == 0:
        return noise
    if kind == 1:
        return HEADER + noise
    if kind == 2:
        return b"PK\x03\x04" + noise
    if kind == 3:
        return b'{"value": [' + noise
    if kind == 4:
        text = bytes(generator.choice(b';,"\n\r .-0123456789GMaJ\t{}[]') for _ in range(size))
        return HEADER + text
    mutated = bytearray((DATA / generator.choice(list(_SAMPLES))).read_bytes())
    for _ in range(generator.randrange(1, 8)):
        if mutated:
            mutated[generator.randrange(len(mutated))] = generator.randrange(256)
    return bytes(mutated)


_SAMPLES = [
    "statline_labels.csv",
    "statline_codes_cp1252.csv",
    "cbs_odata_inflow.json",
    "template_nl.xlsx",
    "template_en.csv",
    "statline_wide_inflow.csv",
]


def _outcome(content: bytes, seed: int) -> str:
    """ "imported" or the refusal's text; any other exception fails the test."""
    try:
        with translation.override("en"):
            migrant_counts_import(
                content=content, file_name=f"fuzz-{seed}.csv", dry_run=True, measure="stock"
            )
    except ImportRefused as refused:
        return str(refused)
    return "imported"


def test_random_bytes_over_many_seeds_never_end_in_anything_but_a_refusal_or_an_import(stored):
    outcomes = {seed: _outcome(_random_file(random.Random(seed)), seed) for seed in range(400)}

    assert {seed: text for seed, text in outcomes.items() if CATCH_ALL in text} == {}
    assert all(text == "imported" or "problem(s) found" in text for text in outcomes.values())
    assert _export_is_unchanged_by_dry_runs()


def _export_is_unchanged_by_dry_runs() -> bool:
    return rm.MigrantCount.objects.count() == 1 and not rm.ImportBatch.objects.exists()
