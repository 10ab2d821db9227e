"""The workforce's fixed demo rows: 周护理 (zhou) as a caregiver of 康宁护理院 with two colleagues,
李评估 (li) as an assessor of the LTC insurer, an assessment centre with assessors and experts
(one employed by 康宁护理院, so the draw leaves them out for its residents), and one logged draw
for 陈秀英 applying through 康宁护理院. Idempotent: nothing is added when zhou's record exists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction

from jingban.core.models import Organisation, OrganisationKind, User
from jingban.core.services import reference
from jingban.registry.models import Person
from jingban.workforce import services
from jingban.workforce.models import (
    Affiliation,
    AffiliationKind,
    Assessor,
    AssessorClass,
    Caregiver,
    Qualification,
    QualificationKind,
)
from jingban.workforce.synth import resident_id

ASSESSMENT_CODE = "SZ-ASMT-1"
DEMO_SEED = "jingban-demo-draw-1"

_CAREGIVERS = (
    # name, birth, sequence, phone, kind, level, certificate, hours, account
    (
        "周护理",
        dt.date(1978, 6, 2),
        11,
        "13951234567",
        QualificationKind.ELDERLY_CARE,
        4,
        "3205-2021-000101",
        320,
        "zhou",
    ),
    (
        "吴秀兰",
        dt.date(1975, 9, 20),
        12,
        "13962345678",
        QualificationKind.MEDICAL_CARE,
        5,
        "3205-2022-000233",
        160,
        None,
    ),
    (
        "郑春梅",
        dt.date(1983, 1, 8),
        13,
        "0512-66123456",
        QualificationKind.HEALTH_CARE,
        3,
        "3205-2020-000057",
        480,
        None,
    ),
)
_ASSESSORS = (
    # name, class, birth, sequence, organisation code, certificate, account
    ("李评估", AssessorClass.ASSESSOR, dt.date(1980, 4, 5), 21, "SZ-INS-LTC", "PG-3205-0001", "li"),
    (
        "顾明",
        AssessorClass.ASSESSOR,
        dt.date(1979, 2, 14),
        22,
        ASSESSMENT_CODE,
        "PG-3205-0002",
        None,
    ),
    (
        "沈丽娟",
        AssessorClass.ASSESSOR,
        dt.date(1986, 11, 30),
        23,
        ASSESSMENT_CODE,
        "PG-3205-0003",
        None,
    ),
    (
        "陆建国",
        AssessorClass.ASSESSOR,
        dt.date(1972, 7, 19),
        24,
        ASSESSMENT_CODE,
        "PG-3205-0004",
        None,
    ),
    (
        "钱海燕",
        AssessorClass.EXPERT,
        dt.date(1968, 3, 3),
        25,
        ASSESSMENT_CODE,
        "ZJ-3205-0001",
        None,
    ),
    (
        "范志刚",
        AssessorClass.EXPERT,
        dt.date(1965, 12, 12),
        26,
        ASSESSMENT_CODE,
        "ZJ-3205-0002",
        None,
    ),
)
# 陆建国 works at 康宁护理院 part-time: the draw must leave him out for its residents.
_TIED = "陆建国"


def build(admin: User, users: Mapping[str, User]) -> None:
    if Caregiver.objects.filter(account=users["zhou"]).exists():
        return
    orgs = {o.code: o for o in Organisation.objects.select_related("region")}
    kangning = orgs["SZ-CARE-KN"]
    with transaction.atomic():
        if ASSESSMENT_CODE not in orgs:
            orgs[ASSESSMENT_CODE] = reference.create_organisation(
                code=ASSESSMENT_CODE,
                name="苏州市示例长期护理评估中心",
                kind=OrganisationKind.ASSESSMENT,
                region=orgs["SZ-YBJ"].region,
                acting_user=admin,
            )
        caregivers = Caregiver.objects.bulk_create(
            Caregiver(
                name=name,
                document_number=resident_id(kangning.region.code, born, seq),
                phone=phone,
                employer=kangning,
                training_hours=hours,
                hired_on=dt.date(2022, 3, 1),
                account=users[account] if account else None,
            )
            for name, born, seq, phone, _k, _l, _c, hours, account in _CAREGIVERS
        )
        assessors = Assessor.objects.bulk_create(
            Assessor(
                name=name,
                klass=klass,
                document_number=resident_id(orgs[code].region.code, born, seq),
                phone="",
                organisation=orgs[code],
                account=users[account] if account else None,
            )
            for name, klass, born, seq, code, _c, account in _ASSESSORS
        )
        Qualification.objects.bulk_create(
            [
                Qualification(
                    caregiver=c,
                    kind=kind,
                    level=level,
                    certificate_number=cert,
                    issued_on=dt.date(2021, 6, 1),
                    valid_until=dt.date(2031, 5, 31),
                )
                for c, (_n, _b, _s, _p, kind, level, cert, _h, _a) in zip(
                    caregivers, _CAREGIVERS, strict=True
                )
            ]
            + [
                Qualification(
                    assessor=a,
                    kind=services.CLASS_QUALIFICATION_KIND[a.klass],
                    certificate_number=cert,
                    issued_on=dt.date(2023, 1, 10),
                )
                for a, (_n, _k, _b, _s, _o, cert, _acc) in zip(assessors, _ASSESSORS, strict=True)
            ]
        )
        tied = next(a for a in assessors if a.name == _TIED)
        Affiliation.objects.create(
            assessor=tied,
            organisation=kangning,
            kind=AffiliationKind.EMPLOYED,
            valid_from=dt.date(2024, 1, 1),
            note="兼职康复指导",
        )
        chen = Person.objects.filter(account=users["chen"]).first()
        if chen is not None:
            services.draw_assessors(chen, kangning, acting_user=users["wang"], seed=DEMO_SEED)
