"""Row MACs: a row put into the action log by a database writer, not by the application, is
refused by the sealer and reported by ``jingban audit verify`` (ADR 0007)."""

from __future__ import annotations

import importlib
import io
import json
from typing import Any

import pgtrigger
import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation

from jingban.core.actionlog import authenticity, log_action, log_bulk, seal_pending, verify
from jingban.core.actionlog.writing import seal
from jingban.core.models import ActionLog, ActionLogHead

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_database")]

_INSERT = """
    INSERT INTO core_actionlog
        (at, actor_name, action, object_type, object_id, region_path, before, after, reason,
         prev_hash, hash, row_mac)
    VALUES (now(), 'wang', 'registry.person.updated', 'registry.person', '7', '320000/',
            NULL, '{"phone": "13800000000"}', '', '', '', %s)
    RETURNING id
"""


def _log(i: int) -> ActionLog:
    return log_action(
        acting_user=None,
        action="test.thing.changed",
        object_type="test.thing",
        object_id=i,
        after={"amount_fen": i, "nested": {"b": 1.5, "a": [1, 2e20]}},
        reason=f"更正 {i}",
    )


def _insert_raw(row_mac: str = "") -> int:
    """What a database writer without the key does: insert a row straight into the table."""
    with connection.cursor() as cursor:
        cursor.execute(_INSERT, [row_mac])
        (row_id,) = cursor.fetchone()
    return int(row_id)


def _kinds(report: Any) -> set[tuple[str, int | None]]:
    return {(problem.kind, problem.seq) for problem in report.problems}


def test_a_row_written_by_the_application_carries_a_mac_and_seals() -> None:
    entry = _log(1)
    bulk = log_bulk(
        acting_user=None, action="test.thing.imported", object_type="test.thing", rows=3, digest="d"
    )

    stored = ActionLog.objects.values(*authenticity.MAC_FIELDS, "row_mac").get(id=entry.id)
    assert len(stored["row_mac"]) == 64
    # Computed over the stored form: jsonb rewrote 2e20 as an integer, the MAC still holds.
    assert stored["after"]["nested"]["a"] == [1, 200000000000000000000]
    assert authenticity.mac_problem(stored, 0) is None
    assert ActionLog.objects.get(id=bulk.id).row_mac
    assert seal_pending() == 2
    report = verify()
    assert report.ok and report.checked == 2


@pytest.mark.parametrize(
    ("row_mac", "kind"),
    [("", "unauthenticated_row"), ("a" * 64, "bad_row_mac")],
)
def test_a_row_inserted_by_sql_is_refused_and_reported(row_mac: str, kind: str) -> None:
    _log(1)
    forged = _insert_raw(row_mac)
    _log(2)

    result = seal()

    assert (result.sealed, result.refused) == (2, [(forged, kind)])
    row = ActionLog.objects.get(id=forged)
    assert (row.seq, row.seal_refused) == (None, True)
    # The good rows form an unbroken chain around it.
    assert list(ActionLog.objects.filter(seq__isnull=False).values_list("seq", flat=True)) == [2, 1]
    report = verify()
    assert _kinds(report) == {(kind, None)}
    assert str(forged) in report.problems[0].detail
    assert report.unsealed == 1
    # Later sealers pass over it rather than refusing it again and again.
    assert seal().refused == []


def test_a_row_with_another_rows_mac_is_refused() -> None:
    """The MAC covers the row's id and time: copying a genuine MAC onto a forged row fails."""
    genuine = _log(1)
    forged = _insert_raw(ActionLog.objects.get(id=genuine.id).row_mac)

    assert seal().refused == [(forged, "bad_row_mac")]
    assert _kinds(verify()) == {("bad_row_mac", None)}


@pytest.mark.parametrize(
    ("column", "value"),
    [("after", '{"amount_fen": 999}'), ("reason", "改过"), ("actor_name", "admin")],
)
def test_a_row_changed_before_it_was_sealed_is_refused(column: str, value: str) -> None:
    entry = _log(1)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE core_actionlog SET {column} = %s WHERE id = %s", [value, entry.id])

    assert seal().refused == [(entry.id, "bad_row_mac")]
    assert _kinds(verify()) == {("bad_row_mac", None)}


