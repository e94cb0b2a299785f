from django.contrib import admin

from migrantportal.access import OutsideScopeError, municipality_scope_check, queryset_in_scope
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


def _municipality_id_at(obj, path: str) -> int | None:
    """Follow `path` ("report__municipality", "pk") from `obj` to a municipality's id."""
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id", None)


class MunicipalityScopedAdmin(admin.ModelAdmin):
    """Staff change, add and delete only what belongs to the municipalities they work for
    (migrantportal.access); reading stays open. Another municipality's item opens read-only
    and a save or delete of it is refused with 403; the choices of the foreign keys in
    `scope_foreign_keys` (field → lookup from the related model to its municipality) offer
    only the user's own."""

    scope_path = "municipality"
    scope_national_permission: str | None = None  # allows items without a municipality
    scope_everywhere_permission: str | None = None  # allows every municipality
    scope_foreign_keys: dict[str, str] = {"municipality": "pk"}

    def scope_municipality_ids(self, obj) -> set[int | None]:
        return {_municipality_id_at(obj, self.scope_path)}

    def scope_check(self, request, obj) -> None:
        """OutsideScopeError (403) unless the user may write `obj` as it is stored."""
        municipality_scope_check(
            user=request.user,
            municipality_ids=self.scope_municipality_ids(obj),
            national_permission=self.scope_national_permission,
            everywhere_permission=self.scope_everywhere_permission,
        )

    def scope_allows(self, request, obj) -> bool:
        try:
            self.scope_check(request, obj)
        except OutsideScopeError:
            return False
        return True

    def has_change_permission(self, request, obj=None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.scope_allows(request, obj))

    def has_delete_permission(self, request, obj=None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.scope_allows(request, obj))

    def save_model(self, request, obj, form, change) -> None:
        self.scope_check(request, obj)  # as it will be saved; has_change_permission saw it stored
        super().save_model(request, obj, form, change)

    def delete_queryset(self, request, queryset) -> None:
        # The admin's "delete selected" action: all or nothing.
        for obj in queryset:
            self.scope_check(request, obj)
        super().delete_queryset(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        path = self.scope_foreign_keys.get(db_field.name)
        if path is not None and "queryset" not in kwargs:
            everywhere = self.scope_everywhere_permission
            if not (everywhere and request.user.has_perm(everywhere)):
                kwargs["queryset"] = queryset_in_scope(
                    user=request.user,
                    queryset=db_field.related_model._default_manager.all(),
                    path=path,
                    national_permission=self.scope_national_permission,
                )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
