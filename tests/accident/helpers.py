"""Rows for the accident tests: a fresh person of a given birth date in 陈秀英's community, a
cover written directly, a claim written directly."""

from __future__ import annotations

import datetime as dt
import itertools

from jingban.accident.models import Channel, Claim, ClaimStatus, Enrollment, Payer, Payment
from jingban.core.calendar import today as local_today
from jingban.core.models import Region
from jingban.demo.world import resident_id
from jingban.registry.models import Person

COMMUNITY = "320505001001"
NANJING = "320102"
PACK = "jiangsu-ankang-2026@1"
_numbers = itertools.count(300)


def new_person(
    born: dt.date = dt.date(1950, 6, 1), region_code: str = COMMUNITY, name: str = "测试老人"
) -> Person:
    region = Region.objects.filter(code__startswith=region_code).order_by("code").first()
    assert region is not None
    while True:
        number = resident_id(region.code[:6], born, next(_numbers) % 500, male=True)
        if not Person.objects.filter(document_number=number).exists():
            break
    return Person.objects.create(
        document_type="resident_id",
        document_number=number,
        name=name,
        sex="M",
        birth_date=born,
        phone="",
        region=region,
    )


def cover(person: Person, start: dt.date | None = None, days: int = 365) -> Enrollment:
    start = start or local_today() - dt.timedelta(days=30)
    payment = Payment.objects.create(
        product="jiangsu-ankang-2026",
        payer=Payer.PERSON,
        region=person.region,
        region_path=person.region.path,
        count=1,
        premium_each=3000,
        amount=3000,
        paid_on=start,
    )
    return Enrollment.objects.create(
        person=person,
        product="jiangsu-ankang-2026",
        pack=PACK,
        start=start,
        end=start + dt.timedelta(days=days - 1),
        premium=3000,
        payment=payment,
        channel=Channel.WINDOW,
        enrolled_on=start,
        region_path=person.region.path,
    )


def claim(person: Person, status: str = ClaimStatus.REPORTED) -> Claim:
    enrollment = Enrollment.objects.filter(person=person).first() or cover(person)
    today = local_today()
    return Claim.objects.create(
        person=person,
        enrollment=enrollment,
        accident_date=today - dt.timedelta(days=2),
        description="摔伤（测试）",
        medical_expenses=100_000,
        status=status,
        reported_on=today,
        region_path=enrollment.region_path,
        pack=enrollment.pack,
    )
