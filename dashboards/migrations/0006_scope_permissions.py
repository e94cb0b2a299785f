"""Give the roles the two permissions that reach beyond the municipalities a user works
for: the audit office writes national reports (the ACVZ context), and the clerk imports a
national CBS file across municipalities. Here, above the apps that define them, so the
roles stay as the demo and existing installations know them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GRANTS = {
    "rekenkamer": [("policy", "change_national_report")],
    "griffie": [("registry", "import_any_municipality")],
}


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        group = Group.objects.filter(name=role).first()
        if group is None:
            continue
        for app_label, codename in codenames:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        for app_label, codename in codenames:
            Group.objects.get(name=role).permissions.remove(
                *Permission.objects.filter(content_type__app_label=app_label, codename=codename)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("dashboards", "0005_profile_works_for"),
        ("policy", "0005_national_report_permission"),
        ("registry", "0004_import_any_municipality_permission"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
