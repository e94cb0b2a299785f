from django.db import migrations

# Frozen here on purpose: a migration must not change when constants do.
MOTIVES = [
    ("asiel", 1, "#D55E00"),
    ("arbeid", 2, "#0072B2"),
    ("gezin", 3, "#009E73"),
    ("studie", 4, "#CC79A7"),
    ("oekraine", 5, "#E69F00"),
    ("onbekend", 6, "#7F7F7F"),
]


def create_motives(apps, schema_editor):
    Motive = apps.get_model("registry", "Motive")
    for slug, order, colour in MOTIVES:
        Motive.objects.update_or_create(slug=slug, defaults={"order": order, "colour": colour})


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]

    operations = [migrations.RunPython(create_motives, migrations.RunPython.noop)]
