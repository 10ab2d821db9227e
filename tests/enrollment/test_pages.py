"""The enrollment pages and API: an operator enrolls and records a window payment; the insured
person and her agent read the payment history; a bad upload shows its rows, stores nothing."""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jingban.core.models import ActionLog
from jingban.enrollment.models import ContributionPayment
from jingban.registry.models import Enrollment
from tests.enrollment.helpers import csv_bytes, new_person
from tests.personas import Personas


def test_wang_enrolls_a_person_and_records_a_window_payment(personas: Personas) -> None:
    person = new_person(personas, name="窗口参保")
    wang = personas.client("wang")
    page = wang.get(reverse("enrollment:person", args=[person.pk]))
    assert page.status_code == 200 and "登记窗口缴费" in page.content.decode()
    response = wang.post(
        reverse("enrollment:enroll", args=[person.pk]),
        {
            "enroll-scheme": "resident_medical",
            "enroll-year": "2025",
            "enroll-tier": "tier_2",
            "enroll-effective": "2025-04-01",
            "enroll-enrolled_on": "2025-04-01",
            "enroll-reason": "窗口登记",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "2025-07-01" in text  # the waiting period's first day of benefits, told on the page
    enrollment = Enrollment.objects.get(person=person, year=2025)
    assert (enrollment.tier, enrollment.benefits_from) == ("tier_2", dt.date(2025, 7, 1))
    response = wang.post(
        reverse("enrollment:pay", args=[person.pk]),
        {"pay-scheme": "resident_medical", "pay-year": "2025", "pay-amount": "775.00"},
        follow=True,
    )
    assert "¥775.00" in response.content.decode()
    payment = ContributionPayment.objects.get(person=person)
    assert (payment.amount, payment.expected, payment.channel) == (77_500, 77_500, "window")


def test_a_bad_enrollment_on_the_page_is_shown_beside_the_field(personas: Personas) -> None:
    person = new_person(personas)
    response = personas.client("wang").post(
        reverse("enrollment:enroll", args=[person.pk]),
        {
            "enroll-scheme": "resident_medical",
            "enroll-year": "2025",
            "enroll-tier": "tier_1",
            "enroll-effective": "2026-01-01",
        },
    )
    assert response.status_code == 400
    assert "生效日期必须在参保年度内" in response.content.decode()
    assert not Enrollment.objects.filter(person=person).exists()


def test_a_tax_file_with_a_malformed_row_is_refused_on_the_page(personas: Personas) -> None:
    header = ["证件号码", "姓名", "险种", "缴费年度", "金额", "缴费时间", "渠道", "完税凭证号"]
    bad = ["320505198001010011", "某人", "resident_medical", "2025", "四百", "2024-10-01", "", "X1"]
    upload = SimpleUploadedFile("tax.csv", csv_bytes([header, bad]), content_type="text/csv")
    before = ContributionPayment.objects.count()
    response = personas.client("wang").post(
        reverse("enrollment:import_payments"), {"file": upload, "channel": "tax"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "第 2 行" in text and "金额" in text and "四百" in text
    assert ContributionPayment.objects.count() == before


def test_chen_reads_her_payment_history_and_her_neighbours(personas: Personas) -> None:
    chen = personas.client("chen")
    text = chen.get(reverse("enrollment:mine")).content.decode()
    assert "我的缴费" in text and "¥400.00" in text and "¥420.00" in text
    assert "陆美芳" in text
    neighbour = Enrollment.objects.filter(person__name="陆美芳").first()
    assert neighbour is not None
    page = chen.get(reverse("enrollment:acting", args=[neighbour.person_id]))
    assert page.status_code == 200 and "陆美芳" in page.content.decode()
    assert ActionLog.objects.filter(
        action="enrollment.payment.viewed", object_id=str(neighbour.person_id)
    ).exists()
    # Anyone else's history is not hers to see.
    assert (
        chen.get(reverse("enrollment:acting", args=[personas.in_scope_person.pk])).status_code
        == 404
    )


def test_the_api_gives_the_own_history_and_enrolls(personas: Personas) -> None:
    mine = personas.client("chen").get("/api/v1/enrollment/mine").json()
    years = sorted(p["year"] for p in mine["payments"] if p["scheme"] == "resident_medical")
    assert years[-2:] == [dt.date.today().year - 1, dt.date.today().year] or years == [2025, 2026]
    person = new_person(personas)
    wang = personas.client("wang")
    created = wang.post(
        f"/api/v1/enrollment/persons/{person.pk}/enrollments",
        {
            "scheme": "resident_medical",
            "year": 2025,
            "effective": "2025-01-01",
            "tier": "tier_1",
            "enrolled_on": "2024-11-01",
        },
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["benefits_from"] is None
    again = wang.post(
        f"/api/v1/enrollment/persons/{person.pk}/enrollments",
        {"scheme": "resident_medical", "year": 2025, "effective": "2025-01-01", "tier": "tier_1"},
        content_type="application/json",
    )
    assert again.status_code == 409 and again.json()["fields"]["year"]
    pk = created.json()["id"]
    suspended = wang.post(
        f"/api/v1/enrollment/enrollments/{pk}/suspend",
        {"effective": "2025-02-01", "reason": "外出务工"},
        content_type="application/json",
    )
    assert suspended.status_code == 200
    assert (suspended.json()["status"], suspended.json()["status_from"]) == (
        "suspended",
        "2025-02-01",
    )
    ended = wang.post(
        f"/api/v1/enrollment/enrollments/{pk}/end",
        {"effective": "2025-03-01", "reason": "迁出本市"},
        content_type="application/json",
    )
    assert ended.json()["status"] == "ended" and ended.json()["status_from"] == "2025-03-01"
    for action in ("suspend", "end"):  # an ended enrollment moves no further
        refused = wang.post(
            f"/api/v1/enrollment/enrollments/{pk}/{action}",
            {"effective": "2025-04-01", "reason": "再次"},
            content_type="application/json",
        )
        assert refused.status_code == 409, action


def test_staff_see_the_payments_that_differ_from_what_is_due(personas: Personas) -> None:
    person = new_person(personas, name="少缴费人")
    wang = personas.client("wang")
    wang.post(
        reverse("enrollment:enroll", args=[person.pk]),
        {
            "enroll-scheme": "resident_medical",
            "enroll-year": "2025",
            "enroll-tier": "tier_1",
            "enroll-effective": "2025-01-01",
            "enroll-enrolled_on": "2024-10-01",
        },
    )
    wang.post(
        reverse("enrollment:pay", args=[person.pk]),
        {"pay-scheme": "resident_medical", "pay-year": "2025", "pay-amount": "350"},
    )
    text = wang.get(reverse("enrollment:differences")).content.decode()
    assert "少缴费人" in text and "¥350.00" in text and "¥400.00" in text
    # The reviewer sees them too; the insured person may not.
    sun = personas.client("sun").get(reverse("enrollment:differences"))
    assert "少缴费人" in sun.content.decode()
    assert personas.client("chen").get(reverse("enrollment:differences")).status_code == 403
