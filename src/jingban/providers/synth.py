"""The providers app's part of the synthetic city: designated institutions of every kind in the
city's counties, at rates per person, with agreements in every state (their events, consistent
with the transition table), an evaluation checklist and scored checks, and open rectification
orders. Bulk inserts only, so a tiny city costs a handful of statements; deterministic from the
seed (dates are counted from the current year)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time

from django.db import transaction
from django.utils import timezone

from jingban.core.models import Organisation, Region, Scheme
from jingban.core.plugins import SynthContext, SynthOutcome
from jingban.providers.models import (
    ORGANISATION_KIND,
    Agreement,
    AgreementEvent,
    AgreementState,
    Check,
    CheckKind,
    Checklist,
    ChecklistItem,
    CheckScore,
    Designation,
    EventKind,
    Institution,
    InstitutionKind,
    Outcome,
    RectificationOrder,
)

K = InstitutionKind
# Persons per institution of each kind (at least one of each kind in any city).
# The care homes come first, so the first of them takes the cycle's first state, in force: a
# small city's only care home (one in a city of 20,000) serves long-term care.
PERSONS_PER: dict[str, int] = {
    K.CARE_HOME: 15_000,  # about one per 3,000 people over 60
    K.HOSPITAL_3: 200_000,
    K.HOSPITAL_2: 80_000,
    K.HOSPITAL_1: 40_000,
    K.NURSING_HOSPITAL: 30_000,
    K.TOWNSHIP_HEALTH: 25_000,
    K.COMMUNITY_HEALTH: 15_000,
    K.ELDER_HOME: 30_000,
    K.PHARMACY: 4_000,
}
NAMES: dict[str, str] = {
    K.HOSPITAL_3: "{county}人民医院",
    K.HOSPITAL_2: "{county}第{n}人民医院",
    K.HOSPITAL_1: "{county}第{n}医院",
    K.NURSING_HOSPITAL: "{county}康复护理院（{n}）",
    K.CARE_HOME: "{county}颐养院（{n}）",
    K.TOWNSHIP_HEALTH: "{county}第{n}卫生院",
    K.COMMUNITY_HEALTH: "{county}第{n}社区卫生服务中心",
    K.ELDER_HOME: "{county}第{n}敬老院",
    K.PHARMACY: "{county}惠民大药房第{n}店",
}
FORMS = {
    "hospital": [
        ("resident_medical", "inpatient"),
        ("resident_medical", "outpatient"),
        ("employee_medical", "inpatient"),
    ],
    "care_institution": [("ltc", "institutional"), ("ltc", "home")],
    "primary": [("resident_medical", "outpatient"), ("ltc", "institutional")],
    "pharmacy": [("employee_medical", "pharmacy")],
}
S = AgreementState
# The events that lead to each state, in order (see transitions.TRANSITIONS).
PATHS: dict[str, list[tuple[str, str]]] = {
    S.APPLIED: [],
    S.ACCEPTED: [(EventKind.ACCEPTANCE, S.ACCEPTED)],
    S.REFUSED: [(EventKind.ACCEPTANCE, S.REFUSED)],
    S.IN_FORCE: [(EventKind.ACCEPTANCE, S.ACCEPTED), (EventKind.TAKE_EFFECT, S.IN_FORCE)],
}
PATHS[S.RECTIFYING] = [*PATHS[S.IN_FORCE], (EventKind.RECTIFICATION, S.RECTIFYING)]
PATHS[S.SUSPENDED] = [*PATHS[S.IN_FORCE], (EventKind.SUSPENSION, S.SUSPENDED)]
PATHS[S.TERMINATED] = [*PATHS[S.SUSPENDED], (EventKind.TERMINATION, S.TERMINATED)]
PATHS[S.EXPIRED] = [*PATHS[S.IN_FORCE], (EventKind.EXPIRY, S.EXPIRED)]
# Most institutions are in force; every state appears in any city (there are at least nine).
STATE_CYCLE = [
    S.IN_FORCE,
    S.RECTIFYING,
    S.APPLIED,
    S.SUSPENDED,
    S.ACCEPTED,
    S.EXPIRED,
    S.REFUSED,
    S.TERMINATED,
    S.IN_FORCE,
    S.IN_FORCE,
    S.IN_FORCE,
]
SCORE_BAND: dict[str, tuple[int, int]] = {
    S.IN_FORCE: (85, 100),
    S.RECTIFYING: (60, 79),
    S.SUSPENDED: (30, 59),
}
LEVELS: dict[str, int] = {K.HOSPITAL_3: 3, K.HOSPITAL_2: 2, K.HOSPITAL_1: 1}
OUTCOME_OF: dict[str, str] = {
    S.IN_FORCE: Outcome.PASS,
    S.RECTIFYING: Outcome.RECTIFICATION,
    S.SUSPENDED: Outcome.SUSPENSION,
}
CHECKLIST = [
    ("协议履行与内部管理", 25),
    ("服务质量与医疗安全", 35),
    ("基金使用与收费规范", 25),
    ("信息系统与数据上报", 15),
]


def loaded() -> bool:
    return Organisation.objects.filter(code__startswith="SYN-").exists()


def generate(ctx: SynthContext) -> SynthOutcome:
    started = time.perf_counter()
    if ctx.out is not None:  # the Parquet city holds the registry only
        return SynthOutcome("providers", {}, hashlib.sha256(b"").hexdigest(), 0.0)
    with transaction.atomic():
        counts, digest = _load(ctx.persons, ctx.seed)
    return SynthOutcome("providers", counts, digest, time.perf_counter() - started)


def _load(persons: int, seed: int) -> tuple[dict[str, int], str]:
    rng = random.Random(f"providers:{seed}")  # noqa: S311 - synthetic data, reproducible
    counties = list(
        Region.objects.filter(level="county", path__startswith="320000/320500/").order_by("code")
    )
    if not counties or loaded():
        return {}, hashlib.sha256(b"").hexdigest()
    year = timezone.localdate().year
    schemes = {s.code: s for s in Scheme.objects.all()}
    checklist = Checklist.objects.create(
        code="SYN-EVAL",
        version=1,
        name="定点医药机构年度考核表（合成）",
        check_kind=CheckKind.EVALUATION,
        total=100,
        pass_mark=80,
    )
    items = ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, position=n, text=text, weight=w)
        for n, (text, w) in enumerate(CHECKLIST, start=1)
    )
    plan: list[tuple[str, Region, int]] = []
    for kind, per in PERSONS_PER.items():
        for n in range(1, max(1, round(persons / per)) + 1):
            plan.append((kind, counties[rng.randrange(len(counties))], n))
    organisations = Organisation.objects.bulk_create(
        Organisation(
            code=f"SYN-{kind[:4].upper()}-{i:05d}",
            name=NAMES[kind].format(county=county.name, n=n),
            kind=ORGANISATION_KIND[kind],
            region=county,
            hospital_level=LEVELS.get(kind),
        )
        for i, (kind, county, n) in enumerate(plan)
    )
    institutions = Institution.objects.bulk_create(
        Institution(
            organisation=org,
            kind=kind,
            ltc_zone=ORGANISATION_KIND[kind] in ("primary", "care_institution"),
            ltc_beds=rng.randrange(20, 200)
            if ORGANISATION_KIND[kind] in ("primary", "care_institution")
            else 0,
            ltc_nurses=rng.randrange(2, 30) if ORGANISATION_KIND[kind] != "pharmacy" else 0,
        )
        for org, (kind, _county, _n) in zip(organisations, plan, strict=True)
    )
    through = Institution.service_area.through
    through.objects.bulk_create(
        through(institution_id=i.pk, region_id=county.pk)
        for i, (_k, county, _n) in zip(institutions, plan, strict=True)
    )
    start, end = dt.date(year - 1, 1, 1), dt.date(year + 1, 12, 31)
    designations = [
        Designation(
            institution=i, scheme=schemes[s], care_form=f, valid_from=start, valid_until=end
        )
        for i, (kind, _c, _n) in zip(institutions, plan, strict=True)
        for s, f in FORMS[ORGANISATION_KIND[kind]]
        if s in schemes
    ]
    Designation.objects.bulk_create(designations)
    states = [STATE_CYCLE[n % len(STATE_CYCLE)] for n in range(len(institutions))]
    agreements = Agreement.objects.bulk_create(
        Agreement(
            institution=i,
            number=f"定协〔{start.year}〕{100000 + i.pk}号",
            state=state,
            applied_on=(start if state != S.EXPIRED else dt.date(year - 3, 1, 1))
            - dt.timedelta(days=45),
            valid_from=start if state != S.EXPIRED else dt.date(year - 3, 1, 1),
            valid_until=end if state != S.EXPIRED else dt.date(year - 1, 12, 31),
            deposit_fen=2_000_000 if ORGANISATION_KIND[i.kind] == "care_institution" else 0,
        )
        for i, state in zip(institutions, states, strict=True)
    )
    checks: list[Check] = []
    for agreement in agreements:
        band = SCORE_BAND.get(agreement.state)
        if band is None:
            continue
        checks.append(
            Check(
                agreement=agreement,
                checklist=checklist,
                kind=CheckKind.EVALUATION,
                checked_on=dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(0, 60)),
                total_score=rng.randint(*band),
                outcome=OUTCOME_OF[agreement.state],
            )
        )
    Check.objects.bulk_create(checks)
    scores = []
    for check in checks:
        left = check.total_score
        for item in items:
            share = min(
                item.weight,
                left
                if item is items[-1]
                else rng.randint(max(0, left - 100 + item.weight), min(item.weight, left)),
            )
            left -= share
            scores.append(CheckScore(check_record=check, item=item, score=share))
    CheckScore.objects.bulk_create(scores)
    by_agreement = {c.agreement_id: c for c in checks}
    orders = RectificationOrder.objects.bulk_create(
        RectificationOrder(
            agreement=a,
            check_record=by_agreement.get(a.pk),
            issued_on=by_agreement[a.pk].checked_on,
            deadline=by_agreement[a.pk].checked_on + dt.timedelta(days=28),
            requirements="年度考核扣分项目限期整改。",
        )
        for a in agreements
        if a.state == S.RECTIFYING
    )
    events: list[AgreementEvent] = []
    for agreement in agreements:
        scored = by_agreement.get(agreement.pk)
        day = agreement.applied_on
        events.append(
            AgreementEvent(
                agreement=agreement, kind=EventKind.APPLIED, effective_on=day, state_after=S.APPLIED
            )
        )
        before: str = S.APPLIED
        for event_kind, after in PATHS[agreement.state]:
            if event_kind == EventKind.TAKE_EFFECT:
                day = agreement.valid_from
            elif event_kind == EventKind.EXPIRY:
                day = agreement.valid_until + dt.timedelta(days=1)
            elif scored is not None and event_kind in (
                EventKind.RECTIFICATION,
                EventKind.SUSPENSION,
            ):
                day = scored.checked_on
            else:
                day = day + dt.timedelta(days=20)
            events.append(
                AgreementEvent(
                    agreement=agreement,
                    kind=event_kind,
                    effective_on=day,
                    state_before=before,
                    state_after=after,
                    check_record=scored
                    if event_kind in (EventKind.RECTIFICATION, EventKind.SUSPENSION)
                    else None,
                )
            )
            before = after
    AgreementEvent.objects.bulk_create(events)
    counts = {
        "providers_institution": len(institutions),
        "providers_agreement": len(agreements),
        "providers_agreementevent": len(events),
        "providers_check": len(checks),
        "providers_checkscore": len(scores),
        "providers_rectificationorder": len(orders),
    }
    digest = hashlib.sha256(
        "\n".join(
            f"{o.code}|{o.name}|{a.state}|{a.valid_from}"
            for o, a in zip(organisations, agreements, strict=True)
        ).encode()
    ).hexdigest()
    return counts, digest
