from django.contrib import admin

from dashboards.models import Profile
from migrantportal.admin_mixins import InvalidatesFiguresAdmin


@admin.register(Profile)
class ProfileAdmin(InvalidatesFiguresAdmin):
    list_display = ["user", "municipality", "party_group"]
    list_filter = ["municipality", "party_group"]
    list_select_related = ["user", "municipality"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "party_group"]
    autocomplete_fields = ["municipality"]
    raw_id_fields = ["user"]
