"""Contribution payments: the tax and bank files with reconciliation (matched, amount differs,
unmatched, duplicates), a malformed file refused whole, a window payment; and bulk enrollment
from a spreadsheet, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from jingban.core.errors import Forbidden, ValidationFailed
from jingban.core.models import ActionLog
from jingban.enrollment import bulk, payments, services
from jingban.enrollment.models import ContributionPayment, PaymentImport
from jingban.enrollment.services import EnrollInput
from jingban.enrollment.tables import ImportRefused
from jingban.registry.models import Enrollment, Person
from jingban.registry.services import add_membership
from tests.enrollment.helpers import csv_bytes, new_person, xlsx
from tests.personas import Personas

HEADER = ["证件号码", "姓名", "险种", "缴费年度", "金额", "缴费时间", "渠道", "完税凭证号"]
RESIDENT = "resident_medical"


def enrolled(p: Personas, name: str = "缴费人", tier: str = "tier_1") -> Person:
    person = new_person(p, name=name)
    services.enroll(
        person,
        EnrollInput(RESIDENT, 2025, dt.date(2025, 1, 1), tier, dt.date(2024, 10, 1)),
        acting_user=p.user("wang"),
    )
    return person


def row(person: Person, money: str, number: str, **more: str) -> list[str]:
    cells = {
        "document": person.document_number,
        "name": person.name,
        "scheme": "城乡居民基本医疗保险",
        "year": "2025",
        "amount": money,
        "paid_at": "2024-10-12 09:30:00",
        "channel": "税务",
        "voucher": number,
    }
    cells.update(more)
    return list(cells.values())


def test_a_tax_file_is_reconciled_row_by_row(personas: Personas) -> None:
    wang = personas.user("wang")
    payer = enrolled(personas, "张缴费")
    short = enrolled(personas, "李少缴")
    poor = enrolled(personas, "王低保")
    add_membership(
        poor, group_code="dibao", valid_from=dt.date(2024, 1, 1), valid_to=None, acting_user=None
    )
    not_enrolled = new_person(personas, name="赵未参")
    stranger = new_person(personas, name="南京人", region=personas.out_of_scope_person.region.code)
    services.enroll(
        stranger,
        EnrollInput(RESIDENT, 2025, dt.date(2025, 1, 1), "tier_1", dt.date(2024, 10, 1)),
        acting_user=personas.user("admin"),
    )
    before = ContributionPayment.objects.count()
    rows = [
        HEADER,
        row(payer, "400", "V001"),
        row(short, "300.50", "V002"),
        row(poor, "400", "V003"),  # a 低保 member owes nothing in tier 1
        row(not_enrolled, "400", "V004"),
        row(payer, "400", "V005", name="张冒名"),
        row(stranger, "400", "V006"),  # outside wang's region: not found for wang
        row(payer, "400", "V001"),  # the same voucher again in the file
        row(payer, "400", "V007", year="2024"),  # no enrollment that year
    ]
    batch = payments.import_payments(
        csv_bytes(rows), "tax-2025.csv", channel="tax", acting_user=wang
    )
    assert (batch.rows, batch.matched, batch.amount_differs, batch.unmatched, batch.duplicates) == (
        8,
        1,
        2,
        4,
        1,
    )
    statuses = [(r["row"], r["status"]) for r in batch.report]
    assert statuses == [
        (2, "matched"),
        (3, "amount_differs"),
        (4, "amount_differs"),
        (5, "unmatched"),
        (6, "unmatched"),
        (7, "unmatched"),
        (8, "duplicate"),
        (9, "unmatched"),
    ]
    assert batch.report[1]["expected"] == 40_000 and batch.report[1]["amount"] == 30_050
    assert batch.report[2]["expected"] == 0
    assert "*" in str(batch.report[0]["document"]) and payer.document_number not in str(
        batch.report
    )
    stored = ContributionPayment.objects.filter(source=batch).order_by("voucher")
    assert [(p.person_id, p.amount, p.reconciliation) for p in stored] == [
        (payer.pk, 40_000, "matched"),
        (short.pk, 30_050, "amount_differs"),
        (poor.pk, 40_000, "amount_differs"),
    ]
    assert ContributionPayment.objects.count() == before + 3
    log = ActionLog.objects.filter(action="enrollment.payment.imported").latest("id")
    assert log.after["rows"] == 3
    # The same file again: every stored voucher is now a duplicate, nothing more is stored.
    again = payments.import_payments(
        csv_bytes(rows), "tax-2025.csv", channel="tax", acting_user=wang
    )
    assert (again.duplicates, again.unmatched, again.matched) == (4, 4, 0)
    assert ContributionPayment.objects.count() == before + 3


def test_an_excel_bank_file(personas: Personas) -> None:
    payer = enrolled(personas, "钱银行", tier="tier_2")
    rows: list[list[object]] = [
        [
            "document number",
            "name",
            "scheme",
            "contribution year",
            "amount",
            "paid at",
            "channel",
            "tax voucher number",
        ],
        [payer.document_number, payer.name, RESIDENT, 2025, 775, "2024-11-02 14:00", "", "B-1"],
    ]
    batch = payments.import_payments(
        xlsx(rows), "bank.xlsx", channel="bank", acting_user=personas.user("wang")
    )
    assert batch.matched == 1
    payment = ContributionPayment.objects.get(voucher="B-1")
    assert (payment.amount, payment.expected, payment.channel) == (77_500, 77_500, "bank")
    assert payment.paid_at == dt.datetime(2024, 11, 2, 6, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        ({"amount": "abc"}, "金额", "abc"),
        ({"amount": "-400"}, "金额", "-400"),
        ({"amount": "0"}, "金额", "零"),
        ({"amount": "400.123"}, "金额", "400.123"),
        ({"paid_at": "2024-13-45"}, "缴费时间", "2024-13-45"),
        ({"year": "二〇二五"}, "缴费年度", "二〇二五"),
        ({"scheme": "no scheme"}, "险种", "no scheme"),
        ({"voucher": ""}, "完税凭证号", ""),
        ({"channel": "pigeon"}, "渠道", "pigeon"),
    ],
)
def test_a_malformed_row_refuses_the_whole_file(
    personas: Personas, cells: dict[str, str], column: str, says: str
) -> None:
    payer = enrolled(personas)
    rows = [HEADER, row(payer, "400", "OK-1"), row(payer, "400", "BAD-1", **cells)]
    before = (ContributionPayment.objects.count(), PaymentImport.objects.count())
    with pytest.raises(ImportRefused) as caught:
        payments.import_payments(
            csv_bytes(rows), "t.csv", channel="tax", acting_user=personas.user("wang")
        )
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (3, column)
    assert says in str(problem) or says == ""
    assert (ContributionPayment.objects.count(), PaymentImport.objects.count()) == before


def test_a_file_without_a_column_or_of_another_kind(personas: Personas) -> None:
    wang = personas.user("wang")
    with pytest.raises(ImportRefused) as caught:
        payments.import_payments(csv_bytes([HEADER[:-1]]), "t.csv", channel="tax", acting_user=wang)
    assert "完税凭证号" in str(caught.value.problems[0])
    with pytest.raises(ImportRefused):
        payments.import_payments(b"%PDF-1.4", "t.pdf", channel="tax", acting_user=wang)
    with pytest.raises(ImportRefused):
        payments.import_payments(b"not a workbook", "t.xlsx", channel="tax", acting_user=wang)


def test_a_window_payment(personas: Personas) -> None:
    wang = personas.user("wang")
    payer = enrolled(personas)
    payment = payments.record_window_payment(
        payer, scheme_code=RESIDENT, year=2025, amount=40_000, acting_user=wang
    )
    assert (payment.channel, payment.expected, payment.reconciliation) == (
        "window",
        40_000,
        "matched",
    )
    assert payment.voucher.startswith("CK")
    with pytest.raises(ValidationFailed) as caught:
        payments.record_window_payment(
            payer,
            scheme_code=RESIDENT,
            year=2025,
            amount=100,
            voucher=payment.voucher,
            acting_user=wang,
        )
    assert "voucher" in caught.value.fields
    with pytest.raises(ValidationFailed) as caught:
        payments.record_window_payment(
            payer, scheme_code=RESIDENT, year=2024, amount=-5, acting_user=wang
        )
    assert set(caught.value.fields) == {"amount", "year"}
    with pytest.raises(Forbidden):
        payments.record_window_payment(
            payer, scheme_code=RESIDENT, year=2025, amount=1, acting_user=personas.user("sun")
        )
    assert ContributionPayment.objects.filter(person=payer).count() == 1


# --- Bulk enrollment ----------------------------------------------------------------------------

ENROLL_HEADER = ["证件号码", "姓名", "险种", "年度", "档次", "生效日期", "参保日期", "原因"]


def test_bulk_enrollment_from_excel(personas: Personas) -> None:
    a, b = new_person(personas, name="甲"), new_person(personas, name="乙")
    rows: list[list[object]] = [
        ENROLL_HEADER,
        [
            a.document_number,
            "甲",
            "resident_medical",
            2025,
            "tier_1",
            "2025-01-01",
            "2024-10-01",
            "集中登记",
        ],
        [
            b.document_number,
            "乙",
            "城乡居民基本医疗保险",
            2025,
            "tier_2",
            "2025/3/1",
            "2025/3/1",
            "",
        ],
    ]
    assert bulk.import_enrollments(xlsx(rows), "e.xlsx", acting_user=personas.user("wang")) == 2
    first = Enrollment.objects.get(person=a, year=2025)
    second = Enrollment.objects.get(person=b, year=2025)
    assert (first.tier, first.benefits_from, first.reason) == ("tier_1", None, "集中登记")
    assert (second.tier, second.benefits_from) == ("tier_2", dt.date(2025, 6, 1))
    assert ActionLog.objects.filter(action="enrollment.enrollment.imported").exists()


def test_one_bad_row_and_nothing_is_enrolled(personas: Personas) -> None:
    a, b = new_person(personas, name="丙"), new_person(personas, name="丁")
    rows: list[list[object]] = [
        ENROLL_HEADER,
        [a.document_number, "丙", "resident_medical", 2025, "tier_1", "2025-01-01", "", ""],
        [b.document_number, "丁", "resident_medical", 2025, "tier_7", "2025-01-01", "", ""],
        [b.document_number, "错名", "resident_medical", 2025, "tier_1", "someday", "", ""],
        ["320505190001010000", "无人", "resident_medical", 2025, "tier_1", "2025-01-01", "", ""],
    ]
    with pytest.raises(ImportRefused) as caught:
        bulk.import_enrollments(xlsx(rows), "e.xlsx", acting_user=personas.user("wang"))
    found = sorted((p.row, p.column) for p in caught.value.problems)
    assert found == [(3, "档次"), (4, "姓名"), (4, "生效日期"), (5, "证件号码")]
    assert not Enrollment.objects.filter(person__in=[a, b]).exists()
