"""Visits (就诊 / 住院登记) and their fee details (费用明细)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from jingban.medical.services.types import DischargeIn, FeeLineIn, FeeLinesOut, VisitIn, VisitOut

if TYPE_CHECKING:
    from jingban.core.models import Organisation, User
    from jingban.registry.models import Person


def psn_no_of(person: Person) -> str:
    """The person's 人员编号 as the interface shows it."""
    raise NotImplementedError


def person_by_psn_no(psn_no: str) -> Person:
    """The person of a 人员编号; ``DomainError`` ``medical.person_unknown`` (field ``psn_no``)."""
    raise NotImplementedError


def find_person(mdtrt_cert_type: str, mdtrt_cert_no: str) -> Person:
    """1101: the person of a document (``mdtrt_cert_type`` 02 resident ID, 03 social security card
    number = the ID number); ``DomainError`` ``medical.person_unknown`` (field
    ``mdtrt_cert_no``)."""
    raise NotImplementedError


def register_visit(
    actor: User, institution: Organisation, data: VisitIn, *, msgid: str = ""
) -> VisitOut:
    """2201 / 2401: register an outpatient visit or an admission. Checks the person exists and is
    covered on the day (contract 3: not enrolled, waiting period, after death → DomainError),
    that the institution may serve the scheme that day, and for med_type 14 the chronic-disease
    registration of ``dise_codg``. The same ``ipt_otp_no`` open twice at one institution is
    refused (``medical.visit_duplicate``)."""
    raise NotImplementedError


def cancel_visit(
    actor: User, institution: Organisation, *, mdtrt_id: str, psn_no: str, msgid: str = ""
) -> VisitOut:
    """2202 / 2404: cancel a visit not settled (its fee lines go with it)."""
    raise NotImplementedError


def discharge(
    actor: User, institution: Organisation, data: DischargeIn, *, msgid: str = ""
) -> VisitOut:
    """2402: record the discharge of an open admission (``endtime`` not before ``begntime``)."""
    raise NotImplementedError


def cancel_discharge(
    actor: User, institution: Organisation, *, mdtrt_id: str, psn_no: str, msgid: str = ""
) -> VisitOut:
    """2405: undo a discharge not yet settled."""
    raise NotImplementedError


def record_fee_lines(
    actor: User,
    institution: Organisation,
    *,
    mdtrt_id: str,
    psn_no: str,
    lines: Sequence[FeeLineIn],
    msgid: str = "",
) -> FeeLinesOut:
    """2204 / 2301: store fee lines of an open visit and classify them through the catalogue
    (contract 4). All or nothing: a bad line (negative, ``cnt × pric`` not the line's amount, a
    ``feedetl_sn`` already stored) raises naming its ``feedetl_sn`` and stores none."""
    raise NotImplementedError


def cancel_fee_lines(
    actor: User,
    institution: Organisation,
    *,
    mdtrt_id: str,
    psn_no: str,
    feedetl_sn: str = "",
    chrg_bchno: str = "",
    msgid: str = "",
) -> int:
    """2205 / 2302: cancel unsettled fee lines: the one ``feedetl_sn``, or a batch
    ``chrg_bchno``, or (both empty) all of the visit's. Returns how many were cancelled."""
    raise NotImplementedError
