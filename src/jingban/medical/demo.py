"""The demo's direct settlements, made through the one settlement service as 第一人民医院's
staff account ``renmin`` would: a few of 陈秀英's visits this year (one of them a chronic-disease
visit for her registered hypertension, one an admission), today's outpatient settlements of the
walk-ins (so renmin's home panel shows today's settlements), one cancelled settlement and a
reconciliation of today's totals.

The settlements need the enrollment, catalogue and filing apps (coverage, classification, the
cross-region rule); without them installed there is nothing to settle against and the builder
does nothing. Idempotent: a world that has the demo's settlements keeps them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from jingban.core.errors import DomainError
from jingban.core.models import Organisation, User
from jingban.medical import services
from jingban.medical.models import Settlement
from jingban.medical.services.querying import totals_for
from jingban.registry.models import Person

NEEDS = ("jingban.enrollment", "jingban.catalogue", "jingban.filing")
HOSPITAL = "SZ-HOSP-1"
MSGID = "DEMO"

# Sample catalogue codes (the catalogue app's sample): amoxicillin, the ordinary outpatient
# consultation (price limit 10.00), cefixime, vitamin C (丙类); their classes are the version's.
AMOXICILLIN = ("XJ01CAA381A0010100000", "阿莫西林胶囊", 85)
CONSULTATION = ("00210514630000", "普通门诊诊查费", 1000)
CEFIXIME = ("XJ01DDE790A0010100001", "头孢克肟片", 320)
VITAMIN_C = ("XA11GAA115A0010100108", "维生素C咀嚼片", 150)
HYPERTENSION = "M03900"


def _at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 15)))


def _lines(day: dt.date, items: list[tuple[tuple[str, str, int], int]]) -> list[services.FeeLineIn]:
    return [
        services.FeeLineIn(
            feedetl_sn=str(n),
            med_list_codg=code,
            medins_list_codg=f"H{n:04d}",
            name=name,
            cnt=Decimal(count),
            pric=price,
            det_item_fee_sumamt=price * count,
            fee_ocur_time=_at(day, 9),
        )
        for n, ((code, name, price), count) in enumerate(items, start=1)
    ]


def _visit(
    staff: User,
    hospital: Organisation,
    person: Person,
    *,
    number: str,
    day: dt.date,
    items: list[tuple[tuple[str, str, int], int]],
    med_type: str = "11",
    dise_codg: str = "",
    discharged: dt.date | None = None,
) -> services.SetlInfo:
    psn = services.psn_no_of(person)
    visit = services.register_visit(
        staff,
        hospital,
        services.VisitIn(
            psn_no=psn,
            insutype="390",
            med_type=med_type,
            begntime=_at(day, 9),
            ipt_otp_no=number,
            dise_codg=dise_codg,
        ),
        msgid=f"{MSGID}-{number}-2201",
    )
    lines = _lines(day, items)
    services.record_fee_lines(
        staff,
        hospital,
        mdtrt_id=visit.mdtrt_id,
        psn_no=psn,
        lines=lines,
        msgid=f"{MSGID}-{number}-2204",
    )
    if discharged is not None:
        services.discharge(
            staff, hospital, services.DischargeIn(visit.mdtrt_id, psn, _at(discharged, 10))
        )
    request = services.SettleIn(
        psn_no=psn,
        mdtrt_id=visit.mdtrt_id,
        medfee_sumamt=sum(line.det_item_fee_sumamt for line in lines),
    )
    return services.settle(staff, hospital, request, msgid=f"{MSGID}-{number}-2207")


def build(admin: User, users: Mapping[str, User]) -> None:
    if not all(apps.is_installed(name) for name in NEEDS):
        return
    if Settlement.objects.filter(msgid__startswith=f"{MSGID}-").exists():
        return
    staff = users.get("renmin")
    chen = Person.objects.filter(account=users.get("chen")).first() if "chen" in users else None
    hospital = Organisation.objects.filter(code=HOSPITAL).first()
    if staff is None or chen is None or hospital is None:
        return
    today = timezone.localdate()
    start = dt.date(today.year, 1, 1)

    def back(days: int) -> dt.date:
        return max(start, today - dt.timedelta(days=days))

    with transaction.atomic():
        _visit(
            staff,
            hospital,
            chen,
            number="DEMO-MZ-1",
            day=back(60),
            items=[(CONSULTATION, 1), (AMOXICILLIN, 24), (CEFIXIME, 20), (VITAMIN_C, 10)],
        )
        _visit(
            staff,
            hospital,
            chen,
            number="DEMO-MT-1",
            day=back(30),
            med_type="14",
            dise_codg=HYPERTENSION,
            items=[(CONSULTATION, 1), (CEFIXIME, 20)],
        )
        admitted = back(20)
        _visit(
            staff,
            hospital,
            chen,
            number="DEMO-ZY-1",
            day=admitted,
            med_type="21",
            items=[(AMOXICILLIN, 600), (CEFIXIME, 900), (CONSULTATION, 8)],
            discharged=min(today, admitted + dt.timedelta(days=6)),
        )
        _visit(
            staff,
            hospital,
            chen,
            number="DEMO-MZ-2",
            day=today,
            items=[(CONSULTATION, 1), (AMOXICILLIN, 12)],
        )
    # Today's walk-ins: each settles on its own (one whose coverage is refused, say in a
    # waiting period, is simply not settled, as at a real counter).
    walk_ins = Person.objects.filter(
        account__isnull=True, region__path__startswith="320000/320500/"
    )
    settled = []
    for n, person in enumerate(walk_ins.order_by("pk")[:6], start=1):
        try:
            with transaction.atomic():
                settled.append(
                    _visit(
                        staff,
                        hospital,
                        person,
                        number=f"DEMO-MZ-W{n}",
                        day=today,
                        items=[(CONSULTATION, 1), (AMOXICILLIN, 6 * n), (CEFIXIME, 2 * n)],
                    )
                )
        except DomainError:
            continue
    if settled:
        first = settled[0]
        services.cancel(
            staff,
            hospital,
            setl_id=first.setl_id,
            mdtrt_id=first.mdtrt_id,
            psn_no=first.psn_no,
            msgid=f"{MSGID}-CANCEL-2208",
        )
    ours = totals_for(hospital, today, today, insutype="390")
    services.reconcile(
        staff,
        hospital,
        services.ReconcileIn(
            insutype="390",
            clr_type="",
            setl_optins="",
            stmt_begndate=today,
            stmt_enddate=today,
            medfee_sumamt=ours["medfee"],
            fund_pay_sumamt=ours["fund"],
            acct_pay=0,
            fixmedins_setl_cnt=ours["count"],
        ),
        msgid=f"{MSGID}-3201",
    )
