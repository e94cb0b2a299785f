"""A theme per municipality (name, logo text, colours), kept by the clerk; the audit
office may read it."""

import django.core.validators
import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GRANTS = {
    "griffie": [
        "add_municipalitytheme",
        "change_municipalitytheme",
        "delete_municipalitytheme",
        "view_municipalitytheme",
    ],
    "rekenkamer": ["view_municipalitytheme"],
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
            *Permission.objects.filter(content_type__app_label="registry", codename__in=codenames)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in GRANTS.items():
        Group.objects.get(name=role).permissions.remove(
            *Permission.objects.filter(content_type__app_label="registry", codename__in=codenames)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_provenance"),
        # The roles exist before their permissions are granted.
        ("policy", "0003_roles"),
    ]

    operations = [
        migrations.CreateModel(
            name="MunicipalityTheme",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        help_text="Shown in the page header, e.g. Gemeente Haarlem.",
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                (
                    "logo_text",
                    models.CharField(
                        blank=True,
                        help_text="A short word mark shown before the name; leave empty for none.",
                        max_length=40,
                        verbose_name="logo text",
                    ),
                ),
                (
                    "primary_colour",
                    models.CharField(
                        help_text="Header and button background.",
                        max_length=7,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^#[0-9A-Fa-f]{6}$", "Give a colour as # and six hex digits."
                            )
                        ],
                        verbose_name="primary colour",
                    ),
                ),
                (
                    "primary_text_colour",
                    models.CharField(
                        help_text="Text in the header and on buttons.",
                        max_length=7,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^#[0-9A-Fa-f]{6}$", "Give a colour as # and six hex digits."
                            )
                        ],
                        verbose_name="text on primary colour",
                    ),
                ),
                (
                    "link_colour",
                    models.CharField(
                        help_text="Links on the page background.",
                        max_length=7,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^#[0-9A-Fa-f]{6}$", "Give a colour as # and six hex digits."
                            )
                        ],
                        verbose_name="link colour",
                    ),
                ),
                (
                    "background_colour",
                    models.CharField(
                        help_text="Usually white, #ffffff.",
                        max_length=7,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^#[0-9A-Fa-f]{6}$", "Give a colour as # and six hex digits."
                            )
                        ],
                        verbose_name="page background",
                    ),
                ),
                (
                    "text_colour",
                    models.CharField(
                        help_text="Body text on the page background.",
                        max_length=7,
                        validators=[
                            django.core.validators.RegexValidator(
                                "^#[0-9A-Fa-f]{6}$", "Give a colour as # and six hex digits."
                            )
                        ],
                        verbose_name="text colour",
                    ),
                ),
                (
                    "municipality",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="theme",
                        to="registry.municipality",
                        verbose_name="municipality",
                    ),
                ),
            ],
            options={
                "verbose_name": "municipality theme",
                "verbose_name_plural": "municipality themes",
                "ordering": ["municipality__name"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("background_colour__regex", "^#[0-9A-Fa-f]{6}$"),
                            ("link_colour__regex", "^#[0-9A-Fa-f]{6}$"),
                            ("primary_colour__regex", "^#[0-9A-Fa-f]{6}$"),
                            ("primary_text_colour__regex", "^#[0-9A-Fa-f]{6}$"),
                            ("text_colour__regex", "^#[0-9A-Fa-f]{6}$"),
                        ),
                        name="municipality_theme_colours_hex",
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
