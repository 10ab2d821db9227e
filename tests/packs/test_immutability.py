"""A decided version (approved or rejected) cannot change or go away, whoever asks: the database
refuses UPDATE and DELETE, through the ORM and through raw SQL. A draft can still change."""

from __future__ import annotations

import pytest
from django.db import ProgrammingError, connection, transaction

from jingban.packs import services
from jingban.packs.models import PackVersion
from tests.packs.conftest import OUTPATIENT_CAP, PACK_ID, pack_text
from tests.personas import Personas

STATEMENTS = [
    "UPDATE packs_packversion SET review_note = 'changed' WHERE id = %s",
    "UPDATE packs_packversion SET content = content || '# more' WHERE id = %s",
    "UPDATE packs_packversion SET status = 'draft', reviewed_at = NULL WHERE id = %s",
    "DELETE FROM packs_packversion WHERE id = %s",
]


def _sql(statement: str, pk: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, [pk])


def _decided(personas: Personas) -> list[PackVersion]:
    """A shipped (approved) version, one approved by qian and one rejected by qian."""
    admin, qian = personas.user("admin"), personas.user("qian")
    approved = services.import_pack_text(pack_text(3, OUTPATIENT_CAP), acting_user=admin)
    services.approve_version(approved, acting_user=qian)
    rejected = services.import_pack_text(
        pack_text(4, ("amount: 2000", "amount: 2500")), acting_user=admin
    )
    services.reject_version(rejected, reason="无依据", acting_user=qian)
    shipped = PackVersion.objects.get(pack_id=PACK_ID, version=2)
    return [shipped, approved, rejected]


def test_raw_sql_cannot_change_or_delete_a_decided_version(personas: Personas) -> None:
    for row in _decided(personas):
        before = PackVersion.objects.values().get(pk=row.pk)
        for statement in STATEMENTS:
            verb = "delete" if statement.startswith("DELETE") else "update"
            with pytest.raises(ProgrammingError, match=f"Cannot {verb}"), transaction.atomic():
                _sql(statement, row.pk)
        assert PackVersion.objects.values().get(pk=row.pk) == before, row.spec


def test_the_orm_cannot_either(personas: Personas) -> None:
    shipped, approved, _rejected = _decided(personas)
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        PackVersion.objects.filter(pk=approved.pk).update(content_hash="0" * 64)
    with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
        PackVersion.objects.filter(pk=shipped.pk).delete()
    assert PackVersion.objects.filter(pk=shipped.pk).exists()


def test_a_draft_can_change_and_go(personas: Personas) -> None:
    draft = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    _sql("UPDATE packs_packversion SET review_note = 'ok' WHERE id = %s", draft.pk)
    assert PackVersion.objects.get(pk=draft.pk).review_note == "ok"
    _sql("DELETE FROM packs_packversion WHERE id = %s", draft.pk)
    assert not PackVersion.objects.filter(pk=draft.pk).exists()


def test_history_keeps_each_state(personas: Personas) -> None:
    draft = services.import_pack_text(
        pack_text(3, OUTPATIENT_CAP), acting_user=personas.user("admin")
    )
    services.approve_version(draft, acting_user=personas.user("qian"))
    events = draft.events.order_by("pgh_id").values_list("pgh_label", "status")
    assert list(events) == [("insert", "draft"), ("update", "approved")]
