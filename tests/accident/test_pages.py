"""The accident pages, in Chinese: wang imports a community's list (a bad file shows each row's
problem and stores nothing; a good one shows the group's payment in yuan); chen reports an
accident online with a file and sees it waiting; sun reviews it with the figure and its
explanation and pays it after confirming; staff lists mask ID numbers."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jingban.accident.models import Claim, ClaimStatus, Enrollment, Payment
from jingban.core.calendar import today as local_today
from tests.accident import helpers
from tests.personas import Personas

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _import(client, rows: list[str]):
    content = "\n".join(["身份证号码,姓名,联系电话", *rows]).encode()
    return client.post(
        reverse("accident:import"),
        {
            "organisation": "狮山街道测试社区居委会",
            "region": helpers.COMMUNITY,
            "payer": "community",
            "file": SimpleUploadedFile("名单.csv", content, "text/csv"),
            "confirm": "on",
        },
    )


def test_wang_imports_a_list_bad_rows_named_then_a_good_one(personas: Personas) -> None:
    client = personas.client("wang")
    form = client.get(reverse("accident:import")).content.decode()
    assert "导入团体名单" in form and "整体退回" in form
    old = [helpers.new_person(dt.date(1948, 2, 2)) for _ in range(2)]
    young = helpers.new_person(dt.date(1980, 2, 2))
    before = (Payment.objects.count(), Enrollment.objects.count())
    bad = _import(client, [f"{p.document_number},{p.name}," for p in [*old, young]])
    page = bad.content.decode()
    assert bad.status_code == 400
    assert "文件中的问题" in page and "<td>4</td>" in page and "60 周岁及以上" in page
    assert (Payment.objects.count(), Enrollment.objects.count()) == before
    good = _import(client, [f"{p.document_number},{p.name}," for p in old])
    assert good.status_code == 302
    payment = Payment.objects.latest("pk")
    shown = client.get(good["Location"]).content.decode()
    assert payment.count == 2 and "¥60.00" in shown and "社区（村居）集体缴纳" in shown


def test_chen_reports_online_and_sun_pays_after_confirming(personas: Personas) -> None:
    chen = personas.client("chen")
    mine = chen.get(reverse("accident:my")).content.decode()
    assert "我的意外险" in mine and "¥2,970.00" in mine  # the demo's paid claim
    response = chen.post(
        reverse("accident:my_claim_new"),
        {
            "person": str(personas.own_person.pk),
            "accident_date": (local_today() - dt.timedelta(days=1)).isoformat(),
            "description": "散步时扭伤脚踝",
            "medical_expenses": "600",
            "hospital_days": "0",
            "outcome": "none",
            "materials": SimpleUploadedFile("发票.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    claim = Claim.objects.latest("pk")
    assert claim.materials.count() == 1 and claim.medical_expenses == 60_000
    assert "待审核" in chen.get(response["Location"]).content.decode()
    sun = personas.client("sun")
    detail = sun.get(reverse("accident:claim_detail", args=[claim.pk])).content.decode()
    # 600 yuan: 100 deductible, 90 % of 500 = 450 yuan.
    assert "¥450.00" in detail and "扣除免赔额" in detail
    unconfirmed = sun.post(reverse("accident:claim_pay", args=[claim.pk]), {})
    assert unconfirmed.status_code == 400
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.REPORTED
    paid = sun.post(reverse("accident:claim_pay", args=[claim.pk]), {"pay-confirm": "on"})
    assert paid.status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.amount) == (ClaimStatus.PAID, 45_000)
    assert "赔付金额计算说明" in sun.get(paid["Location"]).content.decode()


def test_a_window_claim_outside_cover_is_refused_on_the_form(personas: Personas) -> None:
    person = helpers.new_person()
    helpers.cover(person, start=local_today() - dt.timedelta(days=2))
    before = Claim.objects.count()
    response = personas.client("wang").post(
        reverse("accident:claim_new"),
        {
            "document_number": person.document_number,
            "accident_date": (local_today() - dt.timedelta(days=5)).isoformat(),
            "description": "摔倒",
            "medical_expenses": "300",
            "outcome": "none",
        },
    )
    assert response.status_code == 400
    assert "事故不在保障期间内" in response.content.decode()
    assert Claim.objects.count() == before


def test_staff_lists_mask_id_numbers(personas: Personas) -> None:
    chen = personas.own_person
    page = personas.client("wang").get(reverse("accident:enrollment_list")).content.decode()
    assert chen.name in page and chen.document_number not in page
    claims = personas.client("zhao").get(reverse("accident:claim_list")).content.decode()
    assert chen.name in claims and chen.document_number not in claims
