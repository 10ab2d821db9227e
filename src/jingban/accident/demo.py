"""Accident insurance's part of the demo world: 陈秀英 (born 1952) is enrolled through her
community's list (狮山街道某社区居民委员会, imported by wang, the premium paid by the community)
with the other people aged 60 and over of her community not yet covered; she slipped at home
twelve days before the demo was built, reported it herself and sun paid the claim. Her neighbour
陆美芳 (born 1975) is under 60: the product does not take her. Idempotent: nothing is added when
陈秀英 has a cover."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from jingban.accident import services
from jingban.accident.models import Enrollment, Payer
from jingban.core.calendar import today as local_today
from jingban.core.models import User
from jingban.registry.display import age_on
from jingban.registry.models import Person

COMMUNITY = "狮山街道示例社区居民委员会"
OTHERS = 4


def build(admin: User, users: Mapping[str, User]) -> None:
    chen = Person.objects.select_related("region").filter(account=users.get("chen")).first()
    if chen is None or Enrollment.objects.filter(person=chen).exists():
        return
    wang = users.get("wang", admin)
    sun = users.get("sun", admin)
    today = local_today()
    start = today - dt.timedelta(days=30)
    covered = set(Enrollment.objects.values_list("person_id", flat=True))
    others = [
        p
        for p in Person.objects.filter(
            region=chen.region, account__isnull=True, death_date__isnull=True
        ).order_by("document_number")
        if p.pk not in covered and age_on(p.birth_date, start) >= 60
    ][:OTHERS]
    lines = ["身份证号码,姓名,联系电话"] + [
        f"{p.document_number},{p.name},{p.phone}" for p in [chen, *others]
    ]
    services.import_list(
        services.GroupImport(
            content="\n".join(lines).encode(),
            filename="狮山社区安康关爱名单.csv",
            region_code=chen.region.code,
            organisation=COMMUNITY,
            payer=Payer.COMMUNITY,
            start=start,
        ),
        acting_user=wang,
    )
    chen_user = users.get("chen")
    if chen_user is None:
        return
    claim = services.report_claim(
        services.ClaimData(
            person=chen,
            accident_date=today - dt.timedelta(days=12),
            description="在家中浴室滑倒，右手腕骨折，住院治疗",
            medical_expenses=320_000,
            hospital_days=6,
        ),
        acting_user=chen_user,
    )
    services.pay(claim, acting_user=sun)
    if others:
        # A claim reported at the window and waiting for the reviewer: sun's queue is not empty.
        services.report_claim(
            services.ClaimData(
                person=others[0],
                accident_date=today - dt.timedelta(days=5),
                description="买菜途中被电动车撞倒，左腿挫伤，门诊治疗",
                medical_expenses=86_000,
                hospital_days=0,
            ),
            acting_user=wang,
        )
