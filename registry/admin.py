from django.contrib import admin
from django.db import models as django_models
from django.utils.translation import gettext_lazy as _

from registry import models


@admin.register(models.Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind", "public_mode", "is_synthetic"]
    list_filter = ["kind", "public_mode", "is_synthetic"]
    search_fields = ["name", "code"]
    filter_horizontal = ["comparison_group"]


@admin.register(models.Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "kind", "table_id", "year"]
    list_filter = ["kind", "year"]
    search_fields = ["title", "publisher", "table_id", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    formfield_overrides = {django_models.URLField: {"assume_scheme": "https"}}


@admin.register(models.Motive)
class MotiveAdmin(admin.ModelAdmin):
    list_display = ["slug", "label", "order", "colour"]

    @admin.display(description=_("label"))
    def label(self, obj: models.Motive) -> str:
        return obj.label


class FigureAdmin(admin.ModelAdmin):
    """Shared list behaviour for figures: filter by place, year and provenance."""

    list_select_related = ["municipality", "source"]
    search_fields = ["municipality__name", "municipality__code", "note", "source_detail"]
    autocomplete_fields = ["municipality"]


@admin.register(models.Population)
class PopulationAdmin(FigureAdmin):
    list_display = ["municipality", "year", "inhabitants", "is_derived", "source"]
    list_filter = ["year", "is_derived", "source"]
    raw_id_fields = ["import_batch"]


@admin.register(models.MigrantCount)
class MigrantCountAdmin(FigureAdmin):
    list_display = ["municipality", "year", "motive", "measure", "persons", "is_derived", "source"]
    list_filter = ["measure", "motive", "year", "is_derived", "source"]
    list_select_related = ["municipality", "source", "motive"]
    raw_id_fields = ["import_batch"]


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
class ImportBatchAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        # Batches are written by the import itself, never by hand.
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
