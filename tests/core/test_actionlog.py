import pytest
import pgtrigger
from django.db import connection, transaction
from jingban.core.actionlog import log_action, seal_pending, verify, database_identity
from jingban.core.models import ActionLog

@pytest.mark.django_db
def test_probe():
    for i in range(3):
        log_action(acting_user=None, action="t", object_id=i, after={"name": "张三", "nested": {"b": 1, "a": [1, 2]}, "f": 1e20, "x": None})
    print(seal_pending())
    print(ActionLog.objects.values("seq", "after", "at").order_by("seq")[0])
    print(database_identity())
    with connection.cursor() as c:
        c.execute("select proacl from pg_proc where proname='pg_control_system'"); print(c.fetchall())
        c.execute("show transaction_isolation"); print(c.fetchall())
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("update core_actionlog set reason='x' where seq=1")
    except Exception as e:
        print(type(e), type(e).__mro__, type(e.__cause__))
    try:
        with transaction.atomic():
            with connection.cursor() as c:
                c.execute("delete from core_actionlog where seq=1")
    except Exception as e:
        print(type(e), type(e).__mro__)
    with pgtrigger.ignore("core.ActionLog:actionlog_sealed_immutable", "core.ActionLog:actionlog_no_delete"):
        with connection.cursor() as c:
            c.execute("update core_actionlog set reason='x' where seq=1")
            c.execute("delete from core_actionlog where seq=3")
    print(verify())
