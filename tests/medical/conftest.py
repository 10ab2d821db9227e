"""Fixtures of the settlement tests: the demo hospital, its staff account, and the fakes of the
other parts' contracts (``fake_ports``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from jingban.core.models import Organisation, User
from jingban.medical import ports
from jingban.medical.services import (
    FeeLineIn,
    SettleIn,
    VisitIn,
    psn_no_of,
    record_fee_lines,
    register_visit,
)
from jingban.registry.models import Person
from tests.medical.fakes import FakePorts


@pytest.fixture
def fake_ports(monkeypatch: pytest.MonkeyPatch) -> FakePorts:
    fake = FakePorts()
    for name in (
        "coverage",
        "year_use",
        "fee_line",
        "classify",
        "require_registration",
        "cross_region",
    ):
        monkeypatch.setattr(ports, name, getattr(fake, name))
    return fake


@pytest.fixture
def hospital(personas) -> Organisation:
    return Organisation.objects.get(code="SZ-HOSP-1")


@pytest.fixture
def renmin(personas) -> User:
    return User.objects.get(username="renmin")


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def today() -> dt.date:
    return timezone.localdate()


def line(sn: str, code: str, price: int, count: str = "1", name: str = "") -> FeeLineIn:
    cnt = Decimal(count)
    return FeeLineIn(
        feedetl_sn=sn,
        med_list_codg=code,
        medins_list_codg=f"H{code}",
        name=name or f"项目{sn}",
        cnt=cnt,
        pric=price,
        det_item_fee_sumamt=int(cnt * price),
        fee_ocur_time=at(today()),
    )


def outpatient(
    actor: User,
    hospital: Organisation,
    person: Person,
    lines: list[FeeLineIn],
    *,
    number: str,
    med_type: str = "11",
    dise_codg: str = "",
    msgid: str = "",
    insuplc: str = "",
) -> tuple[str, SettleIn]:
    visit = register_visit(
        actor,
        hospital,
        VisitIn(
            psn_no=psn_no_of(person),
            insutype="390",
            med_type=med_type,
            begntime=at(today()),
            ipt_otp_no=number,
            dise_codg=dise_codg,
            insuplc_admdvs=insuplc,
        ),
        msgid=msgid,
    )
    record_fee_lines(
        actor, hospital, mdtrt_id=visit.mdtrt_id, psn_no=psn_no_of(person), lines=lines
    )
    total = sum(ln.det_item_fee_sumamt for ln in lines)
    return visit.mdtrt_id, SettleIn(
        psn_no=psn_no_of(person), mdtrt_id=visit.mdtrt_id, medfee_sumamt=total
    )
