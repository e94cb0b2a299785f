from django.db import migrations

# The six migrant groups and seven themes of the Haarlemmermeer report's Tabel 1
# (section 3.2). Frozen here: more can be added as data, never by editing this.
GROUPS = [
    ("asielzoekers", "Asielzoekers", "Asylum seekers", "asiel", 1),
    ("statushouders", "Statushouders", "Status holders", "asiel", 2),
    (
        "oekraiense-ontheemden",
        "Oekraïense ontheemden",
        "Ukrainian displaced persons",
        "oekraine",
        3,
    ),
    ("arbeidsmigranten", "Arbeidsmigranten", "Labour migrants", "arbeid", 4),
    ("gezinsmigranten", "Gezinsmigranten", "Family migrants", "gezin", 5),
    ("studiemigranten", "Studiemigranten", "Student migrants", "studie", 6),
]
THEMES = [
    ("opvang", "Opvang", "Reception", 1),
    ("huisvesting", "Huisvesting", "Housing", 2),
    ("inburgering", "Inburgering", "Civic integration", 3),
    ("onderwijs", "Onderwijs (jeugd)", "Education (youth)", 4),
    ("werk", "Werk", "Work", 5),
    ("zorg-welzijn", "Zorg & welzijn", "Care & welfare", 6),
    ("inkomen", "Inkomen", "Income", 7),
]


def create_reference_data(apps, schema_editor):
    MigrantGroup = apps.get_model("policy", "MigrantGroup")
    PolicyTheme = apps.get_model("policy", "PolicyTheme")
    for slug, label_nl, label_en, motive, order in GROUPS:
        MigrantGroup.objects.update_or_create(
            slug=slug,
            defaults={
                "label_nl": label_nl,
                "label_en": label_en,
                "motive_id": motive,
                "order": order,
            },
        )
    for slug, label_nl, label_en, order in THEMES:
        PolicyTheme.objects.update_or_create(
            slug=slug,
            defaults={
                "label_nl": label_nl,
                "label_en": label_en,
                "order": order,
                "in_matrix": True,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("policy", "0001_initial"), ("registry", "0002_motives")]

    operations = [migrations.RunPython(create_reference_data, migrations.RunPython.noop)]
