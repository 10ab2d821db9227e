"""The action log (操作日志): written with every state change, sealed into an HMAC chain after
commit, verified by ``jingban audit verify``.

Writing never waits on the chain: a row is inserted without a position, and after its transaction
commits the sealer (under an advisory lock that only sealers take) gives each unsealed row the next
position, the previous row's hash and its own HMAC. The sealed head is also recorded in
``ActionLogHead`` and appended to an anchor file outside the database, so deleting the last rows is
detected too. A database trigger refuses UPDATE of sealed rows and any DELETE.

``writing`` holds writing and sealing, ``verifying`` the read-only check. See
docs/adr/0002-action-log-hash-chain.md for what this does and does not protect against.
"""

from jingban.core.actionlog.verifying import Problem, Report, verify
from jingban.core.actionlog.writing import (
    ChainHeadMissing,
    anchor_file,
    anchor_restore,
    database_identity,
    log_action,
    log_bulk,
    row_hash,
    seal_pending,
)

__all__ = [
    "ChainHeadMissing",
    "Problem",
    "Report",
    "anchor_file",
    "anchor_restore",
    "database_identity",
    "log_action",
    "log_bulk",
    "row_hash",
    "seal_pending",
    "verify",
]
