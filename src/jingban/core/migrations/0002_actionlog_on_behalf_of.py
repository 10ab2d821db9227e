from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionlog",
            name="on_behalf_of",
            field=models.CharField(
                blank=True,
                db_default="",
                db_index=True,
                default="",
                max_length=64,
                verbose_name="on behalf of",
            ),
        ),
    ]
