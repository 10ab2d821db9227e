"""The action log (操作日志): written with every state change, sealed into an HMAC chain after
commit, verified by ``jingban audit verify``.

Writing never waits on the chain: a row is inserted without a position, and after its transaction
commits the sealer (under an advisory lock that only sealers take) gives each unsealed row the next
position, the previous row's hash and its own HMAC. The sealed head is also recorded in
``ActionLogHead`` and appended to an anchor file outside the database, so deleting the last rows is
detected too. A database trigger refuses UPDATE of sealed rows and any DELETE.

See docs/adr/0002-action-log-hash-chain.md for what this does and does not protect against.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core import plugins
from jingban.core.models import ActionLog, ActionLogHead, User

_SEAL_LOCK = 0x6A696E67  # advisory lock key taken only by sealers
_BATCH = 2000

Row = dict[str, Any]


class ChainHeadMissing(RuntimeError):
    """The head row is gone while sealed rows exist: sealing would restart the chain at 1."""


def log_action(
    *,
    acting_user: User | None,
    action: str,
    object_type: str = "",
    object_id: object = "",
    region_path: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    on_behalf_of: str = "",
) -> ActionLog:
    """Write one action row inside the caller's transaction; it is sealed after commit.

    ``on_behalf_of`` names the person an agent acted for (``"registry.person:42"``).
    """
    plugins.require_declared_action(action)
    entry = ActionLog.objects.create(
        actor=acting_user,
        actor_name=acting_user.get_username() if acting_user else "system",
        on_behalf_of=on_behalf_of,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_path=region_path,
        before=before,
        after=after,
        reason=reason,
    )
    # Robust: the caller's change has already committed when this runs, so a sealing failure must
    # not turn into an error for it. The row stays unsealed (``verify`` counts it) and the next
    # sealer, or ``jingban audit seal``, picks it up; Django logs the exception.
    transaction.on_commit(seal_pending, robust=True)
    return entry


def log_bulk(
    *,
    acting_user: User | None,
    action: str,
    object_type: str,
    rows: int,
    digest: str,
    reason: str = "",
) -> ActionLog:
    """One row for a bulk load: how many rows and a digest of their content."""
    return log_action(
        acting_user=acting_user,
        action=action,
        object_type=object_type,
        after={"rows": rows, "digest": digest},
        reason=reason,
    )


def _key() -> bytes:
    return str(settings.AUDIT_KEY).encode()


def _canonical(row: Row) -> bytes:
    """The bytes a row's HMAC covers.

    Both the sealer and ``verify`` build this from values read back from PostgreSQL, never from
    what the caller passed in: jsonb reorders keys and rewrites numbers (``1e20`` comes back as an
    integer), so only the stored form is stable. ``sort_keys`` makes key order irrelevant at every
    depth, ``at`` is normalised to UTC (timestamptz keeps microseconds exactly). Changing this
    format invalidates every sealed row, so it must stay as it is.
    """
    at = row["at"]
    content = {
        "seq": row["seq"],
        "prev_hash": row["prev_hash"],
        "id": row["id"],
        "at": at.astimezone(UTC).isoformat(),
        "actor_id": row["actor_id"],
        "actor_name": row["actor_name"],
        "action": row["action"],
        "object_type": row["object_type"],
        "object_id": row["object_id"],
        "region_path": row["region_path"],
        "before": row["before"],
        "after": row["after"],
        "reason": row["reason"],
    }
    # Added after the first rows were sealed: present in the HMAC only when set, so rows written
    # before the field existed (and every row not made for someone else) keep their hashes.
    if row.get("on_behalf_of"):
        content["on_behalf_of"] = row["on_behalf_of"]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(row: Row) -> str:
    """The HMAC-SHA256 of a row at its ``seq`` after ``prev_hash``, as 64 hex digits."""
    return hmac.new(_key(), _canonical(row), hashlib.sha256).hexdigest()


_FIELDS = [
    "id",
    "at",
    "actor_id",
    "actor_name",
    "on_behalf_of",
    "action",
    "object_type",
    "object_id",
    "region_path",
    "before",
    "after",
    "reason",
    "seq",
    "prev_hash",
    "hash",
]


def database_identity() -> str:
    """Names this database uniquely, so an anchor file is never read against another one."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT system_identifier FROM pg_control_system()")
        (system_id,) = cursor.fetchone()
    return f"{system_id}/{connection.settings_dict['NAME']}"


