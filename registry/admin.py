import tablib
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models as django_models
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats

from migrantportal.admin_mixins import InvalidatesFiguresAdmin, MunicipalityScopedAdmin
from migrantportal.spreadsheet import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE
from migrantportal.upload_limits import upload_refusal
from registry import models, resources
from registry.importers.aliases import template_rows
from registry.importers.results import Problem, summarise_problems
from registry.services import IMPORT_ANY, import_refusal_audit
from registry.upload_storage import UploadExpired


@admin.register(models.Municipality)
class MunicipalityAdmin(InvalidatesFiguresAdmin):
    list_display = ["name", "code", "kind", "public_mode", "is_synthetic"]
    list_filter = ["kind", "public_mode", "is_synthetic"]
    search_fields = ["name", "code"]
    filter_horizontal = ["comparison_group"]


@admin.register(models.MunicipalityTheme)
class MunicipalityThemeAdmin(MunicipalityScopedAdmin, InvalidatesFiguresAdmin):
    """The clerk keeps each municipality's name, logo text and colours; a colour pair under
    the WCAG 2.1 AA contrast is refused by the model's clean()."""

    list_display = ["name", "municipality", "logo_text", "primary_colour", "link_colour"]
    search_fields = ["name", "municipality__name", "municipality__code"]
    autocomplete_fields = ["municipality"]


