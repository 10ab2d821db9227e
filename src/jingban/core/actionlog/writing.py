"""Writing and sealing the action log (操作日志): rows written with every state change, sealed into
an HMAC chain after commit. Verifying is in ``verifying``.

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
import logging
import os
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jingban.core import plugins
from jingban.core.actionlog import authenticity, personal
from jingban.core.models import ActionLog, ActionLogHead, User

logger = logging.getLogger(__name__)

_SEAL_LOCK = 0x6A696E67  # advisory lock key taken only by sealers
BATCH = 2000

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

    ``on_behalf_of`` names the person an agent acted for (``"registry.person:42"``). Personal
    fields of ``before``/``after`` (as the object type's app declares them) and the reason of a
    row about such an object are stored encrypted (``personal``). The row gets its MAC here, in
    the same transaction, so the sealer can tell it from a row put into the table directly.
    """
    plugins.require_declared_action(action)
    return _write(
        ActionLog(
            actor=acting_user,
            actor_name=acting_user.get_username() if acting_user else "system",
            on_behalf_of=on_behalf_of,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            region_path=region_path,
            before=personal.protect(object_type, before),
            after=personal.protect(object_type, after),
            reason=personal.protect_reason(object_type, reason),
        )
    )


def _write(entry: ActionLog) -> ActionLog:
    """Insert the row, give it its MAC and schedule the sealer."""
    entry.save(force_insert=True)
    # The MAC covers the content as PostgreSQL returns it (jsonb rewrites numbers and key order),
    # the same form the sealer and verify read, so it is computed from the row read back.
    stored = ActionLog.objects.filter(pk=entry.pk).values(*authenticity.MAC_FIELDS).get()
    entry.row_mac = authenticity.row_mac(stored)
    ActionLog.objects.filter(pk=entry.pk).update(row_mac=entry.row_mac)
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
    """One row for a bulk load: how many rows and a digest of their content.

    The reason is the load's description written by code (a seed, a file's digest), not text a
    member of staff typed about a person, so it stays in clear even for a personal object type.
    """
    plugins.require_declared_action(action)
    return _write(
        ActionLog(
            actor=acting_user,
            actor_name=acting_user.get_username() if acting_user else "system",
            action=action,
            object_type=object_type,
            after={"rows": rows, "digest": digest},
            reason=reason,
        )
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
    # Likewise the row MAC (ADR 0007): rows from before the cut-over have none and keep their
    # hashes; for the others the chain also fixes the MAC the sealer checked.
    if row.get("row_mac"):
        content["row_mac"] = row["row_mac"]
    return json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def row_hash(row: Row) -> str:
    """The HMAC-SHA256 of a row at its ``seq`` after ``prev_hash``, as 64 hex digits."""
    return hmac.new(_key(), _canonical(row), hashlib.sha256).hexdigest()


# What the sealer reads of a row: what its MAC covers, the MAC, and the chain's columns.
FIELDS = [*authenticity.MAC_FIELDS, "row_mac", "seq", "prev_hash", "hash"]


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


@dataclass
class SealResult:
    sealed: int = 0
    # (row id, problem kind) of the rows refused this time
    refused: list[tuple[int, str]] = field(default_factory=list)


def seal_pending() -> int:
    """Give every committed, unsealed row its chain position and HMAC. Returns how many."""
    return seal().sealed


def seal() -> SealResult:
    """Seal every committed, unsealed row with a valid MAC; refuse (mark and skip) the others.

    Rows are sealed in id order among those visible when the sealer runs, so a transaction that
    commits late gets a later position than its id suggests; the chain records commit order.
    Relies on READ COMMITTED (the default): the head is read after the advisory lock is granted,
    so each statement sees what the previous sealer committed.

    A row without a valid MAC was not written by ``log_action`` (or was changed before sealing):
    it gets no position, is marked ``seal_refused`` so later sealers pass over it, and stays in the
    table for ``jingban audit verify`` to report. Rows below the head's cut-over predate MACs.
    """
    result = SealResult()
    # Cheap exit without any lock: every log_action schedules a sealer, and after the first one
    # of a busy moment has run the rest usually find nothing. A row committed just after this
    # check is sealed by its own transaction's sealer.
    pending = ActionLog.objects.filter(seq__isnull=True, seal_refused=False)
    if not pending.exists():
        return result
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
        first_id = authenticity.cutover(head)
        seq, prev = head.seq, head.hash
        while True:
            rows = list(pending.order_by("id").values(*FIELDS)[:BATCH])
            if not rows:
                break
            for row in rows:
                problem = authenticity.mac_problem(row, first_id)
                if problem:
                    ActionLog.objects.filter(id=row["id"]).update(seal_refused=True)
                    result.refused.append((row["id"], problem))
                    continue
                seq += 1
                row["seq"], row["prev_hash"] = seq, prev
                prev = row_hash(row)
                ActionLog.objects.filter(id=row["id"]).update(
                    seq=seq, prev_hash=row["prev_hash"], hash=prev
                )
                result.sealed += 1
        if result.refused:
            # Ids and kinds only: the rows' content may be anything a writer put there.
            logger.error("action log: refused to seal rows without a valid MAC: %s", result.refused)
        if result.sealed:
            head.seq, head.hash, head.sealed_at = seq, prev, timezone.now()
            head.save()
            # Only a committed head goes to the anchor file. Robust: the seal has committed, a
            # full disk must not fail the request that triggered it (Django logs the error).
            transaction.on_commit(functools.partial(_append_anchor, seq, prev), robust=True)
    return result
