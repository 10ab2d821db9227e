"""Co-insurance's part of the demo world (all figures are SAMPLE, not from any contract):

- ten more fictional insurers JS-INS-02 … JS-INS-11 (示例… names, kind insurer, region 320000)
  beside the world's JS-INS-01;
- the 11-insurer panel of 江苏医惠保1号 (``jiangsu-yihuibao-2021``) from 2021-01-01: JS-INS-01
  chief with 30 %, the other ten uneven shares adding up to 70 %;
- a one-insurer panel (JS-INS-01, 100 %) of the accident product ``jiangsu-ankang-2026`` from
  2026-01-01;
- the statements of the last two whole months and of the current month so far, from whatever
  items the selling apps yield (the monthly job generates the current month again once it ends).

Idempotent: nothing is added when the yihuibao panel exists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from jingban.coinsurance import services
from jingban.coinsurance.models import Panel
from jingban.core.calendar import today as local_today
from jingban.core.models import Organisation, OrganisationKind, Region, User
from jingban.core.services import reference

YIHUIBAO = "jiangsu-yihuibao-2021"
ANKANG = "jiangsu-ankang-2026"

# Code, fictional name, share of the yihuibao panel in percent (sample).
INSURERS: tuple[tuple[str, str, str], ...] = (
    ("JS-INS-01", "示例人寿保险股份有限公司江苏省分公司", "30"),
    ("JS-INS-02", "示例财产保险股份有限公司江苏分公司", "12"),
    ("JS-INS-03", "示例健康保险股份有限公司江苏分公司", "9.5"),
    ("JS-INS-04", "示例太平洋财产保险江苏分公司", "8"),
    ("JS-INS-05", "示例平安健康保险江苏分公司", "7.5"),
    ("JS-INS-06", "示例人民健康保险江苏分公司", "7"),
    ("JS-INS-07", "示例紫金财产保险股份有限公司", "6.5"),
    ("JS-INS-08", "示例国寿财产保险江苏分公司", "6"),
    ("JS-INS-09", "示例大地财产保险江苏分公司", "5.25"),
    ("JS-INS-10", "示例泰康养老保险江苏分公司", "4.75"),
    ("JS-INS-11", "示例中华联合财产保险江苏分公司", "3.5"),
)
assert sum(Decimal(share) for _c, _n, share in INSURERS) == 100


def build(admin: User, users: Mapping[str, User]) -> None:
    if Panel.objects.filter(product=YIHUIBAO).exists():
        return
    province = Region.objects.filter(code="320000").first()
    if province is None:
        return
    for code, name, _share in INSURERS:
        if not Organisation.objects.filter(code=code).exists():
            reference.create_organisation(
                code=code,
                name=name,
                kind=OrganisationKind.INSURER,
                region=province,
                acting_user=admin,
            )
    services.create_panel(
        services.PanelInput(
            product=YIHUIBAO,
            effective_from=dt.date(2021, 1, 1),
            members=[
                services.MemberInput(code, share, code == "JS-INS-01")
                for code, _name, share in INSURERS
            ],
            note="示例份额（非真实合同）",
        ),
        acting_user=None,
    )
    if not Panel.objects.filter(product=ANKANG).exists():
        services.create_panel(
            services.PanelInput(
                product=ANKANG,
                effective_from=dt.date(2026, 1, 1),
                members=[services.MemberInput("JS-INS-01", "100", True)],
                note="示例（单一承保）",
            ),
            acting_user=None,
        )
    this_month = services.month_start(local_today())
    months = [this_month]
    for _ in range(2):
        months.insert(0, services.month_start(months[0] - dt.timedelta(days=1)))
    for month in months:
        for product in (YIHUIBAO, ANKANG):
            if services.panel_on(product, services.next_month(month) - dt.timedelta(days=1)):
                services.generate(product, month, acting_user=users.get("wang", admin))
