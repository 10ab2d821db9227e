"""Long-term care's part of the synthetic city: applicants, their cases in every status, the
assessments with item scores graded by the engine, notices, decisions, entitlements, care plans
with designated providers and their caregivers, and a year of visits and bed-days.

Rates are per person, so the part scales with the city (docs/ltc-synth.md):

- about 0.7% of the persons enrolled in LTC this year (active, alive, in the pack's city) apply,
  older persons far more often than younger ones;
- the cases spread over the statuses, most decided; in a city with ten or more applicants every
  status of ``CaseStatus`` appears at least once;
- each assessed case's item scores are drawn for a target level (many 0–1, fewer 2–3, few
  4–5) and graded by ``engine.ltc.scoring.grade`` with the assessment pack: the stored level is
  the engine's, whatever the target was;
- a decided case whose level the city pack pays has its entitlement (a few suspended or
  stopped), a care plan with an institution that ``may_serve`` the care form on every day of the
  plan (providers) and, for home visits, that institution's caregivers; the last 365 days of
  visits (the pack's monthly quota, a few flagged) and bed-days (a few hospital stays) follow.

Rows are written straight (no services, no action log: synthetic history, not anyone's acts):
``bulk_create`` for the rows others point at, ``COPY`` for visits, bed-days and events, which
stream so memory stays flat. The same persons, seed and day give the same rows and digest
(the digest names persons by document number, not by database id). A tiny city (the tests'
24 persons) has no applicant and costs two queries. Persons are not registered here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

from jingban.core import calendar
from jingban.core.calendar import today as local_today
from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.engine.ltc import scoring
from jingban.engine.policy.families.ltc import Dimension, LtcAssessmentRules
from jingban.ltc import numbers, policy
from jingban.ltc.models import (
    Assessment,
    AssessmentStatus,
    BedDay,
    BedDayStatus,
    CareFormCode,
    CarePlan,
    Case,
    CaseEvent,
    CaseStatus,
    Channel,
    Decision,
    Delivery,
    Entitlement,
    EntitlementEvent,
    EntitlementEventKind,
    EntitlementStatus,
    HospitalStay,
    Notice,
    NoticeStatus,
    Objection,
    ObjectionChannel,
    ObjectorKind,
    StaySource,
    Visit,
    VisitStatus,
)

S = CaseStatus
CITY = "320500"
CITY_PATH = "320000/320500/"
SCHEME = "ltc"
# Share of LTC-enrolled persons who apply (the issue: 0.5–1% of insured people).
APPLY_RATE = 0.007
# Relative chance of applying by age (from 0, 60, 70, 80 years).
AGE_WEIGHTS = ((0, 1.0), (60, 5.0), (70, 14.0), (80, 32.0))
# Statuses of the cases, by share; in a city of ten or more applicants each appears once.
STATUS_SHARES: tuple[tuple[str, float], ...] = (
    (S.DECIDED, 0.745),
    (S.REFUSED, 0.07),
    (S.WITHDRAWN, 0.02),
    (S.APPLIED, 0.035),
    (S.ACCEPTED, 0.02),
    (S.DISPATCHED, 0.035),
    (S.ASSESSED, 0.02),
    (S.CONCLUDED, 0.015),
    (S.NOTICE, 0.03),
    (S.OBJECTED, 0.01),
)
# Target levels 0–5 of the assessments (the stored level is the engine's grade).
LEVEL_SHARES = (0.20, 0.28, 0.22, 0.15, 0.09, 0.06)
# Per target level: the share of the maximum the ADL items and the cognition and perception
# items are drawn around.
LEVEL_DRAW = {
    0: (1.0, 0.97),
    1: (0.84, 0.8),
    2: (0.58, 0.65),
    3: (0.42, 0.5),
    4: (0.22, 0.45),
    5: (0.12, 0.1),
}
# The steps of a case after its application: (status reached, the day's key in the dates).
_DISPATCHED: list[tuple[str, str]] = [(S.ACCEPTED, "accepted"), (S.DISPATCHED, "accepted")]
_CONCLUDED: list[tuple[str, str]] = [
    *_DISPATCHED,
    (S.ASSESSED, "visited"),
    (S.CONCLUDED, "concluded"),
]
PATHS: dict[str, list[tuple[str, str]]] = {
    S.APPLIED: [],
    S.REFUSED: [(S.REFUSED, "closed")],
    S.WITHDRAWN: [(S.WITHDRAWN, "closed")],
    S.ACCEPTED: [(S.ACCEPTED, "accepted")],
    S.DISPATCHED: _DISPATCHED,
    S.ASSESSED: [*_DISPATCHED, (S.ASSESSED, "visited")],
    S.CONCLUDED: _CONCLUDED,
    S.NOTICE: [*_CONCLUDED, (S.NOTICE, "posted")],
    S.OBJECTED: [*_CONCLUDED, (S.NOTICE, "posted"), (S.OBJECTED, "objected")],
    S.DECIDED: [*_CONCLUDED, (S.NOTICE, "posted"), (S.DECIDED, "decided")],
}
SUSPENDED_SHARE = 0.05
STOPPED_SHARE = 0.06
FORM_SHARES: tuple[tuple[str, float], ...] = (
    (CareFormCode.INSTITUTION, 0.40),
    (CareFormCode.HOME_VISIT, 0.45),
    (CareFormCode.FAMILY_CAREGIVER, 0.10),
    (CareFormCode.SELF_ARRANGED, 0.05),
)
# The providers' designation form of each LTC care form that needs a provider.
PROVIDER_FORM = {CareFormCode.INSTITUTION: "institutional", CareFormCode.HOME_VISIT: "home"}
REFUSALS = (
    ("materials", "缺少医疗机构出具的病历资料"),
    ("self_grade", "自评等级未达到申请评估的条件"),
    ("disability_too_short", "失能状态持续不足6个月"),
    ("enrolled_too_short", "参加长期护理保险时间不足"),
)
ITEMS = ("hygiene", "bathing", "feeding", "toileting", "transfer", "skin", "medication", "exercise")
SELF_GRADES = ("E", "F", "G")
# Suzhou's urban area: homes are drawn around it.
CENTRE = (31.30, 120.60)
HISTORY_DAYS = 365
CHUNK = 5000


@dataclass
class _Draft:
    """One applicant's case as drawn, before it is written."""

    person: Any
    status: str
    dates: dict[str, dt.date]
    target: int = 0
    scores: dict[str, int] = field(default_factory=dict)
    grade: scoring.Grade | None = None
    case: Case | None = None