@admin.register(models.Source)
class SourceAdmin(InvalidatesFiguresAdmin):
    list_display = ["title", "publisher", "kind", "table_id", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "publisher", "table_id", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {django_models.URLField: {"assume_scheme": "https"}}


@admin.register(models.Motive)
class MotiveAdmin(InvalidatesFiguresAdmin):
    list_display = ["slug", "label", "order", "colour"]

    @admin.display(description=_("label"))
    def label(self, obj: models.Motive) -> str:
        return obj.label


class FigureAdmin(MunicipalityScopedAdmin, InvalidatesFiguresAdmin):
    """Shared list behaviour for figures: filter by place, year and provenance. A clerk
    changes the figures of every municipality with the permission to import for every
    municipality (the national CBS file), else only those of their own."""

    scope_everywhere_permission = IMPORT_ANY

    list_select_related = ["municipality", "source"]
    search_fields = ["municipality__name", "municipality__code", "note", "source_detail"]
    autocomplete_fields = ["municipality"]


@admin.register(models.Population)
class PopulationAdmin(FigureAdmin):
    list_display = ["municipality", "year", "inhabitants", "provenance", "source"]
    list_filter = ["year", "provenance", "source"]
    raw_id_fields = ["import_batch"]


@admin.register(models.MigrantCount)
class MigrantCountAdmin(ImportExportMixin, FigureAdmin):
    list_display = ["municipality", "year", "motive", "measure", "persons", "provenance", "source"]
    list_filter = ["measure", "motive", "year", "provenance", "source", "import_batch"]
    list_select_related = ["municipality", "source", "motive"]
    raw_id_fields = ["import_batch"]

    import_form_class = resources.CountImportForm
    confirm_form_class = resources.CountConfirmImportForm
    import_template_name = "admin/registry/migrantcount/import.html"
    export_formats = [
        resources.DutchExcelCSV,
        resources.QuotedCSV,
        resources.CountsXLSX,
        base_formats.JSON,
    ]

    def get_import_formats(self):
        return [resources.AnyCountFileFormat]

    def get_import_resource_classes(self, request):
        return [resources.MigrantCountImportResource]

    def get_export_resource_classes(self, request):
        return [resources.MigrantCountExportResource]

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            waiting = getattr(import_form.cleaned_data["import_file"], "waiting_upload", None)
            if waiting is not None:
                waiting.save_held()
            options = resources.import_options(import_form)
            options["source"] = options["source"].pk if options["source"] else None
            initial.update(options)
        return initial

    def get_import_data_kwargs(self, **kwargs):
        form = kwargs.get("form")
        options = resources.import_options(form) if form is not None and form.is_valid() else {}
        return {**super().get_import_data_kwargs(**kwargs), **options}

    def import_action(self, request, **kwargs):
        if request.method == "POST":
            request.FILES  # noqa: B018 - parses the body, through the upload size limit
        refusal = upload_refusal(request)
        if refusal and self.has_import_permission(request):
            # The upload handler stopped a too-large body before it was read.
            import_refusal_audit(user=request.user, file_name="", problems=[Problem(refusal)])
            messages.error(request, refusal)
            return redirect("admin:registry_migrantcount_import")
        return super().import_action(request, **kwargs)

    def write_to_tmp_storage(self, import_file, input_format):
        # In one read: the library adds each chunk to a growing bytes object, which
        # copies a large upload over and over. The file is held in memory for the
        # preview and stored only when the preview offers a confirmation
        # (get_confirm_form_initial), so a refused file leaves nothing behind.
        storage = self.get_tmp_storage_class()(
            read_mode=input_format.get_read_mode(), **self.get_tmp_storage_class_kwargs()
        )
        import_file.seek(0)
        storage.hold(import_file.read())
        import_file.waiting_upload = storage
        return storage

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except UploadExpired:
            messages.error(
                request,
                _(
                    "The uploaded file is no longer waiting for confirmation (it waits an "
                    "hour at most, and only once). Nothing was imported; upload it again."
                ),
            )
            return redirect("admin:registry_migrantcount_import")

    def process_result(self, result, request):
        report = result.report
        if report is None:
            # Refused at confirmation (the stored figures changed since the preview).
            messages.error(request, summarise_problems(result.problems))
            return redirect("admin:registry_migrantcount_import")
        messages.success(request, report.summary())
        if report.batch is not None:
            return redirect("admin:registry_importbatch_change", report.batch.pk)
        return redirect("admin:registry_migrantcount_changelist")

    def get_urls(self):
        return [
            path(
                "import-template.<str:file_format>",
                self.admin_site.admin_view(self.import_template_view),
                name="registry_migrantcount_import_template",
            ),
            *super().get_urls(),
        ]

    def import_template_view(self, request, file_format: str) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        if file_format not in ("csv", "xlsx"):
            raise Http404
        # The template is Dutch, as the CBS downloads it stands beside are; without a
        # title tablib names the sheet "Tablib Dataset".
        headers, *rows = template_rows()
        dataset = tablib.Dataset(*rows, headers=headers, title="Migrantenaantallen")
        content_type = {"csv": CSV_CONTENT_TYPE, "xlsx": XLSX_CONTENT_TYPE}[file_format]
        response = HttpResponse(dataset.export(file_format), content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="migranten-sjabloon.{file_format}"'
        return response


@admin.register(models.MigrantShare)
class MigrantShareAdmin(FigureAdmin):
    list_display = ["municipality", "year", "motive", "basis", "share_pct", "source"]
    list_filter = ["basis", "motive", "year", "source"]
    list_select_related = ["municipality", "source", "motive"]


@admin.register(models.MigrantBreakdown)
class MigrantBreakdownAdmin(FigureAdmin):
    list_display = [
        "municipality",
        "year",
        "motive",
        "dimension",
        "category",
        "persons",
        "share_pct",
    ]
    list_filter = ["dimension", "motive", "year"]
    list_select_related = ["municipality", "source", "motive"]


@admin.register(models.Estimate)
class EstimateAdmin(FigureAdmin):
    list_display = ["municipality", "year", "label", "point", "low", "high", "registered"]
    list_filter = ["motive", "year"]
    search_fields = [*FigureAdmin.search_fields, "label", "method"]


@admin.register(models.ImportBatch)
class ImportBatchAdmin(InvalidatesFiguresAdmin):
    list_display = [
        "created_at",
        "file_name",
        "file_format",
        "measure",
        "user",
        "rows_created",
        "rows_updated",
        "rows_unchanged",
        "rows_skipped",
    ]
    list_filter = ["file_format", "measure"]
    list_select_related = ["user", "source"]
    search_fields = ["file_name", "file_sha256"]
    date_hierarchy = "created_at"
    readonly_fields = ["counts_link"]

    def has_add_permission(self, request) -> bool:
        # Batches are written by the import itself, never by hand.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("migrant counts it last set"))
    def counts_link(self, obj: models.ImportBatch) -> str:
        url = reverse("admin:registry_migrantcount_changelist")
        return format_html(
            '<a href="{}?import_batch__id__exact={}">{}</a>',
            url,
            obj.pk,
            _("show the counts"),
        )
