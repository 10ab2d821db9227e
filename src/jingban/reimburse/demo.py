"""Reimbursement's part of the demo world: 陈秀英 (chen) has one reimbursement paid and one
waiting for the materials the reviewer asked for; her neighbour 陆美芳, for whom chen applies as
agent, has applications in every other state (submitted, resubmitted, approved waiting for
payment, rejected, withdrawn). Made through the services (wang at the window pays, sun
reviews). Idempotent: nothing is added when a reimbursement exists."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from jingban.core.calendar import today as local_today
from jingban.core.errors import DomainError
from jingban.core.models import Organisation, User
from jingban.registry.models import Person
from jingban.reimburse import services
from jingban.reimburse.models import Reimbursement

# A one-page PDF standing for a scanned invoice or certificate.
SCAN_PDF = (
    b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
)
DEMO_ACCOUNT = "6222020200112345678"


def _scan(key: str) -> tuple[str, SimpleUploadedFile]:
    return key, SimpleUploadedFile(f"{key}.pdf", SCAN_PDF, "application/pdf")


def catalogue_item(day: dt.date) -> tuple[str, str] | None:
    """A class A item of the catalogue in force (code, name), for the demo's bills."""
    from jingban.catalogue.models import CatalogueItem, CatalogueVersion

    version = (
        CatalogueVersion.objects.filter(effective_from__lte=day)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("-effective_from")
        .first()
    )
    item = (
        CatalogueItem.objects.filter(
            version=version, visit_types=[], category="A", price_limit__isnull=True
        )
        .order_by("code")
        .first()
    )
    return (item.code, item.name) if item is not None else None


def _input(
    who: Person,
    hospital: Organisation,
    code: str,
    name: str,
    number: int,
    price: int,
    days: int,
    *,
    stay: bool = False,
) -> services.ApplicationInput:
    today = local_today()
    day = today - dt.timedelta(days=days)
    count = 4
    proof = "discharge_summary" if stay else "diagnosis"
    return services.ApplicationInput(
        person=who,
        institution=hospital,
        visit_kind="inpatient" if stay else "outpatient",
        cause="illness",
        admitted_on=day,
        discharged_on=day + dt.timedelta(days=6) if stay else None,
        bank_name="中国工商银行苏州分行（示例）",
        account_holder=who.name,
        account_number=DEMO_ACCOUNT,
        invoices=[
            services.InvoiceInput("032001900104", f"{90000000 + number:08d}", price * count, day)
        ],
        lines=[services.LineInput(code, name, Decimal(count), price, price * count)],
        materials=[_scan(k) for k in ("id_card", "invoices", "itemised_bill", proof)],
    )


def build(admin: User, users: Mapping[str, User]) -> None:
    if Reimbursement.objects.exists():
        return
    chen_user, sun, wang = users.get("chen"), users.get("sun", admin), users.get("wang", admin)
    chen = Person.objects.select_related("region").filter(account=chen_user).first()
    neighbour = Person.objects.select_related("region").filter(name="陆美芳").first()
    hospital = Organisation.objects.select_related("region").filter(code="SZ-HOSP-1").first()
    found = catalogue_item(local_today())
    if chen_user is None or chen is None or hospital is None or found is None:
        return
    code, name = found

    def step(action: object) -> Reimbursement | None:
        try:
            return action()  # type: ignore[operator]
        except DomainError:
            return None

    def new(
        who: Person, number: int, price: int, days: int, *, stay: bool = False
    ) -> Reimbursement | None:
        data = _input(who, hospital, code, name, number, price, days, stay=stay)
        return step(lambda: services.apply(data, acting_user=chen_user))

    # chen: one paid, one waiting for materials.
    # A week's stay in hospital, settled by the inpatient rules: the fund pays its part.
    paid = new(chen, 1, 215000, 40, stay=True)
    if paid is not None and step(lambda: services.approve(paid, acting_user=sun)):
        step(lambda: services.pay(paid, "DEMO-PAY-0001", acting_user=wang))
    waiting = new(chen, 2, 4500, 12)
    if waiting is not None:
        step(
            lambda: services.request_more(
                waiting,
                "门诊病历字迹不清，请补交清晰的门诊病历或诊断证明",
                ["diagnosis"],
                acting_user=sun,
            )
        )
    if neighbour is None:
        return
    # The neighbour, chen acting for her: every other state.
    new(neighbour, 3, 3200, 5)  # submitted
    again = new(neighbour, 4, 2800, 20)
    if again is not None and step(
        lambda: services.request_more(
            again, "请补交费用明细清单", ["itemised_bill"], acting_user=sun
        )
    ):
        step(lambda: services.resubmit(again, [_scan("itemised_bill")], acting_user=chen_user))
    approved = new(neighbour, 5, 96000, 30, stay=True)
    if approved is not None:
        step(lambda: services.approve(approved, acting_user=sun))
    rejected = new(neighbour, 6, 1500, 25)
    if rejected is not None:
        step(
            lambda: services.reject(
                rejected, "所报费用已由商业保险全额赔付（示例）", acting_user=sun
            )
        )
    withdrawn = new(neighbour, 7, 1200, 8)
    if withdrawn is not None:
        step(lambda: services.withdraw(withdrawn, acting_user=chen_user))
