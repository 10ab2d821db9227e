"""The demo's supplementary insurance: 陈秀英 (chen) enrolled online in 江苏医惠保1号 in last
December's window and paid the premium online; this year she was admitted for a pacemaker (priced
above the catalogue's limit), and the product paid its part with the settlement (an automatic
claim). Idempotent: a world where chen holds the product keeps it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from jingban.core.errors import DomainError
from jingban.core.models import Organisation, User
from jingban.registry.models import Person
from jingban.supplementary import services
from jingban.supplementary.models import Channel, Enrollment, PaymentMethod

PRODUCT = "jiangsu-yihuibao-2021"
HOSPITAL = "SZ-HOSP-1"
MSGID = "SUPDEMO"
# The sample catalogue's dual-chamber pacemaker (乙类, price limit 18,000 yuan), at 40,000 yuan.
PACEMAKER = ("C47620607138532600010", "植入式心脏起搏器（双腔）", 4_000_000)


def build(admin: User, users: Mapping[str, User]) -> None:
    chen_user = users.get("chen")
    staff = users.get("renmin")
    chen = Person.objects.select_related("region").filter(account=chen_user).first()
    hospital = Organisation.objects.filter(code=HOSPITAL).first()
    if chen_user is None or staff is None or chen is None or hospital is None:
        return
    year = timezone.localdate().year
    if Enrollment.objects.filter(person=chen, product=PRODUCT, year=year).exists():
        return
    try:
        with transaction.atomic():
            row = services.enroll(
                chen_user, chen, PRODUCT, channel=Channel.ONLINE, on=dt.date(year - 1, 12, 10)
            )
            services.pay_premium(
                chen_user,
                row,
                amount=15_800,
                method=PaymentMethod.ONLINE,
                on=dt.date(year - 1, 12, 10),
            )
    except DomainError:
        return  # no product on sale for this year, or chen not insured: nothing to show
    try:
        with transaction.atomic():
            _admission(staff, hospital, chen)
    except DomainError:
        return


def _admission(staff: User, hospital: Organisation, person: Person) -> None:
    from jingban.medical import services as medical
    from jingban.medical.demo import AMOXICILLIN, _at, _lines

    today = timezone.localdate()
    admitted = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=45))
    psn = medical.psn_no_of(person)
    visit = medical.register_visit(
        staff,
        hospital,
        medical.VisitIn(
            psn_no=psn, insutype="390", med_type="21", begntime=_at(admitted, 9), ipt_otp_no="SZY1"
        ),
        msgid=f"{MSGID}-ZY-1-2201",
    )
    lines = _lines(admitted, [(PACEMAKER, 1), (AMOXICILLIN, 60)])
    medical.record_fee_lines(
        staff, hospital, mdtrt_id=visit.mdtrt_id, psn_no=psn, lines=lines, msgid=f"{MSGID}-2204"
    )
    medical.discharge(
        staff,
        hospital,
        medical.DischargeIn(visit.mdtrt_id, psn, _at(admitted + dt.timedelta(days=7), 10)),
    )
    total = sum(line.det_item_fee_sumamt for line in lines)
    medical.settle(
        staff,
        hospital,
        medical.SettleIn(psn_no=psn, mdtrt_id=visit.mdtrt_id, medfee_sumamt=total),
        msgid=f"{MSGID}-ZY-1-2207",
    )
