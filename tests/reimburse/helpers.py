"""Shared helpers of the reimbursement tests: a valid application of the demo's persons at the
demo hospital, with the catalogue items in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q

from jingban.core.calendar import today as local_today
from jingban.core.models import Organisation, User
from jingban.registry.models import Person
from jingban.reimburse import services
from jingban.reimburse.models import Reimbursement

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"
ACCOUNT = "6222020200112345678"


def pdf(name: str = "票据.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def person(name: str) -> Person:
    return Person.objects.select_related("region").get(name=name)


def hospital() -> Organisation:
    return Organisation.objects.select_related("region").get(code="SZ-HOSP-1")


def today() -> dt.date:
    return local_today()


def class_a_code() -> str:
    from jingban.catalogue.models import CatalogueItem, CatalogueVersion

    day = today()
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
    assert item is not None
    return item.code


def basic_materials(*extra: str) -> list[tuple[str, SimpleUploadedFile]]:
    keys = ["id_card", "invoices", "itemised_bill", "diagnosis", *extra]
    return [(key, pdf(f"{key}.pdf")) for key in keys]


def application(
    who: Person,
    *,
    invoice: str = "00000001",
    price: int = 5000,
    count: int = 4,
    days_ago: int = 10,
    **fields: object,
) -> services.ApplicationInput:
    day = today() - dt.timedelta(days=days_ago)
    amount = price * count
    data = services.ApplicationInput(
        person=who,
        institution=hospital(),
        visit_kind="outpatient",
        cause="illness",
        admitted_on=day,
        discharged_on=None,
        bank_name="中国工商银行",
        account_holder=who.name,
        account_number=ACCOUNT,
        invoices=[services.InvoiceInput("032001900104", invoice, amount, day)],
        lines=[services.LineInput(class_a_code(), "阿莫西林胶囊", Decimal(count), price, amount)],
        materials=basic_materials(),
    )
    for name, value in fields.items():
        setattr(data, name, value)
    return data


def apply(who: Person, user: User, **fields: object) -> Reimbursement:
    return services.apply(application(who, **fields), acting_user=user)