def generate(ctx: SynthContext) -> SynthOutcome:
    started = time.perf_counter()
    if ctx.out is not None:  # the Parquet city holds the registry only
        return SynthOutcome("ltc", {}, hashlib.sha256(b"").hexdigest(), 0.0)
    with transaction.atomic():
        counts, digest = _load(ctx.persons, ctx.seed)
    return SynthOutcome("ltc", counts, digest, time.perf_counter() - started)


class _WorkingDays:
    """``core.calendar.add_working_days`` over the days a city's cases touch, with the holiday
    table read once (the core function reads it on each call)."""

    def __init__(self, first: dt.date, last: dt.date) -> None:
        table = calendar._Calendar()
        self.first, self.last = first, last
        self.days = {
            first + dt.timedelta(days=n)
            for n in range((last - first).days + 1)
            if table.is_working_day(first + dt.timedelta(days=n))
        }

    def add(self, start: dt.date, n: int) -> dt.date:
        step = dt.timedelta(days=1 if n >= 0 else -1)
        day, remaining = start, abs(n)
        if n == 0:
            while day not in self.days:
                day += step
                if not self.first <= day <= self.last:
                    return calendar.add_working_days(start, n)
            return day
        while remaining:
            day += step
            if not self.first <= day <= self.last:
                return calendar.add_working_days(start, n)
            if day in self.days:
                remaining -= 1
        return day

    def notice_ends(self, posted: dt.date, length: int, unit: str) -> dt.date:
        """``policy.notice_ends`` on these days."""
        if unit == "working_days":
            return self.add(posted, length)
        return self.add(posted + dt.timedelta(days=length), 0)


def _weight(age: float) -> float:
    found = AGE_WEIGHTS[0][1]
    for start, weight in AGE_WEIGHTS:
        if age >= start:
            found = weight
    return found