def anchor_file() -> Path:
    return Path(settings.AUDIT_ANCHOR_FILE)


def _append_anchor(seq: int, digest: str, **extra: str) -> None:
    path = anchor_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    line = (
        json.dumps(
            {
                "db": database_identity(),
                "seq": seq,
                "hash": digest,
                "at": timezone.now().isoformat(),
                **extra,
            }
        )
        + "\n"
    ).encode()
    # O_APPEND and a single write: lines from concurrent sealers never interleave.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line)
    finally:
        os.close(fd)


def anchor_restore(source: str) -> None:
    """Start a new anchor epoch for this database after it was replaced by a restore.

    The restored chain is the one in the dump: anchors written before the restore name a chain
    that is no longer here (positions past the dump's head, or other rows at the same positions,
    once new rows are sealed). This appends a line marked ``restored`` with the restored head;
    ``verify`` reads this database's anchors from the last such line on, and that line anchors the
    restored head itself. The older lines stay in the file as the record of what was replaced.
    """
    head = ActionLogHead.objects.filter(id=1).first()
    _append_anchor(head.seq if head else 0, head.hash if head else "", restored=source)


def seal_pending() -> int:
    """Give every committed, unsealed row its chain position and HMAC. Returns how many.

    Rows are sealed in id order among those visible when the sealer runs, so a transaction that
    commits late gets a later position than its id suggests; the chain records commit order.
    Relies on READ COMMITTED (the default): the head is read after the advisory lock is granted,
    so each statement sees what the previous sealer committed.
    """
    # Cheap exit without any lock: every log_action schedules a sealer, and after the first one
    # of a busy moment has run the rest usually find nothing. A row committed just after this
    # check is sealed by its own transaction's sealer.
    if not ActionLog.objects.filter(seq__isnull=True).exists():
        return 0
    sealed = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        head = ActionLogHead.objects.select_for_update().filter(id=1).first()
        if head is None:
            # Starting again at 1 would collide with the sealed rows and hide the tampering that
            # removed the head; refuse until an operator restores it (the anchor file has it).
            if ActionLog.objects.filter(seq__isnull=False).exists():
                raise ChainHeadMissing("the action log head is missing; run `jingban audit verify`")
            head = ActionLogHead.objects.create(id=1)
        seq, prev = head.seq, head.hash
        while True:
            rows = list(
                ActionLog.objects.filter(seq__isnull=True).order_by("id").values(*_FIELDS)[:_BATCH]
            )
            if not rows:
                break
            for row in rows:
                seq += 1
                row["seq"], row["prev_hash"] = seq, prev
                prev = row_hash(row)
                ActionLog.objects.filter(id=row["id"]).update(
                    seq=seq, prev_hash=row["prev_hash"], hash=prev
                )
                sealed += 1
        if sealed:
            head.seq, head.hash, head.sealed_at = seq, prev, timezone.now()
            head.save()
            # Only a committed head goes to the anchor file. Robust: the seal has committed, a
            # full disk must not fail the request that triggered it (Django logs the error).
            transaction.on_commit(functools.partial(_append_anchor, seq, prev), robust=True)
    return sealed


@dataclass
class Problem:
    # modified · inserted · broken_link · missing · duplicate · out_of_order · head_mismatch ·
    # anchor_mismatch
    kind: str
    seq: int | None
    detail: str


@dataclass
class Report:
    checked: int = 0
    last_seq: int = 0
    unsealed: int = 0
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sealed_rows() -> Iterator[Row]:
    # A server-side cursor read in chunks: the log may hold millions of rows.
    yield from (
        ActionLog.objects.filter(seq__isnull=False)
        .order_by("seq")
        .values(*_FIELDS)
        .iterator(chunk_size=_BATCH)
    )


