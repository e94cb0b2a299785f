"""The clerk freezes debate packs for council meetings; everyone else reads them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "griffie": [
        "add_meetingsnapshot",
        "change_meetingsnapshot",
        "delete_meetingsnapshot",
        "view_meetingsnapshot",
    ],
    "raadslid": ["view_meetingsnapshot"],
    "rekenkamer": ["view_meetingsnapshot"],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        Group.objects.get(name=role).permissions.add(
            *Permission.objects.filter(content_type__app_label="dashboards", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        Group.objects.get(name=role).permissions.remove(
            *Permission.objects.filter(content_type__app_label="dashboards", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0003_meeting_snapshot")]

    operations = [migrations.RunPython(grant, revoke)]
