"""The workforce's part of the synthetic city: caregivers for the care and primary institutions
present, assessors and experts of an assessment institution, with qualifications and a few
recusal links. Rates scale with the city; a tiny city still gets a small, usable network.

- caregivers: one per 400 persons (about one per 2,000 residents over 60 per care form, with
  the city's share of elderly), at least two per institution;
- assessors: one per 20,000 persons, at least four; experts: one per 60,000, at least two;
- one assessor in five is tied (employed or contracted) to a care institution.

Rows go in with ``bulk_create``; the same persons and seed give the same rows. In Parquet mode
(``ctx.out``) nothing is written: the workforce has no files of its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time

from django.db import transaction

from jingban.core.models import Organisation, OrganisationKind, Region
from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.workforce.models import (
    Affiliation,
    AffiliationKind,
    Assessor,
    AssessorClass,
    Caregiver,
    Qualification,
    QualificationKind,
    StaffStatus,
)

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐"
    "许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁沈任姚卢"
)
_GIVEN = "秀英桂兰玉梅淑珍丽娟敏静霞芳红燕伟强军磊洋勇杰涛明超华平刚辉建国志刚海燕晓红春梅文杰俊峰"
SYNTH_ASSESSMENT_CODE = "SYN-ASMT-1"


def resident_id(county: str, birth: dt.date, sequence: int) -> str:
    """A valid 18-character resident ID (sequence 0–999)."""
    body = f"{county[:6]}{birth:%Y%m%d}{sequence % 1000:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True))
    return body + _CHECK[total % 11]


def staff_id(county: str, index: int, *, base: dt.date) -> str:
    """The ``index``-th distinct resident ID of a county: a thousand per birth date, the birth
    dates spread over about 33 years (97 is prime to 12,000, so no two indexes meet)."""
    days = (index // 1000) * 97 % 12_000
    return resident_id(county, base + dt.timedelta(days=days), index)


def _name(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice((1, 2))))


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"


def _certificate(prefix: str, index: int) -> str:
    return f"{prefix}-{index:08d}"


def _assessment_org(care: list[Organisation]) -> Organisation | None:
    found = Organisation.objects.filter(kind=OrganisationKind.ASSESSMENT).order_by("code").first()
    if found is not None:
        return found
    region = care[0].region if care else Region.objects.filter(level="city").first()
    if region is None:
        return None
    city = region
    while city.parent is not None and city.level not in {"city", "province"}:
        city = city.parent
    org, _created = Organisation.objects.get_or_create(
        code=SYNTH_ASSESSMENT_CODE,
        defaults={
            "name": f"{city.name}长期护理评估中心",
            "kind": OrganisationKind.ASSESSMENT,
            "region": city,
        },
    )
    return org


def generate(ctx: SynthContext) -> SynthOutcome:
    started = time.perf_counter()
    if ctx.out is not None:
        return SynthOutcome("workforce", {}, hashlib.sha256(b"").hexdigest(), 0.0)
    rng = random.Random(f"workforce:{ctx.seed}:{ctx.persons}")  # noqa: S311 - synthetic data
    care = list(
        Organisation.objects.select_related("region")
        .filter(kind__in=(OrganisationKind.CARE_INSTITUTION, OrganisationKind.PRIMARY))
        .order_by("code")
    )
    base = dt.date(1966, 1, 1)
    today = dt.date(2026, 1, 1)
    caregivers: list[Caregiver] = []
    offset = Caregiver.objects.count() + 100
    if care:
        total = max(2 * len(care), ctx.persons // 400)
        for i in range(total):
            employer = care[i % len(care)]
            status = rng.choices(StaffStatus.values, weights=(90, 4, 6))[0]
            caregivers.append(
                Caregiver(
                    name=_name(rng),
                    document_number=staff_id(employer.region.code, offset + i, base=base),
                    phone=_mobile(rng),
                    employer=employer,
                    status=status,
                    training_hours=rng.randrange(40, 400),
                    hired_on=today - dt.timedelta(days=rng.randrange(30, 3650)),
                )
            )
    org = _assessment_org(care)
    assessors: list[Assessor] = []
    if org is not None:
        n_assessors = max(4, ctx.persons // 20_000)
        n_experts = max(2, ctx.persons // 60_000)
        a_offset = Assessor.objects.count() + 100
        for i in range(n_assessors + n_experts):
            assessors.append(
                Assessor(
                    name=_name(rng),
                    klass=AssessorClass.ASSESSOR if i < n_assessors else AssessorClass.EXPERT,
                    document_number=staff_id(org.region.code, a_offset + i, base=base),
                    phone=_mobile(rng),
                    organisation=org,
                    status=StaffStatus.ACTIVE if rng.random() < 0.95 else StaffStatus.SUSPENDED,
                )
            )
    with transaction.atomic():
        Caregiver.objects.bulk_create(caregivers)
        Assessor.objects.bulk_create(assessors)
        q_offset = Qualification.objects.count() + 1
        qualifications: list[Qualification] = []
        for i, c in enumerate(caregivers):
            issued = today - dt.timedelta(days=rng.randrange(30, 2000))
            qualifications.append(
                Qualification(
                    caregiver=c,
                    kind=rng.choice(
                        (
                            QualificationKind.ELDERLY_CARE,
                            QualificationKind.MEDICAL_CARE,
                            QualificationKind.HEALTH_CARE,
                        )
                    ),
                    level=rng.choice((5, 5, 4, 4, 3)),
                    certificate_number=_certificate("SYN-C", q_offset + i),
                    issued_on=issued,
                    valid_until=issued + dt.timedelta(days=365 * 5),
                )
            )
        for i, a in enumerate(assessors):
            qualifications.append(
                Qualification(
                    assessor=a,
                    kind=(
                        QualificationKind.LTC_ASSESSOR
                        if a.klass == AssessorClass.ASSESSOR
                        else QualificationKind.LTC_EXPERT
                    ),
                    certificate_number=_certificate("SYN-A", q_offset + i),
                    issued_on=today - dt.timedelta(days=rng.randrange(30, 1500)),
                    valid_until=None,
                )
            )
        Qualification.objects.bulk_create(qualifications)
        links = [
            Affiliation(
                assessor=a,
                organisation=care[i % len(care)],
                kind=rng.choice(AffiliationKind.values),
                valid_from=today - dt.timedelta(days=rng.randrange(100, 1000)),
            )
            for i, a in enumerate(assessors)
            if care and i % 5 == 4
        ]
        Affiliation.objects.bulk_create(links)
    counts = {
        "workforce_caregiver": len(caregivers),
        "workforce_assessor": len(assessors),
        "workforce_qualification": len(qualifications),
        "workforce_affiliation": len(links),
    }
    digest = hashlib.sha256(
        "\n".join(
            [f"{c.name}|{c.document_number}|{c.employer_id}" for c in caregivers]
            + [f"{a.name}|{a.document_number}|{a.klass}" for a in assessors]
        ).encode()
    ).hexdigest()
    return SynthOutcome("workforce", counts, digest, time.perf_counter() - started)
