"""The decision part's routes in the authorization matrix. Targets are made directly (a
Suzhou person in wang's scope, a Nanjing person outside it); an in-scope entitlement has a care
plan at 康宁护理院, so kangning sees it, and nothing of Nanjing."""

from __future__ import annotations

import datetime as dt
from itertools import count

from jingban.core.calendar import today
from jingban.ltc.models import (
    Assessment,
    AssessmentStatus,
    CarePlan,
    Case,
    CaseStatus,
    Decision,
    Entitlement,
    EntitlementEvent,
    EntitlementStatus,
    Notice,
    NoticeStatus,
)
from tests.authz import Route
from tests.personas import Personas

OPERATORS = {"admin", "wang"}
VIEWERS = {"admin", "wang", "sun", "li", "zhao", "kangning", "qian"}
REPORTERS = {"kangning"}
# Exports need the platform's export capability too (assessors and institutions lack it).
EXPORTERS = {"admin", "wang", "sun", "zhao", "qian"}

_numbers = count(1)


def _case(p: Personas, in_scope: bool, status: str = CaseStatus.CONCLUDED) -> Case:
    person = p.in_scope_person if in_scope else p.out_of_scope_person
    case = Case.objects.create(
        number=f"MDEC{next(_numbers):06d}",
        person=person,
        region=person.region,
        region_path=person.region.path,
        channel="window",
        status=status,
        received_on=today() - dt.timedelta(days=20),
    )
    Assessment.objects.create(
        case=case,
        round=1,
        region_path=case.region_path,
        status=AssessmentStatus.CONFIRMED,
        level=3,
    )
    return case


def concluded(p: Personas, in_scope: bool) -> int:
    return _case(p, in_scope).pk


def _notice(p: Personas, in_scope: bool, case_status: str, status: str) -> Notice:
    case = _case(p, in_scope, case_status)
    day = today()
    return Notice.objects.create(
        case=case,
        region=case.person.region,
        region_path=case.region_path,
        posted_on=day,
        ends_on=day + dt.timedelta(days=7),
        length=5,
        unit="working_days",
        masked_name="张*",
        level=3,
        status=status,
    )


def notice(p: Personas, in_scope: bool) -> int:
    return _notice(p, in_scope, CaseStatus.NOTICE, NoticeStatus.POSTED).pk


def objected(p: Personas, in_scope: bool) -> int:
    return _notice(p, in_scope, CaseStatus.OBJECTED, NoticeStatus.OBJECTED).case_id


def _entitlement(
    p: Personas, in_scope: bool, status: str = EntitlementStatus.ACTIVE
) -> Entitlement:
    from jingban.providers.models import Institution

    case = _case(p, in_scope, CaseStatus.DECIDED)
    start = today().replace(day=1)
    entitlement = Entitlement.objects.create(
        person=case.person,
        case=case,
        region_path=case.region_path,
        level=3,
        severity="severe",
        start_on=start,
        end_on=start + dt.timedelta(days=700),
        status=status,
    )
    EntitlementEvent.objects.create(entitlement=entitlement, kind="granted", effective_on=start)
    if in_scope:
        CarePlan.objects.create(
            entitlement=entitlement,
            person=case.person,
            region_path=case.region_path,
            care_form="institution",
            provider=Institution.objects.get(organisation__code="SZ-CARE-KN"),
            effective_from=start,
        )
    return entitlement


def active(p: Personas, in_scope: bool) -> int:
    return _entitlement(p, in_scope).pk


def suspended(p: Personas, in_scope: bool) -> int:
    return _entitlement(p, in_scope, EntitlementStatus.SUSPENDED).pk


def decision(p: Personas, in_scope: bool) -> int:
    from jingban.documents import services as documents
    from jingban.documents.models import DocumentKind

    entitlement = _entitlement(p, in_scope)
    case = entitlement.case
    issued = documents.issue_document(
        DocumentKind.LTC_DECISION,
        object_type="ltc.case",
        object_id=case.pk,
        region_path=case.region_path,
        acting_user=None,
    )
    return Decision.objects.create(
        case=case,
        person=case.person,
        region_path=case.region_path,
        decided_on=today(),
        level=3,
        covered=True,
        severity="severe",
        start_on=entitlement.start_on,
        end_on=entitlement.end_on,
        object_within=5,
        entitlement=entitlement,
        document=issued.document,
        delivery="post",
        delivered_on=today(),
    ).pk


_CHANGE = {"reason": "request", "effective_on": "2026-12-01", "note": "matrix"}

PAGES: dict[str, Route] = {
    "ltc:notice_list": Route(OPERATORS),
    "ltc:notice_export_csv": Route(OPERATORS),
    "ltc:notice_export_xlsx": Route(OPERATORS),
    "ltc:notice_detail": Route(OPERATORS, notice),
    # Without a reason: refused by the form (400) once access is granted.
    "ltc:notice_objection": Route(
        OPERATORS, notice, method="post", data={"objector": "family", "reason": ""}, ok=400
    ),
    "ltc:notice_post": Route(OPERATORS, concluded, method="post", ok=302, confirm=True),
    "ltc:reassessment_draw": Route(OPERATORS, objected, method="post", ok=302, confirm=True),
    "ltc:decision_list": Route(OPERATORS),
    "ltc:decision_export_csv": Route(OPERATORS),
    "ltc:decision_export_xlsx": Route(OPERATORS),
    "ltc:decision_issue": Route(OPERATORS, concluded, method="post", ok=400, confirm=True),
    "ltc:decision_detail": Route(VIEWERS, decision),
    "ltc:decision_letter": Route(VIEWERS, decision),
    "ltc:entitlement_list": Route(VIEWERS),
    "ltc:entitlement_export_csv": Route(EXPORTERS),
    "ltc:entitlement_export_xlsx": Route(EXPORTERS),
    "ltc:entitlement_detail": Route(VIEWERS, active),
    "ltc:entitlement_suspend": Route(
        OPERATORS,
        active,
        method="post",
        data={**_CHANGE, "reason": "hospital"},
        ok=302,
        confirm=True,
    ),
    "ltc:entitlement_resume": Route(
        OPERATORS, suspended, method="post", data=_CHANGE, ok=302, confirm=True
    ),
    "ltc:entitlement_stop": Route(
        OPERATORS, active, method="post", data={**_CHANGE, "reason": "moved"}, ok=302, confirm=True
    ),
    "ltc:entitlement_reassess": Route(OPERATORS, active, method="post", ok=400, confirm=True),
    "ltc:status_report": Route(REPORTERS, active, method="post", ok=400, confirm=True),
}
PUBLIC = {"ltc:public_notices", "ltc:public_objection"}
