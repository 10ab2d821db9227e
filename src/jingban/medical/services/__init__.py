"""The one settlement service (直接结算) both APIs call: the national hospital interface
(``jingban.medical.national``) and jingban's own REST operations (``jingban.medical.api``).

Conventions every function here follows:

- Money is **int fen** in and out. The national interface converts yuan with two decimals to fen
  before calling, and back after.
- ``actor`` is the authenticated account (hospital staff, or a bureau operator at a window);
  ``institution`` is the ``core.Organisation`` of the hospital (its ``code`` is the interface's
  ``fixmedins_code``). A hospital account may only act for its own institution: the caller checks
  that; the service checks again and raises ``DomainError`` ``medical.wrong_institution``.
- ``msgid`` is the caller's message id (the interface's ``msgid``; the REST API makes one up);
  each row a call writes records it, so ``reverse`` (2601) can find what a message did.
  Idempotency of a whole message ((institution, msgid) seen again → the first answer) is the
  national message log's; these services additionally refuse to settle one visit twice.
- Every state change is atomic and writes its action-log row in the same transaction. Bad input
  raises ``jingban.core.errors.DomainError`` (a stable ``code``, a translated ``message``, and
  ``fields`` naming the interface field, e.g. ``medfee_sumamt``, ``psn_no``, ``feedetl_sn``);
  nothing is stored then.
- ``psn_no`` (人员编号) is jingban's person number: ``psn_no_of(person)``; ``mdtrt_id`` (就诊ID)
  and ``setl_id`` (结算ID) are the numbers these services hand out.

The signatures below are the contract with the national engineer (contract 6).
"""

from __future__ import annotations

from jingban.medical.services.querying import person_year, reconcile, settlement_query
from jingban.medical.services.settling import cancel, preview, reverse, settle
from jingban.medical.services.types import (
    DischargeIn,
    FeeLineIn,
    FeeLinesOut,
    FundPart,
    PersonYearOut,
    ReconcileIn,
    ReconcileOut,
    ReverseOut,
    SetlInfo,
    SettleIn,
    VisitIn,
    VisitOut,
)
from jingban.medical.services.visits import (
    cancel_discharge,
    cancel_fee_lines,
    cancel_visit,
    discharge,
    find_person,
    person_by_psn_no,
    psn_no_of,
    record_fee_lines,
    register_visit,
    update_visit,
)

__all__ = [
    "DischargeIn",
    "FeeLineIn",
    "FeeLinesOut",
    "FundPart",
    "PersonYearOut",
    "ReconcileIn",
    "ReconcileOut",
    "ReverseOut",
    "SetlInfo",
    "SettleIn",
    "VisitIn",
    "VisitOut",
    "cancel",
    "cancel_discharge",
    "cancel_fee_lines",
    "cancel_visit",
    "discharge",
    "find_person",
    "person_by_psn_no",
    "person_year",
    "preview",
    "psn_no_of",
    "reconcile",
    "record_fee_lines",
    "register_visit",
    "reverse",
    "settle",
    "settlement_query",
    "update_visit",
]
