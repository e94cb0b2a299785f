from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dashboards.models import Profile
from migrantportal.access import queryset_in_scope
from migrantportal.admin_mixins import InvalidatesFiguresAdmin, MunicipalityScopedAdmin
from registry.models import Municipality


class PartyGroupFilter(admin.SimpleListFilter):
    """Party groups to filter on, with members without one named rather than left blank."""

    title = Profile._meta.get_field("party_group").verbose_name
    parameter_name = "party_group"
    NONE = "-"

    def lookups(self, request, model_admin):
        names = (
            Profile.objects.exclude(party_group="")
            .order_by("party_group")
            .values_list("party_group", flat=True)
            .distinct()
        )
        return [(self.NONE, _("No party group")), *((name, name) for name in names)]

    def queryset(self, request, queryset):
        if self.value() == self.NONE:
            return queryset.filter(party_group="")
        if self.value():
            return queryset.filter(party_group=self.value())
        return queryset


@admin.register(Profile)
class ProfileAdmin(MunicipalityScopedAdmin, InvalidatesFiguresAdmin):
    """The clerk keeps the profiles of their own council: those whose municipality and
    works-for list lie within the clerk's own municipalities. A profile naming none (a new
    user's) any clerk may fill in; the choices offer only the clerk's own municipalities."""

    list_display = ["user", "municipality", "works_for_list", "party_group"]
    list_filter = ["municipality", "works_for", PartyGroupFilter]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "party_group"]
    autocomplete_fields = ["municipality"]
    filter_horizontal = ["works_for"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("works_for")

    @admin.display(description=_("works for"))
    def works_for_list(self, obj: Profile) -> str:
        return ", ".join(sorted(m.name for m in obj.works_for.all())) or "–"

    def scope_municipality_ids(self, obj: Profile) -> set[int | None]:
        ids = {obj.municipality_id} - {None}
        if obj.pk is not None:
            ids |= set(obj.works_for.values_list("pk", flat=True))
        return ids

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "works_for":
            kwargs["queryset"] = queryset_in_scope(
                user=request.user, queryset=Municipality.objects.all(), path="pk"
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)
