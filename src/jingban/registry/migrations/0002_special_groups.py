"""Seed the special-group codes the national relief rules name (国办发〔2021〕42号)."""

from django.db import migrations


from jingban.registry.reference import SPECIAL_GROUPS as GROUPS


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
