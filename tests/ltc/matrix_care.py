"""The care part's routes in the authorization matrix: care plans, the caregiver's day, visits,
bed-days and hospital stays. In-scope targets are a Suzhou person's home-visit plan with
康宁护理院 and zhou's open visit under it; out-of-scope ones are a Nanjing person's plan and a
colleague's visit there."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.authz import Route
from tests.personas import Personas

PLAN_VIEWERS = {"admin", "wang", "sun", "zhao", "qian", "kangning"}
PLAN_EDITORS = {"admin", "wang"}
VISIT_VIEWERS = {"admin", "wang", "sun", "zhao", "qian", "kangning", "zhou"}
EXPORTERS = {"admin", "wang", "sun", "zhao", "qian"}


def plan(p: Personas, in_scope: bool) -> int:
    from jingban.ltc.models import CarePlan, Case, Entitlement
    from jingban.providers.models import Institution

    number = f"MATRIX-CARE-{1 if in_scope else 2}"
    found = CarePlan.objects.filter(entitlement__case__number=number).first()
    if found is not None:
        return found.pk
    person = p.in_scope_person if in_scope else p.out_of_scope_person
    today = timezone.localdate()
    case = Case.objects.create(
        number=number,
        person=person,
        region=person.region,
        region_path=person.region.path,
        channel="counter",
        status="decided",
        received_on=today - dt.timedelta(days=60),
    )
    entitlement = Entitlement.objects.create(
        person=person,
        case=case,
        region_path=person.region.path,
        level=4,
        severity="severe",
        start_on=today - dt.timedelta(days=30),
        end_on=today + dt.timedelta(days=300),
    )
    provider = Institution.objects.get(organisation__code="SZ-CARE-KN") if in_scope else None
    return CarePlan.objects.create(
        entitlement=entitlement,
        person=person,
        region_path=person.region.path,
        care_form="home_visit" if in_scope else "self_arranged",
        provider=provider,
        effective_from=today - dt.timedelta(days=30),
    ).pk


def visit(p: Personas, in_scope: bool) -> int:
    from jingban.ltc.models import CarePlan, Visit
    from jingban.workforce.models import Caregiver

    care_plan = CarePlan.objects.get(pk=plan(p, in_scope))
    found = Visit.objects.filter(care_plan=care_plan).first()
    if found is not None:
        return found.pk
    zhou = p.user("zhou")
    caregiver = (
        Caregiver.objects.get(account=zhou)
        if in_scope
        else Caregiver.objects.filter(employer__code="SZ-CARE-KN").exclude(account=zhou).first()
    )
    now = timezone.now()
    return Visit.objects.create(
        care_plan=care_plan,
        person=care_plan.person,
        caregiver=caregiver,
        institution=care_plan.provider,
        region_path=care_plan.region_path,
        service_date=timezone.localdate(now),
        check_in=now - dt.timedelta(minutes=5),
    ).pk


PAGES = {
    "ltc:care_plan_list": Route(PLAN_VIEWERS),
    "ltc:care_plan_new": Route(PLAN_EDITORS),
    "ltc:care_plan_detail": Route(PLAN_VIEWERS, plan),
    "ltc:care_plan_change": Route(PLAN_EDITORS, plan),
    "ltc:care_today": Route({"zhou"}),
    "ltc:care_check_in": Route({"zhou"}, plan, method="post", ok=400),
    "ltc:care_check_out": Route({"zhou"}, visit, method="post", ok=400),
    "ltc:visit_list": Route(VISIT_VIEWERS),
    "ltc:visit_detail": Route(VISIT_VIEWERS, visit),
    "ltc:bed_days": Route({"kangning"}),
    "ltc:hospital_stays": Route({"kangning"}),
    "ltc:hospital_stay_import": Route({"kangning"}, method="post", ok=400),
}
PAGES.update(
    {
        f"{name}_{fmt}": Route(allowed & EXPORTERS)
        for name, allowed in (
            ("ltc:care_plan_export", PLAN_VIEWERS),
            ("ltc:visit_export", VISIT_VIEWERS),
        )
        for fmt in ("csv", "xlsx")
    }
)
