"""The desk's part of the demo world: Suzhou's routing rules and a handful of cases, one of them
overdue and escalated (for the supervisor qian). Idempotent: nothing is added when the rules
are there."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from jingban.core.calendar import today as local_today
from jingban.core.models import Organisation, Region, User
from jingban.desk import services
from jingban.desk.models import (
    CaseKind,
    Category,
    Channel,
    RoutingRule,
    Satisfaction,
    SubjectType,
)

DEMO_FILER = {"name": "张秀兰", "document": "320505198203150027", "phone": "13912345678"}


def build(admin: User, users: Mapping[str, User]) -> None:
    bureau = Organisation.objects.filter(code="SZ-YBJ").first()
    suzhou = Region.objects.filter(code="320500").first()
    if bureau is None or suzhou is None or RoutingRule.objects.exists():
        return
    insurer = Organisation.objects.filter(code="SZ-INS-LTC").first()
    RoutingRule.objects.bulk_create(
        RoutingRule(
            category=category,
            region=suzhou,
            organisation=insurer if category == Category.LTC and insurer else bureau,
        )
        for category in Category.values
    )
    county = Region.objects.filter(code="320505").first() or suzhou
    nanjing = Region.objects.filter(code="320102").first()
    wang = users.get("wang", admin)
    today = local_today()

    def filing(category: str, text: str, **more: object) -> services.Filing:
        base: dict[str, object] = {
            "kind": CaseKind.COMPLAINT,
            "channel": Channel.WEB,
            "category": category,
            "region": county,
            "text": text,
            **DEMO_FILER,
        }
        base.update(more)
        return services.Filing(**base)  # type: ignore[arg-type]

    fresh, old = today - dt.timedelta(days=3), today - dt.timedelta(days=45)
    services.receive(
        filing(
            Category.SERVICE, "窗口工作人员办理异地就医备案时态度生硬，要求补交的材料前后不一。"
        ),
        acting_user=None,
        received_on=fresh,
    )
    answered = services.receive(
        filing(
            Category.BENEFIT,
            "门诊慢特病待遇认定后，药店结算时仍按普通门诊报销。",
            channel=Channel.HOTLINE_12345,
        ),
        acting_user=None,
        received_on=old,
    ).case
    services.answer(
        answered,
        "经核查，系认定结果未及时同步至定点药店，现已同步，差额已按规定补报。",
        acting_user=wang,
    )
    services.close(answered, Satisfaction.SATISFIED, acting_user=wang)
    report = services.receive(
        services.Filing(
            kind=CaseKind.REPORT,
            channel=Channel.HOTLINE_12393,
            category=Category.FRAUD,
            region=county,
            text="某护理院疑似将未入住老人登记为在院护理并申报长护险费用。",
            anonymous=True,
            subject_type=SubjectType.INSTITUTION,
            subject_text="示例护理院",
            amount_fen=1_200_000,
        ),
        acting_user=None,
        received_on=fresh,
    ).case
    services.refer_to_audit(report, acting_user=wang, note="转稽核核查")
    overdue = services.receive(
        filing(Category.INSTITUTION, "定点医院要求住院病人自费购买目录内药品。"),
        acting_user=None,
        received_on=old,
    ).case
    services.escalate(overdue, acting_user=None, reason="overdue")
    if nanjing is not None:
        services.receive(
            filing(Category.SERVICE, "玄武区窗口排队时间过长。", region=nanjing),
            acting_user=None,
            received_on=fresh,
        )
