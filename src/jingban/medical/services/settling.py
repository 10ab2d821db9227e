"""Pre-settlement, settlement, cancellation and 2601 reversal: the money path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from jingban.medical.services.types import ReverseOut, SetlInfo, SettleIn

if TYPE_CHECKING:
    from jingban.core.models import Organisation, User


def preview(actor: User, institution: Organisation, data: SettleIn) -> SetlInfo:
    """2206 / 2303 pre-settlement: the same checks and figures as ``settle`` against the
    accumulators as they are now, with **no side effects at all** (no row, no log, no lock kept).
    ``setl_id`` is empty."""
    raise NotImplementedError


def settle(actor: User, institution: Organisation, data: SettleIn, *, msgid: str) -> SetlInfo:
    """2207 / 2304 settlement, in ONE transaction: lock the person-year accumulators
    (``SELECT … FOR UPDATE``), check coverage (enrollment, waiting period, death), ``may_serve``,
    chronic registration (med_type 14), the cross-region decision; classify the visit's fee lines;
    ``medfee_sumamt`` must equal their sum; run the engine; write the Settlement, its funds and
    explanation lines, the new accumulators, the action-log row (and, for an admission, LTC's
    hospital stay). A visit already settled is refused (``medical.already_settled``)."""
    raise NotImplementedError


def cancel(
    actor: User,
    institution: Organisation,
    *,
    setl_id: str,
    mdtrt_id: str,
    psn_no: str,
    msgid: str,
) -> SetlInfo:
    """2208 / 2305: cancel a settlement. Writes a reversing settlement with every amount negated
    (status ``reversal``, ``orig_setl_id`` the original), marks the original ``cancelled`` (it
    stays), restores the person-year accumulators, reopens the visit for new fee lines. Returns
    the reversing settlement."""
    raise NotImplementedError


def reverse(
    actor: User, institution: Organisation, *, omsgid: str, oinfno: str, msgid: str
) -> ReverseOut:
    """2601 冲正: undo what the institution's message ``omsgid`` (transaction ``oinfno``) did,
    when the hospital never received its answer: a settlement (2207/2304) is cancelled as by
    ``cancel``; a visit registration (2201/2401) cancelled; fee lines (2204/2301) cancelled; a
    cancellation (2208/2305) cannot be reversed (``medical.reverse_unsupported``). Nothing found
    for ``omsgid`` → ``medical.reverse_not_found`` (field ``omsgid``)."""
    raise NotImplementedError
