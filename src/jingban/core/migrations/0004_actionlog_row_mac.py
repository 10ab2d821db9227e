"""Row MACs on the action log, and the cut-over below which rows were written without one."""

from typing import Any

from django.db import migrations, models
from django.db.models import Max


def record_cutover(apps: Any, schema_editor: Any) -> None:
    """Rows already in the table were written without MACs: exempt them, and only them.

    The cut-over is the next id; the seal (an HMAC under the audit key) keeps a database writer
    from raising it later. A fresh database records nothing: every row then needs a MAC.
    """
    from jingban.core.actionlog.authenticity import cutover_seal

    action_log = apps.get_model("core", "ActionLog")
    head_model = apps.get_model("core", "ActionLogHead")
    last = action_log.objects.aggregate(last=Max("id"))["last"]
    if last is None:
        return
    head = head_model.objects.filter(id=1).first()
    if head is None:
        if action_log.objects.filter(seq__isnull=False).exists():
            # The head is gone while sealed rows exist: sealing already refuses to run, and an
            # operator restores the head from the anchor file. No exemption without it.
            return
        head = head_model.objects.create(id=1)
    head.row_mac_from = last + 1
    head.row_mac_from_seal = cutover_seal(last + 1)
    head.save(update_fields=["row_mac_from", "row_mac_from_seal"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_verbose_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="actionlog",
            name="row_mac",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="actionlog",
            name="seal_refused",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name="actionloghead",
            name="row_mac_from",
            field=models.BigIntegerField(db_default=0, default=0),
        ),
        migrations.AddField(
            model_name="actionloghead",
            name="row_mac_from_seal",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.RunPython(record_cutover, migrations.RunPython.noop),
    ]
