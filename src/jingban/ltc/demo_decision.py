"""The decision part of the long-term care demo world: six Suzhou residents enrolled in LTC
since 2022, whose cases complete the statuses the intake part leaves open:

- 周阿妹: concluded and on public notice since yesterday (the notice runs on);
- 吴根宝: posted weeks ago, the notice ended, decided with an entitlement and its decision
  letter (an official document with a verification code), delivered in person;
- 沈彩英: on notice, a family member objected today (waiting for the re-assessment's draw);
- 陆金林: applied, then withdrawn by the family;
- 钱招娣: concluded by two experts, waiting to be posted;
- 蒋福生: assessed on site by li, waiting for the experts' review.

(The intake part's assessed and concluded cases depend on its unseeded draw finding an assessor
with an account; these two make sure both statuses are in the demo.)

Everything goes through the services (the case events, the log, the notice, the letter are
real), on the days a case of that age would have had; li (李评估) is drawn for the on-site
visits, so his home panel lists the work he did. Idempotent: nothing is added when the first
person exists. The six persons are declared in ``plugin_decision`` (``demo_persons``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from jingban.core.calendar import add_working_days
from jingban.core.calendar import today as local_today
from jingban.core.models import Region, User

# name, sex, birth, county, sequence, what to make of the case
PEOPLE = (
    ("周阿妹", "F", dt.date(1933, 6, 8), "320506", 311, "notice"),
    ("吴根宝", "M", dt.date(1936, 10, 2), "320506", 312, "decided"),
    ("沈彩英", "F", dt.date(1938, 3, 15), "320506", 313, "objected"),
    ("陆金林", "M", dt.date(1940, 7, 27), "320506", 314, "withdrawn"),
    ("钱招娣", "F", dt.date(1935, 12, 19), "320506", 315, "concluded"),
    ("蒋福生", "M", dt.date(1937, 4, 4), "320506", 316, "assessed"),
)
# Working days back from today that each case was received.
RECEIVED_BEFORE = {
    "notice": 9,
    "decided": 26,
    "objected": 11,
    "withdrawn": 3,
    "concluded": 6,
    "assessed": 5,
}


def build(admin: User, users: Mapping[str, User]) -> None:
    """Add the part's few demo rows (idempotent)."""
    from django.db import transaction

    from jingban.ltc import demo_intake
    from jingban.ltc import services_decision as decision
    from jingban.ltc import services_intake as svc
    from jingban.ltc.models import CaseStatus, Delivery, ObjectionChannel, ObjectorKind
    from jingban.registry.models import Person
    from jingban.registry.services import (
        EnrollmentRow,
        PersonInput,
        bulk_register_persons,
        bulk_set_enrollments,
    )
    from jingban.workforce.models import Assessor
    from jingban.workforce.synth import resident_id

    first = resident_id(PEOPLE[0][3], PEOPLE[0][2], PEOPLE[0][4])
    if Person.objects.filter(document_number=first).exists():
        return
    wang, li_user = users.get("wang"), users.get("li")
    if wang is None or not Region.objects.filter(code="320506").exists():
        return
    today = local_today()
    with transaction.atomic():
        people = bulk_register_persons(
            [
                PersonInput(
                    document_type="resident_id",
                    document_number=resident_id(county, born, seq),
                    name=name,
                    region_code=county,
                )
                for name, _sex, born, county, seq, _what in PEOPLE
            ],
            acting_user=admin,
        )
        bulk_set_enrollments(
            [
                EnrollmentRow(p.pk, "ltc", y, "active", dt.date(y, 1, 1))
                for p in people
                for y in range(2022, today.year + 1)
            ],
            acting_user=admin,
        )
    experts = demo_intake._experts(admin)
    li = Assessor.objects.filter(account=li_user).first() if li_user else None
    for person, (*_rest, what) in zip(people, PEOPLE, strict=True):
        person = Person.objects.select_related("region").get(pk=person.pk)
        received = add_working_days(today, -RECEIVED_BEFORE[what])
        case = svc.apply(
            svc.ApplicationInput(
                person=person,
                channel="village" if what == "notice" else "window",
                received_on=received,
                disability_since=dt.date(today.year - 1, 3, 1),
                answers=demo_intake.DEPENDENT,
            ),
            acting_user=wang,
        )
        if what == "withdrawn":
            svc.withdraw(case, note="家属决定暂缓申请，待老人出院后再申请", acting_user=wang)
            continue
        svc.accept(case, acting_user=wang, day=add_working_days(received, 1), paper_checked=True)
        seed = demo_intake._seed_drawing(person, None, li, wang) if li is not None else None
        assessment = svc.dispatch(
            case, acting_user=wang, day=add_working_days(received, 1), seed=seed
        )
        drawn = assessment.assessors.exclude(account=None).first()
        if drawn is None or drawn.account is None:
            continue
        visited = add_working_days(received, 3)
        svc.submit_scores(
            assessment,
            svc.ScoresInput(scores=demo_intake.SCORES, visited_on=visited, note="卧床为主"),
            acting_user=drawn.account,
        )
        if what == "assessed":
            continue
        for expert in experts:
            svc.review(
                assessment,
                confirm=True,
                note="同意评估结论",
                acting_user=expert,
                day=add_working_days(visited, 1),
            )
        case.refresh_from_db()
        if case.status != CaseStatus.CONCLUDED:
            continue
        if what == "concluded":
            continue
        if what == "notice":
            decision.post_notice(case, by=wang, day=add_working_days(today, -1))
        elif what == "objected":
            notice = decision.post_notice(case, by=wang, day=add_working_days(today, -2))
            decision.file_objection(
                notice,
                decision.ObjectionInput(
                    objector=ObjectorKind.FAMILY,
                    reason="老人夜间需要人照护，实际失能程度高于评估结论，申请重新评估。",
                    objector_name="沈建国",
                ),
                channel=ObjectionChannel.STAFF,
                by=wang,
                day=today,
            )
        else:
            notice = decision.post_notice(case, by=wang, day=add_working_days(visited, 2))
            decided = add_working_days(notice.ends_on, 1)
            decision.issue_decision(
                case, by=wang, delivery=Delivery.IN_PERSON, delivered_on=decided, day=decided
            )
