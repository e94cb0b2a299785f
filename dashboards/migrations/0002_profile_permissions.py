"""The clerk keeps council members' profiles (municipality, party group)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    griffie = Group.objects.get(name="griffie")
    griffie.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="dashboards",
            codename__in=["add_profile", "change_profile", "delete_profile", "view_profile"],
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="griffie").permissions.remove(
        *Permission.objects.filter(content_type__app_label="dashboards")
    )


class Migration(migrations.Migration):
    dependencies = [("dashboards", "0001_initial"), ("policy", "0003_roles")]

    operations = [migrations.RunPython(grant, revoke)]
