"""Verifying the action log's chain (``jingban audit verify``): reads only, never writes.

Walks the sealed rows in position order inside one read-only snapshot and compares them with the
two recorded heads (``ActionLogHead`` and the anchor file).
See docs/adr/0002-action-log-hash-chain.md.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils.translation import gettext as _

from jingban.core.actionlog import authenticity
from jingban.core.actionlog.writing import (
    BATCH,
    FIELDS,
    Row,
    anchor_file,
    database_identity,
    row_hash,
)
from jingban.core.models import ActionLog, ActionLogHead


@dataclass
class Problem:
    # modified · inserted · broken_link · missing · duplicate · out_of_order · head_mismatch ·
    # anchor_mismatch · unauthenticated_row · bad_row_mac (ADR 0007)
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
        .values(*FIELDS)
        .iterator(chunk_size=BATCH)
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
        report.problems.extend(_unsealed_problems(authenticity.cutover(head)))
    return report


def _mac_problem(kind: str, seq: int | None, row_id: int) -> Problem:
    if kind == authenticity.MISSING:
        detail = _("row %(id)s was not written by the application: it has no row MAC")
    else:
        detail = _("row %(id)s does not match its row MAC: it was put in or changed")
    return Problem(kind, seq, detail % {"id": row_id})


def _unsealed_problems(first_id: int) -> list[Problem]:
    """Unsealed rows without a valid MAC: put into the table, or changed before sealing.

    Unsealed rows with a valid MAC are only waiting for the sealer (counted, not reported).
    """
    problems = []
    rows = (
        ActionLog.objects.filter(seq__isnull=True, id__gte=first_id)
        .order_by("id")
        .values(*FIELDS)
        .iterator(chunk_size=BATCH)
    )
    for row in rows:
        kind = authenticity.mac_problem(row, first_id)
        if kind:
            problems.append(_mac_problem(kind, None, row["id"]))
    return problems


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
    if authenticity.cutover_forged(head):
        problems.append(
            Problem(
                "head_mismatch",
                None,
                _("the head's row-MAC cut-over is not authentic: every row is checked"),
            )
        )
    first_id = authenticity.cutover(head)
    for before, row, after in _windows(_sealed_rows()):
        report.checked += 1
        if progress is not None and report.checked % BATCH == 0:
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
        if sealed_at is not None:
            # Content intact since sealing, yet no valid MAC: sealed by a sealer that did not
            # check (an old version during an upgrade) or by a key holder re-sealing.
            kind = authenticity.mac_problem(row, first_id)
            if kind:
                problems.append(_mac_problem(kind, seq, row["id"]))

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
