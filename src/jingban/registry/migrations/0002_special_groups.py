"""Seed the special-group codes the national relief rules name (国办发〔2021〕42号)."""

from django.db import migrations

# The groups as they were when this migration was written (the live list has grown a column
# since, see 0005): a migration keeps its own data.
GROUPS = [
    ("tekun", "特困人员", "Persons in extreme poverty", "core"),
    ("dibao", "最低生活保障对象", "Minimum living allowance recipients", "core"),
    ("fanpin", "返贫致贫人口", "Persons returned to or fallen into poverty", "core"),
    (
        "dibao_edge",
        "低保边缘家庭成员",
        "Members of households on the edge of the allowance",
        "low_income",
    ),
    (
        "monitored",
        "防止返贫监测对象",
        "Persons monitored against returning to poverty",
        "low_income",
    ),
    (
        "illness_poor",
        "因病致贫重病患者",
        "Seriously ill persons impoverished by illness",
        "illness",
    ),
    ("severe_disability", "重度残疾人", "Persons with severe disabilities", "other"),
]


def seed(apps, schema_editor):
    SpecialGroup = apps.get_model("registry", "SpecialGroup")
    for code, name_zh, name_en, tier in GROUPS:
        SpecialGroup.objects.update_or_create(
            code=code, defaults={"name_zh": name_zh, "name_en": name_en, "tier": tier}
        )


def unseed(apps, schema_editor):
    apps.get_model("registry", "SpecialGroup").objects.filter(
        code__in=[g[0] for g in GROUPS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
