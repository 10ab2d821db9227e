"""Reconciliation (3201) and the queries of 5203 and 5206."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingban.medical.services.types import PersonYearOut, ReconcileIn, ReconcileOut, SetlInfo

if TYPE_CHECKING:
    from jingban.core.models import Organisation, User


def reconcile(
    actor: User, institution: Organisation, data: ReconcileIn, *, msgid: str = ""
) -> ReconcileOut:
    """3201 对总账: compare the hospital's totals with jingban's for its settlements whose
    ``setl_time`` falls in the day range (reversals count negative, so a cancelled settlement
    nets to zero; ``fixmedins_setl_cnt`` counts settlements net of reversals). Stores the result
    (a ``Reconciliation`` row, shown on the pages) and logs it; ``stmt_rslt`` "0" when all four
    figures match, "1" otherwise with the differences in ``stmt_rslt_dscr``."""
    raise NotImplementedError


def settlement_query(
    actor: User, institution: Organisation, *, setl_id: str, mdtrt_id: str = "", psn_no: str = ""
) -> SetlInfo:
    """5203: one settlement of this institution. Another institution's answers
    ``medical.settlement_not_found`` exactly like a missing one."""
    raise NotImplementedError


def person_year(actor: User, institution: Organisation, *, psn_no: str, year: int) -> PersonYearOut:
    """5206: the person's accumulators for ``year`` (zeros when nothing settled yet)."""
    raise NotImplementedError
