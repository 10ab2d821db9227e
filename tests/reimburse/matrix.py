"""Reimbursement's routes in the authorization matrix. An application of a Suzhou person (not
chen) is in the staff's scope; one of a Nanjing person is not. chen's own application is hers;
another person's is 404 to her (she holds the capability, but not that application). The rows
are written directly (the services are tested in test_services), each person enrolled this year
so that an approval settles."""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from jingban.core.calendar import add_working_days
from jingban.core.calendar import today as local_today
from jingban.core.models import Organisation, Scheme
from jingban.registry.models import Enrollment, Person
from jingban.reimburse.models import BillLine, Invoice, Reimbursement, Status
from tests.authz import Route
from tests.personas import Personas

VIEWERS = {"admin", "wang", "sun", "zhao", "qian"}
OPERATORS = {"admin", "wang"}
REVIEWERS = {"admin", "sun"}
INSURED = {"chen"}
_numbers = itertools.count(1)


def _catalogue_code() -> str:
    from tests.reimburse.helpers import class_a_code

    return class_a_code()


def _enrolled(who: Person) -> None:
    year = local_today().year
    Enrollment.objects.update_or_create(
        person=who,
        scheme=Scheme.objects.get(code="resident_medical"),
        year=year,
        defaults={
            "status": "active",
            "since": dt.date(year, 1, 1),
            "benefits_from": dt.date(year, 1, 1),
        },
    )


def _make(p: Personas, who: Person, status: str = Status.SUBMITTED) -> int:
    _enrolled(who)
    today = local_today()
    day = today - dt.timedelta(days=10)
    item = Reimbursement.objects.create(
        person=who,
        institution=Organisation.objects.get(code="SZ-HOSP-1"),
        visit_kind="outpatient",
        cause="illness",
        admitted_on=day,
        total=20000,
        bank_name="中国工商银行",
        account_holder=who.name,
        account_number="6222020200112345678",
        channel="window",
        applied_by=p.user("admin"),
        status=status,
        received_on=today,
        deadline=add_working_days(today, 20) if status != Status.MORE_MATERIALS else None,
        days_left=15 if status == Status.MORE_MATERIALS else None,
        requested_items=["invoices"] if status == Status.MORE_MATERIALS else [],
        region_path=who.region.path,
        pack="suzhou-reimbursement-2026@1",
    )
    Invoice.objects.create(
        reimbursement=item,
        code="032001900104",
        number=f"M{next(_numbers):07d}",
        amount=20000,
        issued_on=day,
    )
    BillLine.objects.create(
        reimbursement=item,
        code=_catalogue_code(),
        name="阿莫西林胶囊",
        quantity=Decimal(4),
        price=5000,
        amount=20000,
    )
    return item.pk


def _staff_person(p: Personas, in_scope: bool) -> Person:
    return p.in_scope_person if in_scope else p.out_of_scope_person


def submitted(p: Personas, in_scope: bool) -> int:
    return _make(p, _staff_person(p, in_scope))


def waiting(p: Personas, in_scope: bool) -> int:
    return _make(p, _staff_person(p, in_scope), Status.MORE_MATERIALS)


def approved(p: Personas, in_scope: bool) -> int:
    return _make(p, _staff_person(p, in_scope), Status.APPROVED)


def own(p: Personas, in_scope: bool) -> int:
    return _make(p, p.own_person if in_scope else p.out_of_scope_person)


def own_waiting(p: Personas, in_scope: bool) -> int:
    return _make(p, p.own_person if in_scope else p.out_of_scope_person, Status.MORE_MATERIALS)


def _with_decision(p: Personas, pk: int) -> int:
    from jingban.documents.models import DocumentKind
    from jingban.documents.services import issue_document

    item = Reimbursement.objects.get(pk=pk)
    item.status = Status.REJECTED
    item.reject_reason = "matrix"
    item.document = issue_document(
        DocumentKind.REIMBURSEMENT_DECISION,
        object_type="reimburse.reimbursement",
        object_id=pk,
        region_path=item.region_path,
        acting_user=p.user("admin"),
    ).document
    item.save()
    return pk


