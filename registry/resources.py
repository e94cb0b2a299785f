"""django-import-export glue: the admin's upload → preview → confirm flow.

The admin keeps django-import-export's two steps and temporary storage, but the
rows are read, validated and written by the portal's own import engine
(`registry.importers` and `registry.services`), the same one the
`import_counts` command uses: one set of rules, all-or-nothing, bulk writes.
"""

import tablib
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.formats.base_formats import Format
from import_export.forms import ConfirmImportForm, ImportForm
from import_export.results import InvalidRow, Result, RowResult

from migrantportal.spreadsheet import csv_text, sheet_title, spreadsheet_safe
from registry.constants import Measure
from registry.importers.planning import ImportReport
from registry.importers.results import ImportRefused
from registry.models import MigrantCount, Source
from registry.services import migrant_counts_import


class AnyCountFileFormat(Format):
    """One upload format: the engine recognises CSV, XLSX and JSON by their content."""

    def __init__(self, encoding: str | None = None):
        self.encoding = encoding

    def get_title(self) -> str:
        return str(_("CBS StatLine CSV, CBS open data JSON, or the portal template (CSV/XLSX)"))

    def create_dataset(self, in_stream: bytes) -> tablib.Dataset:
        # The engine reads the raw bytes; the dataset only carries them to the resource.
        dataset = tablib.Dataset(headers=["file"])
        dataset.append([f"{len(in_stream)} bytes"])
        dataset.raw_content = in_stream
        return dataset

    def is_binary(self) -> bool:
        return True

    def get_read_mode(self) -> str:
        return "rb"

    def get_extension(self) -> str:
        return "csv"

    def can_import(self) -> bool:
        return True

    def can_export(self) -> bool:
        return False


class _ImportOptions(forms.Form):
    measure = forms.ChoiceField(
        label=_("Measure"),
        choices=Measure.choices,
        initial=Measure.STOCK,
        help_text=_("For rows whose file does not say whether they are a stock or an inflow."),
    )
    source = forms.ModelChoiceField(
        label=_("Source"),
        queryset=Source.objects.all(),
        required=False,
        help_text=_("Leave empty to record the file itself as the source."),
    )
    add_municipalities = forms.BooleanField(
        label=_("Add unknown municipalities"),
        required=False,
        help_text=_(
            "A row whose CBS code is unknown adds the municipality when it gives its name."
        ),
    )


class CountImportForm(_ImportOptions, ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The engine refuses an empty file itself, in its words and with an audit line.
        self.fields["import_file"].allow_empty_file = True


class CountConfirmImportForm(_ImportOptions, ConfirmImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("measure", "source", "add_municipalities"):
            self.fields[name].widget = forms.HiddenInput()


def import_options(form: forms.Form) -> dict:
    data = form.cleaned_data
    return {
        "measure": data.get("measure") or Measure.STOCK,
        "source": data.get("source"),
        "add_municipalities": bool(data.get("add_municipalities")),
    }


class PortalImportResult(Result):
    """A django-import-export result that also carries the engine's report or refusal."""

    def __init__(self) -> None:
        super().__init__()
        self.report: ImportReport | None = None
        self.problems: list = []


class MigrantCountImportResource(resources.ModelResource):
    """Hands the uploaded file to the import engine and reports back in the admin's terms."""

    class Meta:
        model = MigrantCount
        fields = ("municipality", "year", "motive", "measure", "persons")

    def import_data(self, dataset, dry_run=False, raise_errors=False, **kwargs):
        result = PortalImportResult()
        try:
            report = migrant_counts_import(
                content=dataset.raw_content,
                file_name=kwargs.get("file_name") or "",
                measure=kwargs.get("measure") or Measure.STOCK,
                source=kwargs.get("source"),
                add_municipalities=bool(kwargs.get("add_municipalities")),
                dry_run=dry_run,
                user=kwargs.get("user"),
            )
        except ImportRefused as refused:
            result.problems = refused.problems
            for problem in refused.problems:
                result.invalid_rows.append(
                    InvalidRow(
                        number=problem.row or 0,
                        validation_error=ValidationError(str(problem)),
                        values=(),
                    )
                )
            return result
        result.report = report
        for planned in report.planned:
            row = RowResult()
            row.import_type = {
                "new": RowResult.IMPORT_TYPE_NEW,
                "update": RowResult.IMPORT_TYPE_UPDATE,
            }.get(planned.action, RowResult.IMPORT_TYPE_SKIP)
            result.append_row_result(row)
            result.increment_row_result_total(row)
        return result


class QuotedCSV(base_formats.CSV):
    """The admin's CSV export as every portal CSV is written: texts quoted and safe."""

    dialect = "csv"

    def get_title(self) -> str:
        return self.dialect

    def export_data(self, dataset, **kwargs) -> str:
        return csv_text(header=dataset.headers, rows=dataset, dialect=self.dialect)


class DutchExcelCSV(QuotedCSV):
    """`;` between fields, decimal comma and a byte-order mark: what Dutch Excel opens."""

    dialect = "csv-nl"


class CountsXLSX(base_formats.XLSX):
    """The admin's XLSX export on a sheet named after the counts, not "Tablib Dataset".

    The columns keep their English names: they are `export_counts`'s (docs/architecture.md).
    """

    def export_data(self, dataset, **kwargs):
        dataset.title = sheet_title(str(MigrantCount._meta.verbose_name_plural).capitalize())
        return super().export_data(dataset, **kwargs)


class SpreadsheetSafeResource(resources.ModelResource):
    """Exports with every text cell that a spreadsheet would run as a formula neutralised."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))


class MigrantCountExportResource(SpreadsheetSafeResource):
    municipality_code = fields.Field(
        attribute="municipality__code", column_name="municipality_code"
    )
    municipality = fields.Field(attribute="municipality__name", column_name="municipality")
    motive = fields.Field(attribute="motive_id", column_name="motive")
    # Numbers stay numbers, so a CSV leaves them unquoted and a spreadsheet can add them up.
    year = fields.Field(
        attribute="year", column_name="year", widget=widgets.IntegerWidget(coerce_to_string=False)
    )
    count = fields.Field(
        attribute="persons",
        column_name="count",
        widget=widgets.IntegerWidget(coerce_to_string=False),
    )
    source = fields.Field(attribute="source__title", column_name="source")

    class Meta:
        model = MigrantCount
        fields = (
            "municipality_code",
            "municipality",
            "year",
            "motive",
            "measure",
            "count",
            "provenance",
            "provenance_basis",
            "source",
            "source_detail",
            "import_batch",
        )
        export_order = fields

    def get_queryset(self):
        return super().get_queryset().select_related("municipality", "source")
