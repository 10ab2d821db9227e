"""Manual settlement (手工报销, contract C2): a bill the person paid in full and handed in with
its invoices, settled by a reviewer through the same engine path as a direct settlement, with
channel ``manual``.

``settle_manual`` writes, in ONE transaction, a visit of the bill (discharged), its fee lines
(the itemised bill), and the settlement with its funds, explanation lines and accumulators,
exactly as ``settling.settle`` does: its ``compute_lines`` and ``write_settlement`` stack the
supplementary packs the person holds on the public pack (``hooks.supplementary_packs``) and tell
every app of the row (``hooks.settled``). The actor needs the capability the calling app names (the
reimbursement app's reviewer's), not ``medical.settle``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core.errors import Forbidden
from jingban.core.models import Organisation, User
from jingban.medical.codes import INSUTYPE_SCHEME, MED_TYPES, visit_type_of
from jingban.medical.models import (
    FeeDetail,
    Settlement,
    SettlementChannel,
    Visit,
    VisitStatus,
)
from jingban.medical.services.common import lock_totals, refuse
from jingban.medical.services.settling import (
    _number,
    _settlement_row,
    compute_lines,
    write_settlement,
)
from jingban.registry.models import Person

RESIDENT_INSUTYPE = "390"


@dataclass(frozen=True)
class ManualLine:
    """One line of the itemised bill: catalogue code, name, quantity, price and amount (fen)."""

    code: str
    name: str
    quantity: Decimal
    price: int
    amount: int


@dataclass(frozen=True)
class ManualBill:
    person_id: int
    institution: Organisation
    med_type: str  # the interface's med_type (11 outpatient, 21 inpatient …)
    admitted_on: dt.date
    discharged_on: dt.date | None
    diagnosis_code: str
    reference: str  # the application's number, the visit's hospital number
    lines: Sequence[ManualLine]


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _visit(bill: ManualBill, person: Person, actor: User, now: dt.datetime) -> Visit:
    med_type = MED_TYPES.get(bill.med_type)
    if med_type is None:
        raise refuse("medical.invalid", "med_type", _("This medical type is not known."))
    return Visit.objects.create(
        mdtrt_id=_number("M", now)[:30],
        person=person,
        institution=bill.institution,
        scheme=INSUTYPE_SCHEME[RESIDENT_INSUTYPE],
        insutype=RESIDENT_INSUTYPE,
        med_type=med_type.code,
        visit_type=visit_type_of(med_type, bill.diagnosis_code).value,
        inpatient=med_type.inpatient,
        begntime=_moment(bill.admitted_on, 8),
        endtime=_moment(bill.discharged_on, 10) if bill.discharged_on else None,
        ipt_otp_no=bill.reference[:40],
        dise_codg=bill.diagnosis_code,
        insuplc_admdvs=person.region.code[:6],
        mdtrtarea_admvs=bill.institution.region.code[:6],
        emergency=med_type.code == "13",
        status=VisitStatus.DISCHARGED,
        region_path=person.region.path,
        created_by=actor,
    )


def settle_manual(actor: User, bill: ManualBill, *, capability: str) -> Settlement:
    """Settle the bill as a manual reimbursement (see the module's docstring); returns the
    settlement (its ``lines`` and ``funds`` written). Refused like a direct settlement (no
    coverage, an institution that may not serve, no pack …), nothing written."""
    if not actor.can(capability):
        raise Forbidden(code="medical.forbidden")
    if not bill.lines:
        raise refuse("medical.no_fee_lines", "lines", _("The bill has no lines to settle."))
    with transaction.atomic():
        person = Person.objects.select_related("region").get(pk=bill.person_id)
        now = timezone.now()
        visit = _visit(bill, person, actor, now)
        fee_lines = FeeDetail.objects.bulk_create(
            [
                FeeDetail(
                    visit=visit,
                    feedetl_sn=str(index),
                    med_list_codg=line.code,
                    name=line.name[:200],
                    cnt=line.quantity,
                    pric=line.price,
                    amount=line.amount,
                    fee_ocur_time=visit.begntime,
                )
                for index, line in enumerate(bill.lines, start=1)
            ]
        )
        year = (bill.discharged_on or bill.admitted_on).year
        totals = lock_totals(person.pk, year)
        computed = compute_lines(visit, list(fee_lines), totals.counters, now)
        row = _settlement_row(computed, actor, msgid="", setl_id=_number("S", now))
        row.channel = SettlementChannel.MANUAL
        write_settlement(
            computed,
            row,
            totals,
            actor,
            log={"channel": SettlementChannel.MANUAL, "reference": bill.reference},
        )
    return row
