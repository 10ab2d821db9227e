"""The intake part of the long-term care demo world: six Suzhou residents enrolled in LTC
since 2022, and a case of each in a state of intake: waiting for acceptance (one overdue),
not accepted, accepted, dispatched with 李评估 (li) drawn (so li's home panel has real work),
assessed and waiting for review, and concluded by two experts. The two assessment experts of
the demo assessment centre get user accounts (without a usable password: an administrator sets
one) so that the review can be shown.

Everything goes through the services (so the log and the case events are real), with the
days the demo needs; idempotent: nothing is added when the first demo person exists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction

from jingban.core.calendar import add_working_days
from jingban.core.calendar import today as local_today
from jingban.core.models import Organisation, Region, User
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.ltc import policy
from jingban.ltc import services_intake as svc
from jingban.registry.models import Person
from jingban.registry.services import (
    EnrollmentRow,
    PersonInput,
    bulk_register_persons,
    bulk_set_enrollments,
)
from jingban.workforce import services as workforce
from jingban.workforce.models import Assessor, AssessorClass
from jingban.workforce.synth import resident_id

# name, sex, birth, county, sequence, what to make of the case
PEOPLE = (
    ("张桂英", "F", dt.date(1936, 5, 12), "320506", 301, "applied"),
    ("王福根", "M", dt.date(1938, 2, 3), "320506", 302, "overdue"),
    ("刘阿婆", "F", dt.date(1941, 8, 21), "320506", 303, "refused"),
    ("徐金宝", "M", dt.date(1939, 11, 5), "320506", 304, "accepted"),
    ("孙美华", "F", dt.date(1935, 4, 17), "320506", 305, "dispatched"),
    ("马德顺", "M", dt.date(1937, 9, 9), "320506", 306, "assessed"),
    ("郭玉珍", "F", dt.date(1934, 1, 30), "320506", 307, "concluded"),
)
EXPERT_ACCOUNTS = (("钱海燕", "ltc-expert-qian"), ("范志刚", "ltc-expert-fan"))
DEPENDENT = {
    k: "dependent" for k in ("eating", "continence", "bathing", "dressing", "toilet", "transfer")
}
SCORES: dict[str, object] = {
    "adl_feeding": 5,
    "adl_dressing": 0,
    "adl_grooming": 0,
    "adl_bowel": 5,
    "adl_bladder": 5,
    "adl_toilet": 0,
    "adl_walking": 0,
    "adl_transfer": 5,
    "adl_stairs": 0,
    "adl_bathing": 0,
    "cog_time": 3,
    "cog_person": 4,
    "cog_place": 3,
    "cog_memory": 3,
    "per_vision": 3,
    "per_hearing": 3,
    "per_communication": 4,
}


def _experts(admin: User) -> list[User]:
    """The demo centre's experts with accounts (made once)."""
    found: list[User] = []
    for name, username in EXPERT_ACCOUNTS:
        expert = Assessor.objects.filter(name=name, klass=AssessorClass.EXPERT).first()
        if expert is None:
            continue
        if expert.account is None:
            account = User.objects.filter(username=username).first() or create_account(
                username=username,
                password="",
                role=Role.ASSESSOR,
                display_name=name,
                region=Region.objects.get(code="320500"),
                organisation=expert.organisation,
                acting_user=admin,
            )
            account.set_unusable_password()
            account.save(update_fields=["password"])
            expert.account = account
            expert.save(update_fields=["account"])
        assert expert.account is not None
        found.append(expert.account)
    return found


def _seed_drawing(case_person: Person, care: Organisation | None, li: Assessor, user: User) -> str:
    """A seed whose draw includes li (the draw is replayable; the demo picks its seed)."""
    _pack, rules = policy.city_rules("320500", local_today())
    process = rules.assessment
    needed = {
        AssessorClass.ASSESSOR.value: process.on_site - process.on_site_experts,
        AssessorClass.EXPERT.value: process.on_site_experts,
    }
    pool = workforce.candidates(case_person, care, day=local_today(), acting_user=user).pool
    for i in range(200):
        seed = f"jingban-demo-ltc-{i}"
        if li.pk in workforce.pick(seed, pool, needed).get(AssessorClass.ASSESSOR.value, []):
            return seed
    return "jingban-demo-ltc-0"


def build(admin: User, users: Mapping[str, User]) -> None:
    """Add the part's few demo rows (idempotent)."""
    first = resident_id(PEOPLE[0][3], PEOPLE[0][2], PEOPLE[0][4])
    if Person.objects.filter(document_number=first).exists():
        return
    wang = users.get("wang")
    li_user = users.get("li")
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
                for name, sex, born, county, seq, _what in PEOPLE
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
    experts = _experts(admin)
    care = Organisation.objects.filter(code="SZ-CARE-KN").first()
    li = Assessor.objects.filter(account=li_user).first() if li_user else None
    recent = add_working_days(today, -1)
    for person, (_n, _s, _b, _c, _q, what) in zip(people, PEOPLE, strict=True):
        person = Person.objects.select_related("region").get(pk=person.pk)
        received = add_working_days(today, -12) if what == "overdue" else recent
        case = svc.apply(
            svc.ApplicationInput(
                person=person,
                channel="window" if what != "refused" else "village",
                received_on=received,
                disability_since=dt.date(today.year - 1, 3, 1),
                answers=DEPENDENT,
                care_institution=care if what in ("dispatched", "concluded") else None,
            ),
            acting_user=wang,
        )
        if what in ("applied", "overdue"):
            continue
        if what == "refused":
            svc.refuse(
                case,
                reason=svc.RefusalReason.MATERIALS,
                note="缺少医疗机构出具的病历资料",
                acting_user=wang,
            )
            continue
        svc.accept(case, acting_user=wang, day=today, paper_checked=True)
        if what == "accepted":
            continue
        if what == "dispatched" and li is not None:
            seed = _seed_drawing(person, case.care_institution, li, wang)
            svc.dispatch(case, acting_user=wang, day=today, seed=seed)
            continue
        assessment = svc.dispatch(case, acting_user=wang, day=today)
        drawn = assessment.assessors.exclude(account=None).first()
        if drawn is None or drawn.account is None:
            continue
        svc.submit_scores(
            assessment,
            svc.ScoresInput(scores=SCORES, visited_on=today, note="卧床为主，需协助进食"),
            acting_user=drawn.account,
        )
        if what == "concluded":
            for expert in experts:
                svc.review(assessment, confirm=True, note="同意评估结论", acting_user=expert)