def test_a_sealed_rows_mac_cannot_be_swapped_either() -> None:
    _log(1)
    _log(2)
    seal_pending()
    with pgtrigger.ignore("core.ActionLog:actionlog_sealed_immutable"):
        ActionLog.objects.filter(seq=2).update(row_mac="b" * 64)

    # The chain covers the MAC the sealer checked.
    assert _kinds(verify()) == {("modified", 2)}


def test_a_row_sealed_without_a_valid_mac_is_reported() -> None:
    """A sealer that did not check (an old version left running during an upgrade): the chain
    holds, the missing MAC is still reported."""
    entry = _log(1)
    ActionLog.objects.filter(id=entry.id).update(row_mac="")
    ActionLog.objects.filter(id=entry.id).update(
        seq=1, prev_hash="", hash=_chain_hash_without_check(entry.id)
    )
    ActionLogHead.objects.create(id=1, seq=1, hash=ActionLog.objects.get(id=entry.id).hash)

    assert _kinds(verify()) == {("unauthenticated_row", 1)}


def _chain_hash_without_check(entry_id: int) -> str:
    from jingban.core.actionlog.writing import FIELDS, row_hash

    row = ActionLog.objects.values(*FIELDS).get(id=entry_id)
    return row_hash({**row, "seq": 1, "prev_hash": ""})


# Rows written before row MACs: the cut-over


def _migration() -> Any:
    return importlib.import_module("jingban.core.migrations.0004_actionlog_row_mac")


def _legacy_rows(n: int) -> list[int]:
    """Rows as an older version wrote them: no MAC."""
    ids = [_log(i).id for i in range(1, n + 1)]
    ActionLog.objects.filter(id__in=ids).update(row_mac="")
    return ids


def test_the_migration_exempts_only_the_rows_already_there() -> None:
    legacy = _legacy_rows(3)
    seal_pending()  # refuses them: no cut-over recorded yet, every row needs a MAC
    assert ActionLog.objects.filter(seal_refused=True).count() == 3
    ActionLog.objects.update(seal_refused=False)

    _migration().record_cutover(apps, None)

    head = ActionLogHead.objects.get(id=1)
    assert head.row_mac_from == max(legacy) + 1
    assert authenticity.cutover(head) == max(legacy) + 1
    _log(4)
    forged = _insert_raw("")
    result = seal()
    assert (result.sealed, result.refused) == (4, [(forged, "unauthenticated_row")])
    assert _kinds(verify()) == {("unauthenticated_row", None)}


def test_a_raised_cut_over_is_not_honoured() -> None:
    _legacy_rows(1)
    _migration().record_cutover(apps, None)
    assert seal_pending() == 1
    forged = _insert_raw("")
    # A database writer moves the cut-over past its own row; it cannot seal the new value.
    ActionLogHead.objects.filter(id=1).update(row_mac_from=forged + 1)

    assert seal().refused == [(forged, "unauthenticated_row")]
    kinds = _kinds(verify())
    assert ("head_mismatch", None) in kinds
    assert ("unauthenticated_row", None) in kinds
    # The legacy row itself is now reported too: without a trusted cut-over every row needs a MAC.
    assert ("unauthenticated_row", 1) in kinds


def test_a_fresh_database_records_no_cut_over() -> None:
    _migration().record_cutover(apps, None)
    assert not ActionLogHead.objects.exists()


# The command


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    with translation.override("en"):
        call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_commands_exit_1_on_a_row_inserted_by_sql() -> None:
    _log(1)
    forged = _insert_raw("")

    with pytest.raises(CommandError) as refused:
        _run("seal")
    assert refused.value.returncode == 1
    with pytest.raises(CommandError) as failed:
        _run("verify")
    assert failed.value.returncode == 1

    out = io.StringIO()
    with pytest.raises(CommandError), translation.override("en"):
        call_command("audit", "verify", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert (report["checked"], report["unsealed"]) == (1, 1)
    assert report["problems"] == [
        {
            "kind": "unauthenticated_row",
            "seq": None,
            "detail": f"row {forged} was not written by the application: it has no row MAC",
        }
    ]
