from django.contrib import admin

from migrantportal.figure_cache import figure_cache_invalidate


class InvalidatesFiguresAdmin(admin.ModelAdmin):
    """Every change made in the admin makes the dashboards draw from fresh data."""

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        figure_cache_invalidate()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        figure_cache_invalidate()

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        figure_cache_invalidate()

    def delete_queryset(self, request, queryset) -> None:
        super().delete_queryset(request, queryset)
        figure_cache_invalidate()
