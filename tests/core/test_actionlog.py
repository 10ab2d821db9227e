"""The action log's hash chain: sealing, verification, and what an attacker with database access
can and cannot do to it unnoticed (see docs/adr/0002-action-log-hash-chain.md)."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import ProgrammingError, connection, transaction
from django.utils import translation
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from jingban.core.actionlog import (
    Report,
    anchor_file,
    authenticity,
    log_action,
    log_bulk,
    seal_pending,
    verify,
)
from jingban.core.models import ActionLog, ActionLogHead

AFTER = {"name": "张三", "amount_fen": 12345, "nested": {"b": 1, "a": [1, 2]}}
FORGED_HASH = "f" * 64


def _log(i: int) -> ActionLog:
    return log_action(
        acting_user=None,
        action="test.thing.changed",
        object_type="test.thing",
        object_id=i,
        before={"name": "李四", "amount_fen": i},
        after=AFTER,
        reason=f"更正 {i}",
    )


def _chain(n: int = 5) -> list[ActionLog]:
    """n sealed entries at positions 1..n (no anchor lines: on_commit does not run here)."""
    entries = [_log(i) for i in range(1, n + 1)]
    assert seal_pending() == n
    return entries


def _anchored_chain(capture: Callable[..., Any], batches: tuple[int, ...]) -> None:
    """Entries sealed batch by batch, each seal appending its head to the anchor file."""
    i = 0
    for size in batches:
        for _ in range(size):
            i += 1
            _log(i)
        with capture(execute=True):
            seal_pending()


def _tamper(sql: str, params: list[Any] | None = None) -> None:
    """What an attacker with database access does: switch the triggers off and use raw SQL."""
    with pgtrigger.ignore(
        "core.ActionLog:actionlog_sealed_immutable", "core.ActionLog:actionlog_no_delete"
    ):
        with connection.cursor() as cursor:
            cursor.execute(sql, params or [])


def _remac(entry_id: int) -> None:
    stored = ActionLog.objects.filter(id=entry_id).values(*authenticity.MAC_FIELDS).get()
    ActionLog.objects.filter(id=entry_id).update(row_mac=authenticity.row_mac(stored))


def _row(seq: int) -> dict[str, Any]:
    return ActionLog.objects.values("id", "seq", "prev_hash", "hash").get(seq=seq)


def _found(report: Report) -> set[tuple[str, int | None]]:
    assert report.ok is False
    return {(problem.kind, problem.seq) for problem in report.problems}


# A clean chain


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_clean_chain_verifies() -> None:
    _chain(5)
    _log(6)  # committed-but-unsealed rows are counted, not a problem

    report = verify()

    assert report.ok
    assert (report.checked, report.last_seq, report.unsealed) == (5, 5, 1)


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_empty_chain_verifies() -> None:
    report = verify()

    assert report.ok
    assert (report.checked, report.last_seq, report.unsealed) == (0, 0, 0)


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_anchored_chain_verifies(django_capture_on_commit_callbacks: Callable[..., Any]) -> None:
    _anchored_chain(django_capture_on_commit_callbacks, (3, 2))

    lines = [json.loads(line) for line in anchor_file().read_text().splitlines()]
    assert [(line["seq"], line["hash"]) for line in lines] == [
        (3, _row(3)["hash"]),
        (5, _row(5)["hash"]),
    ]
    assert verify().ok


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_stored_form_round_trips_timestamps() -> None:
    """jsonb reorders keys and the sealer reads ``at`` back from timestamptz: the hash covers the
    stored form, so a whole-second UTC time and one in another zone verify alike."""
    first, second = _log(1), _log(2)
    # Unsealed rows may still be updated (the trigger only guards sealed ones).
    ActionLog.objects.filter(id=first.id).update(at=datetime(2024, 1, 1, tzinfo=UTC))
    east8 = timezone(timedelta(hours=8))
    ActionLog.objects.filter(id=second.id).update(
        at=datetime(2024, 6, 30, 23, 59, 59, 999999, tzinfo=east8)
    )
    # As if written at those times: the row MAC is recomputed the way log_action computes it
    # (a changed row keeping its old MAC is refused, see test_actionlog_integrity.py).
    for entry in (first, second):
        _remac(entry.id)
    seal_pending()

    assert verify().ok
    stored = ActionLog.objects.get(id=first.id)
    assert stored.after == AFTER
    assert list(stored.after["nested"]) == ["a", "b"]  # jsonb's order, not the caller's


# What jsonb can hold: no NUL character, no lone surrogates, no NaN or infinities.
json_text = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | json_text,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(json_text, children, max_size=4)
    ),
    max_leaves=12,
)


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
@hypothesis_settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.dictionaries(json_text, json_values, max_size=5))
def test_any_json_payload_seals_and_verifies(payload: dict[str, Any]) -> None:
    log_action(acting_user=None, action="test.thing.changed", after=payload, before=None)
    seal_pending()

    assert verify().ok


# Tampering with sealed rows


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize(
    ("column", "value"),
    [("after", json.dumps({**AFTER, "amount_fen": 1})), ("reason", "无")],
)
def test_modified_middle_row_is_detected(column: str, value: str) -> None:
    _chain(5)
    _tamper(f"UPDATE core_actionlog SET {column} = %s WHERE seq = 3", [value])

    assert _found(verify()) == {("modified", 3)}


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_deleted_middle_row_is_detected() -> None:
    _chain(5)
    _tamper("DELETE FROM core_actionlog WHERE seq = 3")

    assert _found(verify()) == {("missing", 3), ("broken_link", 4)}


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize("removed", [1, 3])
def test_deleted_tail_is_caught_by_the_head(removed: int) -> None:
    _chain(5)
    _tamper("DELETE FROM core_actionlog WHERE seq > %s", [5 - removed])

    report = verify()

    assert _found(report) == {("head_mismatch", 5 - removed + 1)}
    assert report.last_seq == 5 - removed


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize(("removed", "anchors_lost"), [(1, {5}), (3, {3, 5})])
def test_deleted_tail_is_caught_by_the_anchor_file_alone(
    django_capture_on_commit_callbacks: Callable[..., Any], removed: int, anchors_lost: set[int]
) -> None:
    _anchored_chain(django_capture_on_commit_callbacks, (3, 2))  # anchors at 3 and 5
    new_last = _row(5 - removed)
    _tamper("DELETE FROM core_actionlog WHERE seq > %s", [new_last["seq"]])
    # The attacker also rewrites the head, so the database agrees with itself.
    ActionLogHead.objects.filter(id=1).update(seq=new_last["seq"], hash=new_last["hash"])

    assert _found(verify()) == {("anchor_mismatch", seq) for seq in anchors_lost}


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_emptied_log_and_head_are_caught_by_the_anchor_file(
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    """Like TRUNCATE of both tables: an empty database looks fresh, only the anchor file knows."""
    _anchored_chain(django_capture_on_commit_callbacks, (3, 2))
    _tamper("DELETE FROM core_actionlog")
    ActionLogHead.objects.all().delete()

    report = verify()

    assert _found(report) == {("anchor_mismatch", 3), ("anchor_mismatch", 5)}
    assert report.checked == 0


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_deleted_head_is_detected_and_stops_sealing() -> None:
    _chain(3)
    ActionLogHead.objects.all().delete()

    assert _found(verify()) == {("head_mismatch", None)}
    _log(4)
    with pytest.raises(RuntimeError, match="head is missing"):
        seal_pending()


def _insert_forged(seq: int, prev_hash: str) -> None:
    _tamper(
        "INSERT INTO core_actionlog (at, actor_name, action, object_type, object_id, region_path,"
        " before, after, reason, seq, prev_hash, hash)"
        " VALUES (now(), 'system', 'test.thing.changed', 'test.thing', '99', '', NULL, %s, %s,"
        " %s, %s, %s)",
        [json.dumps(AFTER), "伪造", seq, prev_hash, FORGED_HASH],
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_forged_row_inserted_in_the_middle_is_detected() -> None:
    _chain(5)
    # Make room at position 3 (twice, so the unique index never sees two rows at one position).
    _tamper("UPDATE core_actionlog SET seq = -seq - 1 WHERE seq >= 3")
    _tamper("UPDATE core_actionlog SET seq = -seq WHERE seq < 0")
    _insert_forged(3, _row(2)["hash"])

    report = verify()

    assert _found(report) == {
        ("inserted", 3),
        ("broken_link", 4),  # the old row 3 still points at row 2
        ("out_of_order", 4),  # rows 4–6 carry the seals of positions 3–5
        ("head_mismatch", 6),  # the chain runs one past the recorded head
    }
    assert report.checked == 6


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_forged_row_appended_is_detected() -> None:
    _chain(5)
    _insert_forged(6, _row(5)["hash"])

    assert _found(verify()) == {("inserted", 6), ("head_mismatch", 6)}


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
@pytest.mark.parametrize("with_hashes", [True, False])
def test_swapped_rows_are_detected(with_hashes: bool) -> None:
    _chain(5)
    first, second = _row(2), _row(3)
    moved = ("seq", "prev_hash", "hash") if with_hashes else ("seq",)
    _tamper("UPDATE core_actionlog SET seq = -1 WHERE id = %s", [first["id"]])
    for row, other in ((second, first), (first, second)):
        assignments = ", ".join(f"{column} = %s" for column in moved)
        _tamper(
            f"UPDATE core_actionlog SET {assignments} WHERE id = %s",
            [*(other[column] for column in moved), row["id"]],
        )

    expected = {("out_of_order", 2), ("out_of_order", 3)}
    if not with_hashes:
        # Each row keeps its own link, which no longer meets its neighbours'.
        expected |= {("broken_link", 2), ("broken_link", 3), ("broken_link", 4)}
    assert _found(verify()) == expected


# The triggers


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_triggers_refuse_update_and_delete_of_sealed_rows() -> None:
    entries = _chain(3)
    unsealed = _log(4)

    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        ActionLog.objects.filter(seq=2).update(reason="改过")
    with pytest.raises(ProgrammingError, match="Cannot update"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE core_actionlog SET after = NULL WHERE seq = 2")
    for target in (entries[1], unsealed):
        with pytest.raises(ProgrammingError, match="Cannot delete"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM core_actionlog WHERE id = %s", [target.id])

    assert ActionLog.objects.get(seq=2).reason == "更正 2"
    assert ActionLog.objects.count() == 4
    assert verify().ok


# Writing


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
def test_log_bulk_writes_one_row_with_count_and_digest() -> None:
    before = ActionLog.objects.count()

    entry = log_bulk(
        acting_user=None,
        action="test.thing.imported",
        object_type="test.thing",
        rows=1200,
        digest="ab" * 32,
        reason="批量导入",
    )

    assert ActionLog.objects.count() == before + 1
    stored = ActionLog.objects.get(id=entry.id)
    assert stored.after == {"rows": 1200, "digest": "ab" * 32}
    assert (stored.action, stored.actor_name, stored.reason) == (
        "test.thing.imported",
        "system",
        "批量导入",
    )


@pytest.mark.django_db(transaction=True)
def test_committed_action_is_sealed_after_commit() -> None:
    with transaction.atomic():
        entry = _log(1)
        _log(2)
        entry.refresh_from_db()
        assert entry.seq is None  # not before commit

    entry.refresh_from_db()
    assert entry.seq == 1
    assert ActionLog.objects.filter(seq__isnull=True).count() == 0
    anchors = [json.loads(line) for line in anchor_file().read_text().splitlines()]
    assert [line["seq"] for line in anchors] == [2]  # one seal took both rows
    report = verify()  # outside any transaction: its own read-only snapshot
    assert report.ok
    assert (report.checked, report.last_seq) == (2, 2)


@pytest.mark.django_db(transaction=True)
def test_later_commit_of_lower_id_gets_later_position() -> None:
    """Positions follow commit order: a transaction that commits late is sealed late."""
    inserted, release = threading.Event(), threading.Event()
    slow_ids: list[int] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                slow_ids.append(_log(1).id)
                inserted.set()
                release.wait(timeout=30)
        finally:
            connection.close()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert inserted.wait(timeout=30)
    fast = _log(2)  # autocommit: committed and sealed at once
    release.set()
    thread.join(timeout=30)

    slow = ActionLog.objects.get(id=slow_ids[0])
    fast.refresh_from_db()
    assert slow.id < fast.id
    assert (fast.seq, slow.seq) == (1, 2)
    assert verify().ok


# The command


def _run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("audit", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
@pytest.mark.usefixtures("english")
def test_command_verify_passes_then_fails_after_tampering() -> None:
    _chain(4)

    out, _ = _run("verify")
    assert "Rows checked: 4" in out
    assert "Last position: 4" in out

    report = json.loads(_run("verify", "--json")[0])
    assert report == {"ok": True, "checked": 4, "last_seq": 4, "unsealed": 0, "problems": []}

    _tamper("UPDATE core_actionlog SET reason = '无' WHERE seq = 2")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("audit", "verify", stdout=out, stderr=err)
    assert failure.value.returncode == 1
    assert "modified at position 2" in err.getvalue()

    out = io.StringIO()
    with pytest.raises(CommandError):
        call_command("audit", "verify", "--json", stdout=out)
    report = json.loads(out.getvalue())
    assert report["ok"] is False
    assert report["problems"] == [
        {"kind": "modified", "seq": 2, "detail": "row 2 was changed after sealing"}
    ]


@pytest.mark.django_db
@pytest.mark.usefixtures("empty_database")
@pytest.mark.usefixtures("english")
def test_command_seal_seals_pending_rows() -> None:
    _log(1)
    _log(2)

    out, _ = _run("seal")

    assert out.strip() == "Sealed 2 rows."
    assert ActionLog.objects.filter(seq__isnull=True).count() == 0
    assert _run("seal")[0].strip() == "Sealed 0 rows."