def _candidates(today: dt.date) -> list[tuple[int, dt.date]]:
    """(person id, birth date) of the city's persons enrolled in LTC this year, alive, with no
    account and no LTC case yet, in id order."""
    from jingban.registry.models import Enrollment, EnrollmentStatus, Person

    enrolled = Enrollment.objects.filter(
        scheme__code=SCHEME, year=today.year, status=EnrollmentStatus.ACTIVE
    ).values("person_id")
    return list(
        Person.objects.filter(
            pk__in=enrolled,
            region__path__startswith=CITY_PATH,
            death_date__isnull=True,
            account__isnull=True,
            ltc_cases__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", "birth_date")
        .iterator(chunk_size=CHUNK)
    )


def _allocate(total: int, shares: Sequence[tuple[str, float]]) -> list[str]:
    """``total`` labels by the shares (largest remainder); each label at least once when there
    are at least as many as labels (taken from the largest)."""
    raw = [(label, share * total) for label, share in shares]
    counts = {label: int(value) for label, value in raw}
    left = total - sum(counts.values())
    for label, _value in sorted(raw, key=lambda r: r[1] - int(r[1]), reverse=True)[:left]:
        counts[label] += 1
    if total >= len(shares):
        for label, _share in shares:
            if counts[label] == 0:
                biggest = max(counts, key=lambda k: counts[k])
                counts[biggest] -= 1
                counts[label] = 1
    return [label for label, _share in shares for _ in range(counts[label])]


def _pick(rng: random.Random, shares: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([s[0] for s in shares], weights=[s[1] for s in shares])[0]


# --- Scores ----------------------------------------------------------------------------------


def _draw_item(rng: random.Random, points: Iterable[int], share: float) -> int:
    values = sorted(points)
    top = values[-1] or 1
    weights = [math.exp(-6 * abs(v / top - share)) for v in values]
    return rng.choices(values, weights=weights)[0]


def _scores(
    rng: random.Random, std: LtcAssessmentRules, target: int
) -> tuple[dict[str, int], scoring.Grade]:
    """Item scores drawn around the target level's shares, redrawn (at most 40 times) until the
    engine grades them at the target; the engine's grade is what is kept either way."""
    adl, other = LEVEL_DRAW[target]
    scores: dict[str, int] = {}
    grade: scoring.Grade | None = None
    for _attempt in range(40):
        jitter = rng.uniform(-0.12, 0.12)
        scores = {}
        for dimension in Dimension:
            share = adl if dimension == Dimension.ADL else other
            for code, item in std.dimensions[dimension].items.items():
                scores[code] = _draw_item(rng, item.points, min(1.0, max(0.0, share + jitter)))
        grade = scoring.grade(std, scores)
        if int(grade.level) == target:
            break
    assert grade is not None
    return scores, grade


# --- Dates -----------------------------------------------------------------------------------


def _chain(
    wd: _WorkingDays, rng: random.Random, top: str, anchor: dt.date, length: int, unit: str
) -> dict[str, dt.date]:
    """The days of a case's steps, back from ``anchor`` (the day of step ``top``)."""
    order = ["received", "accepted", "visited", "concluded", "posted", "decided"]
    days: dict[str, dt.date] = {top: anchor}
    index = order.index(top)
    if top == "decided":
        ends = wd.add(anchor, -rng.randint(1, 3))
        posted = (
            wd.add(ends, -length) if unit == "working_days" else ends - dt.timedelta(days=length)
        )
        days["posted"] = posted
        index -= 1
    gaps = {"accepted": (1, 4), "visited": (2, 9), "concluded": (1, 4), "posted": (0, 2)}
    for step in reversed(order[:index]):
        following = order[order.index(step) + 1]
        low, high = gaps[following]
        days[step] = wd.add(days[following], -rng.randint(low, high))
    if "posted" in days:
        days["ends"] = wd.notice_ends(days["posted"], length, unit)
        if top == "decided" and days["decided"] <= days["ends"]:
            days["decided"] = wd.add(days["ends"], 1)
    return days


# --- Writing ---------------------------------------------------------------------------------


def _copy(model: type[models.Model], columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """COPY ``rows`` (values in ``columns`` order, JSON already text) into the model's table."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    written = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
    return written


def _serving(
    institutions: Sequence[Any], first: dt.date, last: dt.date
) -> dict[tuple[int, str], dt.date]:
    """For each (institution, designation form): the first day from which it may serve every
    day up to ``last`` (providers' ``may_serve``), when it may serve on ``last``."""
    from jingban.providers.serving import may_serve_days

    found: dict[tuple[int, str], dt.date] = {}
    for institution in institutions:
        for form in ("institutional", "home"):
            days = may_serve_days(institution, SCHEME, form, first, last)
            if not days.get(last):
                continue
            since = last
            while since - dt.timedelta(days=1) in days and days[since - dt.timedelta(days=1)]:
                since -= dt.timedelta(days=1)
            found[(institution.pk, form)] = since
    return found


def _load(persons: int, seed: int) -> tuple[dict[str, int], str]:
    from jingban.engine.policy.families.ltc import Severity
    from jingban.ltc.policy import NoPack, standard
    from jingban.ltc.services_decision import mask_name
    from jingban.providers.models import Institution
    from jingban.registry.models import Person
    from jingban.workforce.models import Assessor, AssessorClass, Caregiver, StaffStatus

    empty = hashlib.sha256(b"").hexdigest()
    today = local_today()
    candidates = _candidates(today)
    count = round(len(candidates) * APPLY_RATE)
    if count == 0:
        return {}, empty
    try:
        found = policy.rules_for(CITY, today)
        spack, std = standard(CITY, today)
    except NoPack:  # no LTC pack for the city: nothing to generate
        return {}, empty
    rules = found.rules
    length, unit = rules.notice.length, str(rules.notice.unit)
    rng = random.Random(f"ltc:{seed}:{persons}")  # noqa: S311 - synthetic data, reproducible
    wd = _WorkingDays(today - dt.timedelta(days=900), today + dt.timedelta(days=90))
    digest = hashlib.sha256()

    # Applicants: weighted sampling without replacement (key u ** (1 / w)), older first.
    keyed = sorted(
        (
            (rng.random() ** (1.0 / _weight((today - born).days / 365.25)), pk)
            for pk, born in candidates
        ),
        reverse=True,
    )
    chosen = sorted(pk for _key, pk in keyed[:count])
    del keyed, candidates
    people = list(Person.objects.filter(pk__in=chosen).select_related("region").order_by("pk"))
    statuses = _allocate(len(people), STATUS_SHARES)
    rng.shuffle(statuses)
    levels = [(n, share) for n, share in enumerate(LEVEL_SHARES)]

    assessors = list(
        Assessor.objects.filter(status=StaffStatus.ACTIVE).order_by("pk").values_list("pk", "klass")
    )
    plain = [pk for pk, klass in assessors if klass == AssessorClass.ASSESSOR]
    experts = [pk for pk, klass in assessors if klass == AssessorClass.EXPERT]

    # Which applicant gets which dates, scores and level.
    drafts: list[_Draft] = []
    for person, status in zip(people, statuses, strict=True):
        target = _pick(rng, levels)
        if status == S.DECIDED:
            severity = rules.paid_severity(target)
            months = policy.validity_months(rules, severity) if severity else 18
            oldest = today - dt.timedelta(days=int(months * 30.4) - 75)
            anchor = today - dt.timedelta(days=rng.randint(8, max(9, (today - oldest).days)))
            dates = _chain(wd, rng, "decided", wd.add(anchor, 0), length, unit)
        elif status == S.NOTICE:
            posted = wd.add(today, -rng.randint(0, max(0, length - 1)))
            dates = _chain(wd, rng, "posted", posted, length, unit)
        elif status == S.OBJECTED:
            posted = wd.add(today, -rng.randint(1, max(1, length - 1)))
            dates = _chain(wd, rng, "posted", posted, length, unit)
            dates["objected"] = min(today, wd.add(posted, rng.randint(1, 2)))
        elif status == S.CONCLUDED:
            dates = _chain(wd, rng, "concluded", wd.add(today, -rng.randint(0, 2)), 0, unit)
        elif status == S.ASSESSED:
            dates = _chain(wd, rng, "visited", wd.add(today, -rng.randint(0, 3)), 0, unit)
        elif status == S.DISPATCHED:
            dates = _chain(wd, rng, "accepted", wd.add(today, -rng.randint(0, 9)), 0, unit)
        elif status == S.ACCEPTED:
            dates = _chain(wd, rng, "accepted", wd.add(today, -rng.randint(0, 2)), 0, unit)
        elif status == S.APPLIED:
            dates = {"received": wd.add(today, -rng.randint(0, 7))}
        else:  # refused or withdrawn, some time this year
            received = wd.add(today - dt.timedelta(days=rng.randint(10, 300)), 0)
            dates = {"received": received, "closed": wd.add(received, rng.randint(1, 4))}
        dates = {k: min(v, today) for k, v in dates.items()}
        draft = _Draft(person=person, status=status, dates=dates, target=target)
        if "visited" in dates:
            draft.scores, draft.grade = _scores(rng, std, target)
        drafts.append(draft)
    # Each year's numbers are reserved as one run (under the numbering's lock), then formatted
    # here without a query per case.
    sequence: Counter[int] = Counter()
    for year, count in sorted(Counter(d.dates["received"].year for d in drafts).items()):
        sequence[year] = numbers.reserve(year, count) - 1
    now = timezone.now()
    pack_id, pack_version = found.ref.split("@")

    # Cases.
    cases: list[Case] = []
    for draft in sorted(drafts, key=lambda d: (d.dates["received"], d.person.pk)):
        received = draft.dates["received"]
        sequence[received.year] += 1
        status = draft.status
        accepted = "accepted" in draft.dates
        due: dt.date | None = None
        if status == S.APPLIED:
            due = wd.add(received, rules.acceptance.accept_within)
        elif status in (S.ACCEPTED, S.DISPATCHED):
            due = wd.add(draft.dates["accepted"], rules.assessment.on_site_within)
        elif status == S.OBJECTED:
            due = wd.add(draft.dates["ends"], rules.objection.reassess_within)
        refusal = rng.choice(REFUSALS) if status == S.REFUSED else ("", "")
        person = draft.person
        case = Case(
            number=numbers.format_number(received.year, sequence[received.year]),
            person=person,
            region=person.region,
            region_path=person.region.path,
            channel=_pick(
                rng,
                (
                    (Channel.WINDOW, 0.5),
                    (Channel.VILLAGE, 0.25),
                    (Channel.HOSPITAL, 0.15),
                    (Channel.ONLINE, 0.1),
                ),
            ),
            status=status,
            received_on=received,
            disability_since=received - dt.timedelta(days=rng.randint(200, 900)),
            self_assessment_grade=(
                rng.choice(("C", "D")) if refusal[0] == "self_grade" else rng.choice(SELF_GRADES)
            ),
            due_on=due,
            refusal_reason=refusal[0],
            refusal_note=refusal[1],
            pack_id=pack_id if accepted else "",
            pack_version=int(pack_version) if accepted else None,
        )
        draft.case = case
        cases.append(case)
        digest.update(f"{case.number}|{person.document_number}|{status}\n".encode())
    Case.objects.bulk_create(cases, batch_size=1000)
    by_case = {d.case.pk: d for d in drafts if d.case is not None}

    # The case events (with the days of the steps).
    def events() -> Iterator[tuple[Any, ...]]:
        for draft in drafts:
            assert draft.case is not None
            before = ""
            for to, key in [(S.APPLIED, "received"), *PATHS[draft.status]]:
                at = timezone.make_aware(dt.datetime.combine(draft.dates[key], dt.time(10)))
                yield (draft.case.pk, before, to, at, None, "")
                before = to

    event_count = _copy(
        CaseEvent, ("case_id", "from_status", "to_status", "at", "by_id", "note"), events()
    )

    # Assessments, with their drawn assessors (one assessor, one expert).
    assessments: list[Assessment] = []
    for draft in drafts:
        if draft.status not in (
            S.DISPATCHED,
            S.ASSESSED,
            S.CONCLUDED,
            S.NOTICE,
            S.OBJECTED,
            S.DECIDED,
        ):
            continue
        assert draft.case is not None
        grade = draft.grade
        visited = draft.dates.get("visited")
        if draft.status == S.DISPATCHED:
            state = AssessmentStatus.PENDING
        elif draft.status == S.ASSESSED:
            state = AssessmentStatus.SUBMITTED
        else:
            state = AssessmentStatus.CONFIRMED
        row = Assessment(
            case=draft.case,
            round=1,
            region_path=draft.case.region_path,
            status=state,
            due_on=wd.add(draft.dates["accepted"], rules.assessment.on_site_within),
            visited_on=visited,
            pack_id=spack.id if grade else "",
            pack_version=spack.version if grade else None,
            pack_hash=spack.hash if grade else "",
        )
        if grade is not None:
            row.scores = draft.scores
            row.adl_total = grade.adl_total
            row.cognition_total = grade.cognition_total
            row.perception_total = grade.perception_total
            row.level = int(grade.level)
            row.dementia = grade.cognition_band == "severe"
            row.submitted_at = timezone.make_aware(
                dt.datetime.combine(visited or today, dt.time(16))
            )
            digest.update(
                f"{draft.case.number}|{sorted(draft.scores.items())}|{row.level}\n".encode()
            )
        assessments.append(row)
    Assessment.objects.bulk_create(assessments, batch_size=1000)
    through = Assessment.assessors.through
    links: list[Any] = []
    for row in assessments:
        drawn = []
        if plain:
            drawn.append(plain[rng.randrange(len(plain))])
        if experts:
            drawn.append(experts[rng.randrange(len(experts))])
        links.extend(through(assessment_id=row.pk, assessor_id=pk) for pk in drawn)
    through.objects.bulk_create(links, batch_size=CHUNK)
    level_of = {row.case_id: row for row in assessments}

    # Notices, objections, decisions.
    notices: list[Notice] = []
    for row in assessments:
        draft = by_case[row.case_id]
        if "posted" not in draft.dates or row.level is None:
            continue
        posted_state: dict[str, str] = {
            S.NOTICE: NoticeStatus.POSTED,
            S.OBJECTED: NoticeStatus.OBJECTED,
        }
        notice_state = posted_state.get(draft.status, NoticeStatus.ENDED)
        notices.append(
            Notice(
                case_id=row.case_id,
                region=draft.person.region,
                region_path=row.region_path,
                posted_on=draft.dates["posted"],
                ends_on=draft.dates["ends"],
                length=length,
                unit=unit,
                masked_name=mask_name(draft.person.name),
                level=row.level,
                dementia=row.dementia,
                status=notice_state,
                pack_ref=found.ref,
                sample=found.sample("notice.length"),
            )
        )
    Notice.objects.bulk_create(notices, batch_size=1000)
    Objection.objects.bulk_create(
        [
            Objection(
                notice=notice,
                region_path=notice.region_path,
                filed_on=by_case[notice.case_id].dates["objected"],
                objector=ObjectorKind.FAMILY,
                reason="家属认为老人实际失能程度高于评估结论，申请重新评估。",
                channel=rng.choice(ObjectionChannel.values),
                reassess_due_on=by_case[notice.case_id].case.due_on,  # type: ignore[union-attr]
            )
            for notice in notices
            if notice.status == NoticeStatus.OBJECTED
        ]
    )
    decisions: list[Decision] = []
    entitlements: list[Entitlement] = []
    for notice in notices:
        draft = by_case[notice.case_id]
        if draft.status != S.DECIDED:
            continue
        decided = draft.dates["decided"]
        assessment = level_of[notice.case_id]
        level = int(assessment.level or 0)
        severity = rules.paid_severity(level, dementia=assessment.dementia)
        decision = Decision(
            case_id=notice.case_id,
            person=draft.person,
            region_path=notice.region_path,
            decided_on=decided,
            level=level,
            dementia=assessment.dementia,
            covered=severity is not None,
            object_within=rules.objection.object_within,
            delivery=rng.choice(Delivery.values),
            delivered_on=min(today, decided + dt.timedelta(days=rng.randint(0, 3))),
            pack_ref=found.ref,
        )
        if severity is not None:
            start = policy.benefit_start(str(rules.benefit_start), decided)
            end = policy.valid_until(start, policy.validity_months(rules, severity))
            decision.severity = str(severity)
            decision.start_on, decision.end_on = start, end
            decision.benefit_start_rule = str(rules.benefit_start)
            entitlement = Entitlement(
                person=draft.person,
                case_id=notice.case_id,
                region_path=notice.region_path,
                level=level,
                severity=str(severity),
                dementia=assessment.dementia,
                start_on=start,
                end_on=end,
                reassess_on=max(
                    start, end - dt.timedelta(days=rules.validity.reassess_before_days)
                ),
            )
            entitlements.append(entitlement)
            decision.entitlement = entitlement
        decisions.append(decision)
    # Some entitlements suspended or stopped (only those already in benefit).
    changes: list[tuple[Entitlement, str, dt.date, str]] = []
    eligible = [e for e in entitlements if e.start_on < today - dt.timedelta(days=20)]
    standing = _allocate(
        len(eligible),
        (
            (EntitlementStatus.ACTIVE, 1 - SUSPENDED_SHARE - STOPPED_SHARE),
            (EntitlementStatus.SUSPENDED, SUSPENDED_SHARE),
            (EntitlementStatus.STOPPED, STOPPED_SHARE),
        ),
    )
    rng.shuffle(standing)
    for entitlement, standing_of in zip(eligible, standing, strict=True):
        held = (today - entitlement.start_on).days - 1
        if standing_of == EntitlementStatus.SUSPENDED:
            day = today - dt.timedelta(days=rng.randint(1, min(60, held)))
            entitlement.status = standing_of
            changes.append((entitlement, EntitlementEventKind.SUSPENDED, day, "hospital"))
        elif standing_of == EntitlementStatus.STOPPED:
            day = today - dt.timedelta(days=rng.randint(1, held))
            entitlement.status = standing_of
            entitlement.end_on = max(entitlement.start_on, day - dt.timedelta(days=1))
            reason = rng.choice(("moved", "fraud", "request"))
            changes.append((entitlement, EntitlementEventKind.STOPPED, day, reason))
    Entitlement.objects.bulk_create(entitlements, batch_size=1000)
    for decision in decisions:
        if decision.entitlement is not None:
            decision.entitlement_id = decision.entitlement.pk
    Decision.objects.bulk_create(decisions, batch_size=1000)
    change_of = {e.pk: (kind, day) for e, kind, day, _r in changes}
    entitlement_events = [
        (
            e.pk,
            EntitlementEventKind.GRANTED,
            e.start_on,
            "decision",
            "",
            f"ltc.case:{e.case_id}",
            None,
            now,
        )
        for e in entitlements
    ] + [(e.pk, kind, day, reason, "", "", None, now) for e, kind, day, reason in changes]
    _copy(
        EntitlementEvent,
        ("entitlement_id", "kind", "effective_on", "reason", "note", "source", "by_id", "at"),
        entitlement_events,
    )
    for e in entitlements:
        number = by_case[e.case_id].case.number  # type: ignore[union-attr]
        digest.update(f"{number}|{e.level}|{e.status}|{e.start_on}|{e.end_on}\n".encode())

    # Care plans with designated providers that may serve every day of the plan.
    last_day = today - dt.timedelta(days=1)
    first_needed = min((e.start_on for e in entitlements), default=today)
    institutions = list(
        Institution.objects.filter(designations__scheme__code=SCHEME).distinct().order_by("pk")
    )
    serving = _serving(institutions, min(first_needed, last_day), last_day) if entitlements else {}
    caregivers: dict[int, list[int]] = defaultdict(list)
    for pk, employer in (
        Caregiver.objects.filter(status=StaffStatus.ACTIVE)
        .order_by("pk")
        .values_list("pk", "employer_id")
    ):
        caregivers[employer].append(pk)
    org_of = {i.pk: i.organisation_id for i in institutions}
    providers: dict[str, list[tuple[int, dt.date]]] = {
        form: sorted(
            (pk, since)
            for (pk, f), since in serving.items()
            if f == PROVIDER_FORM[form]
            and (form != CareFormCode.HOME_VISIT or caregivers.get(org_of[pk]))
        )
        for form in PROVIDER_FORM
    }
    plans: list[CarePlan] = []
    for entitlement in entitlements:
        if entitlement.start_on > today:
            continue
        form = _pick(rng, FORM_SHARES)
        provider: int | None = None
        start = entitlement.start_on
        if form in PROVIDER_FORM:
            options = providers[form]
            if not options:
                form = CareFormCode.FAMILY_CAREGIVER
            else:
                fits = [pk for pk, since in options if since <= start]
                if fits:
                    provider = fits[rng.randrange(len(fits))]
                else:
                    provider, since = min(options, key=lambda o: o[1])
                    start = since
        if start > entitlement.end_on:
            continue
        quota: int | None = None
        hours: Decimal | None = None
        if form == CareFormCode.HOME_VISIT:
            rule = rules.care_forms[form]
            quota = (rule.visits_per_month or {}).get(Severity(entitlement.severity), 13)
            hours = Decimal(rule.hours_per_visit or 2)
        lat = Decimal(f"{CENTRE[0] + rng.uniform(-0.12, 0.12):.6f}")
        lon = Decimal(f"{CENTRE[1] + rng.uniform(-0.15, 0.15):.6f}")
        plans.append(
            CarePlan(
                entitlement=entitlement,
                person_id=entitlement.person_id,
                region_path=entitlement.region_path,
                care_form=form,
                provider_id=provider,
                monthly_visits=quota,
                hours_per_visit=hours,
                home_lat=lat,
                home_lon=lon,
                effective_from=start,
                effective_to=entitlement.end_on
                if entitlement.status == EntitlementStatus.STOPPED
                else None,
            )
        )
    CarePlan.objects.bulk_create(plans, batch_size=1000)

    # A year of visits and bed-days, up to yesterday, on the days in benefit.
    window_start = today - dt.timedelta(days=HISTORY_DAYS)
    tz = timezone.get_current_timezone()
    stays: list[HospitalStay] = []

    def last_paid(plan: CarePlan) -> dt.date:
        entitlement = plan.entitlement
        end = min(last_day, entitlement.end_on)
        change = change_of.get(entitlement.pk)
        if change is not None:
            end = min(end, change[1] - dt.timedelta(days=1))
        return end

    def visit_rows() -> Iterator[tuple[Any, ...]]:
        for plan in plans:
            if plan.care_form != CareFormCode.HOME_VISIT or plan.provider_id is None:
                continue
            first = max(plan.effective_from, window_start)
            end = last_paid(plan)
            staff = caregivers[org_of[plan.provider_id]]
            main = staff[rng.randrange(len(staff))]
            month = first.replace(day=1)
            while month <= end:
                following = (month + dt.timedelta(days=32)).replace(day=1)
                days = [
                    month + dt.timedelta(days=n)
                    for n in range((following - month).days)
                    if first <= month + dt.timedelta(days=n) <= end
                ]
                quota = plan.monthly_visits or 13
                share = len(days) / (following - month).days
                wanted = max(0, round(quota * share) - rng.choice((0, 0, 1, 2, 3)))
                if rng.random() < 0.03:
                    wanted += 1  # one over the quota now and then: settlement rejects it
                for day in sorted(rng.sample(days, min(wanted, len(days)))):
                    start_at = dt.datetime.combine(
                        day, dt.time(rng.randint(8, 15), rng.choice((0, 15, 30, 45))), tzinfo=tz
                    )
                    short = rng.random() < 0.02
                    far = rng.random() < 0.03
                    minutes = rng.randint(35, 55) if short else rng.randint(105, 130)
                    assert plan.home_lat is not None and plan.home_lon is not None
                    offset = Decimal("0.0120") if far else Decimal(f"{rng.uniform(0, 0.0004):.6f}")
                    flags = (["distance"] if far else []) + (["minutes"] if short else [])
                    caregiver = main if rng.random() < 0.9 else staff[rng.randrange(len(staff))]
                    yield (
                        plan.pk,
                        plan.person_id,
                        caregiver,
                        plan.provider_id,
                        plan.region_path,
                        day,
                        start_at,
                        start_at + dt.timedelta(minutes=minutes),
                        plan.home_lat + offset,
                        plan.home_lon,
                        plan.home_lat,
                        plan.home_lon,
                        round(float(offset) * 111_320),
                        json.dumps(rng.sample(ITEMS, 3)),
                        VisitStatus.FLAGGED if flags else VisitStatus.DONE,
                        json.dumps(flags),
                        "老人外出就医，陪同前往" if far else "",
                        now,
                    )
                month = following

    visit_count = _copy(
        Visit,
        (
            "care_plan_id",
            "person_id",
            "caregiver_id",
            "institution_id",
            "region_path",
            "service_date",
            "check_in",
            "check_out",
            "in_lat",
            "in_lon",
            "out_lat",
            "out_lon",
            "distance_m",
            "items",
            "status",
            "flags",
            "reason",
            "created_at",
        ),
        visit_rows(),
    )

    def bed_days() -> Iterator[tuple[Any, ...]]:
        for plan in plans:
            if plan.care_form != CareFormCode.INSTITUTION or plan.provider_id is None:
                continue
            first = max(plan.effective_from, window_start)
            end = last_paid(plan)
            if first > end:
                continue
            span = (end - first).days + 1
            hospital: tuple[dt.date, dt.date] | None = None
            if span > 20 and rng.random() < 0.15:
                admitted = first + dt.timedelta(days=rng.randint(0, span - 15))
                hospital = (admitted, admitted + dt.timedelta(days=rng.randint(2, 10)))
                stays.append(
                    HospitalStay(
                        person_id=plan.person_id,
                        region_path=plan.region_path,
                        admitted_on=hospital[0],
                        discharged_on=hospital[1],
                        source=StaySource.RECORDED,
                    )
                )
            for n in range(span):
                day = first + dt.timedelta(days=n)
                if hospital and hospital[0] <= day <= hospital[1]:
                    status = BedDayStatus.HOSPITAL
                elif rng.random() < 0.01:
                    status = BedDayStatus.ABSENT
                else:
                    status = BedDayStatus.PRESENT
                yield (
                    plan.pk,
                    plan.person_id,
                    plan.provider_id,
                    plan.region_path,
                    day,
                    status,
                    "",
                    None,
                    now,
                )

    bed_count = _copy(
        BedDay,
        (
            "care_plan_id",
            "person_id",
            "institution_id",
            "region_path",
            "day",
            "status",
            "note",
            "reported_by_id",
            "reported_at",
        ),
        bed_days(),
    )
    HospitalStay.objects.bulk_create(stays, batch_size=1000)
    for plan in plans:
        number = by_case[plan.entitlement.case_id].case.number  # type: ignore[union-attr]
        digest.update(f"{number}|{plan.care_form}|{plan.effective_from}\n".encode())
    digest.update(f"{visit_count}|{bed_count}|{len(stays)}\n".encode())
    counts = {
        "ltc_case": len(cases),
        "ltc_caseevent": event_count,
        "ltc_assessment": len(assessments),
        "ltc_notice": len(notices),
        "ltc_decision": len(decisions),
        "ltc_entitlement": len(entitlements),
        "ltc_careplan": len(plans),
        "ltc_visit": visit_count,
        "ltc_bedday": bed_count,
        "ltc_hospitalstay": len(stays),
    }
    return counts, digest.hexdigest()
