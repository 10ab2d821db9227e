"""Row MACs: proof that an action-log row was written by the application, not put into the table.

``log_action`` computes an HMAC of each row's content, inside the writing transaction, under a key
derived from the audit key (distinct from the chain key, so neither value can stand in for the
other). The sealer refuses rows whose MAC is missing or wrong and ``verify`` reports them. Rows
written before MACs existed are exempt below a cut-over id recorded in the head, itself sealed
with the same key. See docs/adr/0007-action-log-row-mac-and-personal-data.md.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import UTC
from typing import Any

from django.conf import settings

Row = dict[str, Any]

# The content a row's MAC covers, read back from the database (jsonb rewrites what was passed in).
MAC_FIELDS = [
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
]

MISSING = "unauthenticated_row"
WRONG = "bad_row_mac"


def _mac_key() -> bytes:
    # Derived, not the chain key itself: a leak of one use of the key never doubles as the other.
    return hmac.new(
        str(settings.AUDIT_KEY).encode(), b"jingban action-log row mac v1", hashlib.sha256
    ).digest()


def row_mac(row: Row) -> str:
    """The HMAC-SHA256 of a row's content as stored, as 64 hex digits.

    Built like the chain's canonical form (sorted keys, ``at`` in UTC, values as read back from
    PostgreSQL), so it is stable across the jsonb round trip. Part of the stored data: changing
    it invalidates every MAC.
    """
    content = {field: row[field] for field in MAC_FIELDS}
    content["at"] = row["at"].astimezone(UTC).isoformat()
    message = json.dumps(
        {"row_mac": 1, **content}, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()
    return hmac.new(_mac_key(), message, hashlib.sha256).hexdigest()


def cutover_seal(row_mac_from: int) -> str:
    """The HMAC that makes the head's cut-over id trustworthy (see ``ActionLogHead``)."""
    message = f"jingban action-log row mac from {row_mac_from}".encode()
    return hmac.new(_mac_key(), message, hashlib.sha256).hexdigest()


def cutover(head: Any) -> int:
    """The first row id that needs a MAC: the head's cut-over if its seal holds, otherwise 0
    (every row). ``head`` is an ``ActionLogHead`` or None."""
    if head is None or head.row_mac_from <= 0:
        return 0
    if not hmac.compare_digest(cutover_seal(head.row_mac_from), head.row_mac_from_seal):
        return 0
    return int(head.row_mac_from)


def cutover_forged(head: Any) -> bool:
    """Whether the head names a cut-over whose seal does not hold (a database writer raised it)."""
    return head is not None and head.row_mac_from > 0 and cutover(head) == 0


def mac_problem(row: Row, first_id: int) -> str | None:
    """``MISSING`` or ``WRONG`` when a row needing a MAC (id ≥ ``first_id``) lacks a valid one."""
    if row["id"] < first_id:
        return None
    if not row["row_mac"]:
        return MISSING
    if not hmac.compare_digest(row_mac(row), row["row_mac"]):
        return WRONG
    return None