def _read_anchors(identity: str) -> dict[int, set[str]]:
    """Every head this database recorded in the anchor file: position → hashes."""
    path = anchor_file()
    anchors: dict[int, set[str]] = {}
    if not path.exists():
        return anchors
    with path.open(encoding="utf-8", errors="replace") as lines:
        for line in lines:
            try:
                item = json.loads(line)
                if not isinstance(item, dict) or item.get("db") != identity:
                    continue
                seq, digest = int(item["seq"]), str(item["hash"])
            except (ValueError, KeyError, TypeError):
                continue  # a line torn by a crash mid-write, or not ours
            if "restored" in item:
                # A restore replaced the chain (see anchor_restore): earlier lines name the old one.
                anchors.clear()
                if not seq:
                    continue  # an empty chain was restored: nothing to anchor yet
            # A set, not the last line wins: one position anchored with two hashes is itself
            # evidence (a rewritten chain, or a restore made without `jingban restore`).
            anchors.setdefault(seq, set()).add(digest)
    return anchors


@contextmanager
def _read_snapshot() -> Iterator[None]:
    """One consistent, read-only view for the whole walk.

    Otherwise a sealer committing between reading the chain and reading the head would show up
    as a head mismatch. Inside a caller's transaction (tests, a larger job) its snapshot rules.
    """
    if connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def _seals(row: Row, seq: int, prev_hash: str, digest: str) -> bool:
    """Whether ``digest`` seals this row's content at position ``seq`` after ``prev_hash``."""
    return hmac.compare_digest(row_hash({**row, "seq": seq, "prev_hash": prev_hash}), digest)


def _sealed_position(
    before: Row | None, row: Row, after: Row | None, shift: int | None
) -> int | None:
    """The position this row's content was sealed at, or None if no seal nearby fits it.

    Its own seal at its own position is the normal case. Otherwise try its own seal one position
    off (rows renumbered after an insertion or deletion; ``shift`` carries the offset along a
    run) and the neighbours' seals (two rows swapped along with their hashes).
    """
    seq = row["seq"]
    if _seals(row, seq, row["prev_hash"], row["hash"]):
        return seq
    for offset in dict.fromkeys(o for o in (shift, -1, 1) if o):
        if _seals(row, seq + offset, row["prev_hash"], row["hash"]):
            return seq + offset
    for other in (after, before):
        if other is not None and _seals(row, other["seq"], other["prev_hash"], other["hash"]):
            return int(other["seq"])
    return None


def _windows(rows: Iterator[Row]) -> Iterator[tuple[Row | None, Row, Row | None]]:
    """Each row with the one before and the one after it (None at the ends)."""
    before: Row | None = None
    current: Row | None = None
    for row in rows:
        if current is not None:
            yield before, current, row
        before, current = current, row
    if current is not None:
        yield before, current, None


@dataclass
class _Run:
    """Consecutive rows that all carry the seals of positions ``offset`` away."""

    first: int
    last: int
    offset: int

    def problem(self) -> Problem:
        if self.first == self.last:
            detail = _("row %(seq)s carries the seal of position %(sealed)s") % {
                "seq": self.first,
                "sealed": self.first + self.offset,
            }
        else:
            detail = _("rows %(first)s–%(last)s carry the seals of positions %(from)s–%(to)s") % {
                "first": self.first,
                "last": self.last,
                "from": self.first + self.offset,
                "to": self.last + self.offset,
            }
        return Problem("out_of_order", self.first, detail)


def verify(progress: Callable[[int, int], None] | None = None) -> Report:
    """Walk the chain and compare it with its two recorded heads. Reads only, never writes.

    ``progress(checked, total)`` is called every few thousand rows (the ``core.audit.verify`` job).
    """
    # The anchor file first: each line was appended after its seal committed, so the snapshot
    # taken afterwards contains every anchored row.
    anchors = _read_anchors(database_identity())
    with _read_snapshot():
        head = ActionLogHead.objects.filter(id=1).first()
        total = ActionLog.objects.filter(seq__isnull=False).count() if progress else 0
        report = _walk(anchors, head, progress, total)
        report.unsealed = ActionLog.objects.filter(seq__isnull=True).count()
    return report


