"""The desk's part of the synthetic city: complaints and reports in every state, about one a
year per 2,000 persons (at least one per state, so a tiny city's pages have content). Written
with bulk_create and without log entries: synthetic history, not acts of anyone."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time

from jingban.core.calendar import today as local_today
from jingban.core.models import Region
from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.desk import rules, tracking
from jingban.desk.models import (
    Case,
    CaseKind,
    CaseState,
    Category,
    Channel,
    Satisfaction,
    SubjectType,
)

PERSONS_PER_CASE = 2000
TEXTS = {
    Category.BENEFIT: "报销比例与政策宣传不一致，请核实。",
    Category.SERVICE: "窗口办理时间过长，多次往返。",
    Category.INSTITUTION: "定点机构要求自费购买目录内药品。",
    Category.LTC: "长护险上门服务时间不足。",
    Category.FRAUD: "疑似虚构住院记录骗取医保基金。",
}


def generate(ctx: SynthContext) -> SynthOutcome:
    started = time.monotonic()
    if ctx.out is not None:
        return SynthOutcome("desk", {"cases": 0}, "", 0.0)
    rng = random.Random(ctx.seed * 7919 + 11)  # noqa: S311 - synthetic, from the seed
    regions = list(Region.objects.filter(level="county", path__contains="/320500/"))
    if not regions:
        return SynthOutcome("desk", {"cases": 0}, "", 0.0)
    states = list(CaseState.values)
    count = max(len(states), ctx.persons // PERSONS_PER_CASE)
    today = local_today()
    pack = rules.desk_pack("320500", today)
    rows: list[Case] = []
    for i in range(count):
        state = states[i % len(states)]
        category = rng.choice(Category.values)
        kind = CaseKind.REPORT if category == Category.FRAUD else CaseKind.COMPLAINT
        anonymous = kind == CaseKind.REPORT and rng.random() < 0.5
        received = today - dt.timedelta(days=rng.randint(1, 300))
        deadline = rules.deadline_in(pack, category, received)
        due = deadline.due
        answered = state in (CaseState.ANSWERED, CaseState.CLOSED)
        rows.append(
            Case(
                number=_number(rng),
                kind=kind,
                channel=rng.choice(Channel.values),
                category=category,
                region=rng.choice(regions),
                text=TEXTS[Category(category)],
                anonymous=anonymous,
                filer_name="" if anonymous else rng.choice("赵钱孙李周吴郑王") + "某",
                filer_document="" if anonymous else f"3205{rng.randrange(10**13, 10**14)}",
                filer_phone="" if anonymous else f"139{rng.randrange(10**7, 10**8)}",
                state=state,
                escalated=state != CaseState.CLOSED and not answered and due < today,
                received_on=received,
                deadline=due,
                remind_from=deadline.remind_from,
                deadline_pack=deadline.pack,
                deadline_sample=deadline.sample,
                deadline_provisional=deadline.provisional,
                subject_type=SubjectType.INSTITUTION if kind == CaseKind.REPORT else "",
                amount_fen=rng.randrange(50_000, 5_000_000) if kind == CaseKind.REPORT else None,
                answer="已核实并处理。" if answered else "",
                answered_on=min(due, today) if answered else None,
                satisfaction=rng.choice(Satisfaction.values) if state == CaseState.CLOSED else "",
                closed_on=min(due, today) if state == CaseState.CLOSED else None,
            )
        )
    Case.objects.bulk_create(rows, batch_size=1000)
    digest = hashlib.sha256("|".join(r.number for r in rows).encode()).hexdigest()
    return SynthOutcome("desk", {"cases": len(rows)}, digest, time.monotonic() - started)


def _number(rng: random.Random) -> str:
    """A tracking number from the city's seed (deterministic), in the public numbers' form."""
    body = "".join(rng.choice(tracking.ALPHABET) for _ in range(tracking.BODY))
    return body + tracking.check_char(body)