def decided(p: Personas, in_scope: bool) -> int:
    return _with_decision(p, _make(p, _staff_person(p, in_scope)))


def own_decided(p: Personas, in_scope: bool) -> int:
    return _with_decision(p, _make(p, p.own_person if in_scope else p.out_of_scope_person))


def _api_new(p: Personas) -> dict[str, object]:
    who = p.in_scope_person
    _enrolled(who)
    day = (local_today() - dt.timedelta(days=10)).isoformat()
    return {
        "person_id": who.pk,
        "institution_code": "SZ-HOSP-1",
        "visit_kind": "outpatient",
        "cause": "illness",
        "admitted_on": day,
        "bank_name": "中国工商银行",
        "account_holder": who.name,
        "account_number": "6222020200112345678",
        "invoices": [
            {
                "code": "032001900104",
                "number": f"A{next(_numbers):07d}",
                "amount": 20000,
                "issued_on": day,
            }
        ],
        "lines": [
            {
                "code": _catalogue_code(),
                "name": "阿莫西林胶囊",
                "quantity": "4",
                "price": 5000,
                "amount": 20000,
            }
        ],
        "paper_checked": ["id_card", "invoices", "itemised_bill", "diagnosis"],
    }


_MORE = {"reason": "matrix", "items": ["invoices"]}

PAGES: dict[str, Route] = {
    "reimburse:list": Route(VIEWERS),
    "reimburse:detail": Route(VIEWERS, submitted),
    "reimburse:request_more": Route(REVIEWERS, submitted, method="post", data=_MORE, ok=302),
    "reimburse:approve": Route(REVIEWERS, submitted, method="post", ok=302),
    "reimburse:reject": Route(
        REVIEWERS, submitted, method="post", data={"reason": "matrix"}, ok=302
    ),
    "reimburse:pay": Route(OPERATORS, approved, method="post", ok=302),
    "reimburse:decision": Route(VIEWERS, decided),
    "reimburse:my_decision": Route(INSURED, own_decided),
    "reimburse:my_list": Route(INSURED),
    # An empty form is refused (400) for the insured; the page shows it with the errors.
    "reimburse:my_new": Route(INSURED),
    "reimburse:my_detail": Route(INSURED, own),
    "reimburse:resubmit": Route(INSURED, own_waiting, method="post", ok=302),
}

API: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/reimbursements"): Route(VIEWERS | INSURED),
    ("POST", "/api/v1/reimbursements"): Route(
        OPERATORS, data=_api_new, ok=201, denied_as={"chen": 404}
    ),
    ("GET", "/api/v1/reimbursements/{pk}"): Route(VIEWERS, submitted, denied_as={"chen": 404}),
    ("GET", "/api/v1/reimbursements/{pk}/materials"): Route(
        VIEWERS, submitted, denied_as={"chen": 404}
    ),
    ("POST", "/api/v1/reimbursements/{pk}/request-more"): Route(REVIEWERS, submitted, data=_MORE),
    ("POST", "/api/v1/reimbursements/{pk}/resubmit"): Route(
        OPERATORS, waiting, data={"items": ["invoices"]}
    ),
    ("POST", "/api/v1/reimbursements/{pk}/approve"): Route(REVIEWERS, submitted),
    ("POST", "/api/v1/reimbursements/{pk}/reject"): Route(
        REVIEWERS, submitted, data={"reason": "matrix"}
    ),
    ("POST", "/api/v1/reimbursements/{pk}/pay"): Route(OPERATORS, approved, data={}),
    ("POST", "/api/v1/reimbursements/{pk}/withdraw"): Route(
        OPERATORS, submitted, denied_as={"chen": 404}
    ),
}
