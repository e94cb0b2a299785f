"""Create the three roles of DESIGN.md as Django groups with their permissions.

The table is frozen here; a later change of roles gets a migration of its own.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")
VIEW = ("view",)

REGISTRY_CONTENT = [
    "municipality",
    "source",
    "population",
    "migrantcount",
    "migrantshare",
    "migrantbreakdown",
    "estimate",
]
AUDIT_OFFICE_CONTENT = [
    "report",
    "policycell",
    "attentionpoint",
    "conclusion",
    "recommendation",
    "recommendationstatuschange",
    "indicator",
    "programmeline",
    "contextnote",
    "migrantgroup",
    "policytheme",
]

ROLES = {
    # Council members browse and vote; they never reach the admin.
    "raadslid": [
        *[("registry", model, VIEW) for model in [*REGISTRY_CONTENT, "motive"]],
        *[("policy", model, VIEW) for model in [*AUDIT_OFFICE_CONTENT, "prioritisationround"]],
        ("policy", "ballot", ("add", "change", "view")),
        ("policy", "ballotentry", ("add", "change", "delete", "view")),
    ],
    # The clerk keeps the register figures and runs prioritisation rounds, but
    # does not touch the audit office's texts, nor sees how anyone voted.
    "griffie": [
        *[("registry", model, CRUD) for model in REGISTRY_CONTENT],
        ("registry", "migrantcount", ("import",)),
        ("registry", "motive", VIEW),
        ("registry", "importbatch", VIEW),
        *[("policy", model, VIEW) for model in AUDIT_OFFICE_CONTENT],
        ("policy", "prioritisationround", CRUD),
        ("policy", "ballot", VIEW),
    ],
    # The audit office writes its findings and the policy matrix; it does not
    # import register data.
    "rekenkamer": [
        *[("registry", model, VIEW) for model in [*REGISTRY_CONTENT, "motive"]],
        *[("policy", model, CRUD) for model in AUDIT_OFFICE_CONTENT],
        ("policy", "prioritisationround", VIEW),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations have run; roles
    # need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, grants in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        codenames = [
            (app_label, f"{action}_{model}")
            for app_label, model, actions in grants
            for action in actions
        ]
        permissions = []
        for app_label, codename in codenames:
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("registry", "0002_motives"),
        ("policy", "0002_groups_and_themes"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
