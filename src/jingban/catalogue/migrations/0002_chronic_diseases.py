"""The chronic and special outpatient diseases (门诊慢特病) of data/chronic_diseases.csv, sample."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "chronic_diseases.csv"


def load(apps, schema_editor):  # type: ignore[no-untyped-def]
    disease = apps.get_model("catalogue", "ChronicDisease")
    with DATA.open(encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            disease.objects.update_or_create(
                code=row["code"], defaults={"name": row["name"], "sample": True}
            )


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
