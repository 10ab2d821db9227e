"""The reimbursement pages in Chinese: chen applies online for her neighbour with uploads, sun
asks for materials, chen hands them in, sun approves (the amounts shown), wang records the
payment, and chen sees the paid state; bad input shows the field's error and stores nothing;
the account is masked on every page."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jingban.reimburse.models import Reimbursement, Status
from tests.personas import Personas
from tests.reimburse.helpers import ACCOUNT, PDF, class_a_code, hospital, person, today

pytestmark = pytest.mark.django_db


def _scan(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, "application/pdf")


def _form(who_pk: int, number: str, **extra: object) -> dict[str, object]:
    day = today().replace(day=1) if today().day > 1 else today()
    data: dict[str, object] = {
        "person": str(who_pk),
        "hospital": str(hospital().pk),
        "visit_kind": "outpatient",
        "cause": "illness",
        "admitted_on": day.isoformat(),
        "invoice_code": "032001900104",
        "invoice_number": number,
        "invoice_amount": "120.00",
        "invoice_date": day.isoformat(),
        "line1_code": class_a_code(),
        "line1_name": "阿莫西林胶囊",
        "line1_quantity": "3",
        "line1_price": "40.00",
        "line1_amount": "120.00",
        "bank_name": "中国银行",
        "account_holder": "陆美芳",
        "account_number": ACCOUNT,
        "material_id_card": _scan("身份证.pdf"),
        "material_invoices": _scan("票据.pdf"),
        "material_itemised_bill": _scan("明细.pdf"),
    }
    data.update(extra)
    return data


def test_the_whole_path_through_the_pages(personas: Personas) -> None:
    neighbour = person("陆美芳")
    chen, sun, wang = personas.client("chen"), personas.client("sun"), personas.client("wang")
    page = chen.get(reverse("reimburse:my_new")).content.decode()
    assert "申请手工报销" in page and "居民身份证" in page and "陆美芳" in page
    # Without the diagnosis: refused, naming the material, nothing stored.
    before = Reimbursement.objects.count()
    response = chen.post(reverse("reimburse:my_new"), _form(neighbour.pk, "30000001"))
    assert response.status_code == 400
    assert "门诊病历或诊断证明" in response.content.decode()
    assert Reimbursement.objects.count() == before
    response = chen.post(
        reverse("reimburse:my_new"),
        _form(neighbour.pk, "30000001", material_diagnosis=_scan("病历.pdf")),
    )
    assert response.status_code == 302
    item = Reimbursement.objects.get(person=neighbour, invoices__number="30000001")
    assert item.channel == "agent" and item.total == 12000
    # sun sees it in the queue with the deadline, and asks for materials.
    queue = sun.get(reverse("reimburse:list")).content.decode()
    assert item.number in queue and "剩余工作日" in queue
    detail = sun.get(reverse("reimburse:detail", args=[item.pk])).content.decode()
    assert "6222 **** **** 5678" in detail and ACCOUNT not in detail
    sun.post(
        reverse("reimburse:request_more", args=[item.pk]),
        {"reason": "票据不清晰", "items": ["invoices"]},
    )
    item.refresh_from_db()
    assert item.status == Status.MORE_MATERIALS and item.deadline is None
    page = chen.get(reverse("reimburse:my_detail", args=[item.pk])).content.decode()
    assert "待补充材料" in page and "票据不清晰" in page
    chen.post(
        reverse("reimburse:resubmit", args=[item.pk]), {"material_invoices": _scan("票据2.pdf")}
    )
    item.refresh_from_db()
    assert item.status == Status.RESUBMITTED and item.deadline is not None
    sun.post(reverse("reimburse:approve", args=[item.pk]), {"confirm": "on"})
    item.refresh_from_db()
    assert item.status == Status.APPROVED
    detail = sun.get(reverse("reimburse:detail", args=[item.pk])).content.decode()
    assert f"{item.payable / 100:.2f}" in detail and "结算说明" in detail
    wang.post(reverse("reimburse:pay", args=[item.pk]), {"reference": "BANK-1", "confirm": "on"})
    item.refresh_from_db()
    assert item.status == Status.PAID
    page = chen.get(reverse("reimburse:my_detail", args=[item.pk])).content.decode()
    assert "已拨付" in page and "下载决定书" in page
    notices = chen.get(reverse("notices:inbox")).content.decode()
    assert item.number in notices


def test_other_insured_cannot_open_an_application(personas: Personas) -> None:
    item = Reimbursement.objects.exclude(person=personas.own_person).first()
    assert item is not None
    response = personas.client("sun").get(reverse("reimburse:my_detail", args=[item.pk]))
    assert response.status_code == 403
