from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dashboards.models import Profile
from migrantportal.admin_mixins import InvalidatesFiguresAdmin


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
class ProfileAdmin(InvalidatesFiguresAdmin):
    list_display = ["user", "municipality", "party_group"]
    list_filter = ["municipality", PartyGroupFilter]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "party_group"]
    autocomplete_fields = ["municipality"]
    raw_id_fields = ["user"]