def _walk(
    anchors: dict[int, set[str]],
    head: ActionLogHead | None,
    progress: Callable[[int, int], None] | None = None,
    total: int = 0,
) -> Report:
    report = Report()
    problems = report.problems
    expected_seq, prev = 1, ""
    seen_anchors: set[int] = set()
    run: _Run | None = None
    for before, row, after in _windows(_sealed_rows()):
        report.checked += 1
        if progress is not None and report.checked % _BATCH == 0:
            progress(report.checked, total)
        seq = row["seq"]
        if seq > expected_seq:
            problems.append(
                Problem(
                    "missing",
                    expected_seq,
                    _("rows %(first)s–%(last)s are missing")
                    % {"first": expected_seq, "last": seq - 1},
                )
            )
        elif seq < expected_seq:
            problems.append(Problem("duplicate", seq, _("position %(seq)s repeats") % {"seq": seq}))
        if row["prev_hash"] != prev:
            problems.append(
                Problem(
                    "broken_link",
                    seq,
                    _("row %(seq)s does not follow the row before it") % {"seq": seq},
                )
            )

        sealed_at = _sealed_position(before, row, after, run.offset if run else None)
        offset = None if sealed_at is None else sealed_at - seq
        if run and (offset != run.offset or seq != run.last + 1):
            problems.append(run.problem())
            run = None
        if offset:
            if run:
                run.last = seq
            else:
                run = _Run(seq, seq, offset)
        elif sealed_at is None:
            problems.append(_unsealable(row, after, head))

        if seq in anchors:
            seen_anchors.add(seq)
            if anchors[seq] != {row["hash"]}:
                problems.append(
                    Problem(
                        "anchor_mismatch",
                        seq,
                        _("the anchor file records another row %(seq)s") % {"seq": seq},
                    )
                )
        prev, expected_seq = row["hash"], seq + 1
        report.last_seq = seq
    if run:
        problems.append(run.problem())

    problems.extend(_check_head(head, report.last_seq, prev, report.checked))
    for seq in sorted(set(anchors) - seen_anchors):
        problems.append(
            Problem(
                "anchor_mismatch",
                seq,
                _("the anchor file records row %(seq)s, which is missing") % {"seq": seq},
            )
        )
    return report


def _unsealable(row: Row, after: Row | None, head: ActionLogHead | None) -> Problem:
    """A row whose content matches no seal: changed after sealing, or never sealed at all."""
    seq = row["seq"]
    # Followed by a row sealed one position earlier, or past the recorded head: it was put in.
    pushes_next = after is not None and _seals(
        after, after["seq"] - 1, after["prev_hash"], after["hash"]
    )
    if pushes_next or (head is not None and seq > head.seq):
        return Problem(
            "inserted", seq, _("row %(seq)s was never sealed: it was inserted") % {"seq": seq}
        )
    return Problem("modified", seq, _("row %(seq)s was changed after sealing") % {"seq": seq})


def _check_head(
    head: ActionLogHead | None, last_seq: int, last_hash: str, checked: int
) -> list[Problem]:
    """Compare where the chain ends with the head the sealers recorded."""
    if head is None:
        if not checked:
            return []  # a fresh database: nothing sealed yet
        return [
            Problem(
                "head_mismatch",
                None,
                _("no head is recorded, but the chain runs to row %(last)s") % {"last": last_seq},
            )
        ]
    if head.seq > last_seq:
        detail = _("the recorded head is row %(head)s, the chain ends at row %(last)s") % {
            "head": head.seq,
            "last": last_seq,
        }
        return [Problem("head_mismatch", last_seq + 1, detail)]
    if head.seq < last_seq:
        detail = _("the chain runs past the recorded head (row %(head)s) to row %(last)s") % {
            "head": head.seq,
            "last": last_seq,
        }
        return [Problem("head_mismatch", head.seq + 1, detail)]
    if head.hash != last_hash:
        detail = _("row %(seq)s is not the row recorded as the head") % {"seq": head.seq}
        return [Problem("head_mismatch", head.seq, detail)]
    return []
