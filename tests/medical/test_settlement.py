"""The settlement service against PostgreSQL, with the other parts' contracts faked
(``fake_ports``): figures, what is stored, cancellation, reversal, reconciliation, refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jingban.core.errors import DomainError
from jingban.core.models import ActionLog, Organisation, Region, User
from jingban.demo.world import resident_id
from jingban.engine.codes import CrossRegion
from jingban.medical.models import (
    FeeDetail,
    FeeStatus,
    PersonYearTotals,
    Reconciliation,
    Settlement,
    SettlementStatus,
    Visit,
    VisitStatus,
)
from jingban.medical.services import (
    DischargeIn,
    ReconcileIn,
    SettleIn,
    VisitIn,
    cancel,
    discharge,
    person_year,
    preview,
    psn_no_of,
    reconcile,
    record_fee_lines,
    register_visit,
    reverse,
    settle,
    settlement_query,
)
from jingban.registry.models import Person
from tests.medical.conftest import at, line, outpatient, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(personas) -> Person:
    """A Suzhou person of its own, with no settlement yet."""
    return Person.objects.create(
        document_type="resident_id",
        document_number=resident_id("320505", dt.date(1960, 5, 6), 480, male=True),
        name="测试参保人",
        sex="M",
        birth_date=dt.date(1960, 5, 6),
        region=Region.objects.get(code="320505"),
    )


def counts() -> tuple[int, ...]:
    return (
        Visit.objects.count(),
        FeeDetail.objects.count(),
        Settlement.objects.count(),
        PersonYearTotals.objects.count(),
        ActionLog.objects.count(),
    )


def test_outpatient_settlement_fills_every_setlinfo_figure(fake_ports, renmin, hospital, person):
    lines = [
        line("1", "A001", 10000),  # 甲类 100.00
        line("2", "C001", 2000),  # 丙类 20.00: fully self-paid
        line("3", "X999", 1000),  # not in the catalogue: self-paid with a warning
        line("4", "L001", 1500, "2"),  # 30.00, half above the price limit
    ]
    mdtrt_id, request = outpatient(renmin, hospital, person, lines, number="MZ-1", msgid="M1")
    info = settle(renmin, hospital, request, msgid="M2")
    # Total 161.00; out of scope 20 + 10 + 15 = 45; in scope 116; deductible 50 (per year);
    # the fund pays 50% of 66.00 = 33.00.
    assert info.medfee_sumamt == 16000
    assert info.fulamt_ownpay_amt == 3000
    assert info.overlmt_selfpay == 1500
    assert info.preselfpay_amt == 0
    assert info.inscp_scp_amt == 11500
    assert info.act_pay_dedc == 5000
    assert info.hifp_pay == 3250
    assert info.pool_prop_selfpay == Decimal("0.5000")
    assert info.hifmi_pay == info.maf_pay == 0
    assert info.fund_pay_sumamt == 3250
    assert info.psn_part_amt == info.psn_cash_pay == 16000 - 3250
    assert info.medins_setl_id == "M2"
    assert info.setl_id.startswith("S")
    assert [(f.fund_pay_type, f.fund_payamt) for f in info.setldetail] == [("390100", 3250)]
    assert info.setldetail[0].crt_payb_lmt_amt == 15000  # outpatient pooling cap, before
    assert "不在目录内" in info.warnings
    assert info.packs[0].startswith("sample-resident-2026@1#")

    row = Settlement.objects.get(setl_id=info.setl_id)
    assert row.status == SettlementStatus.SETTLED
    assert row.packs[0]["ref"] == "sample-resident-2026@1"
    assert row.coverage["enrollment_id"] == 1
    assert row.cross_region_decision["rule"] == "local"
    assert row.lines.filter(layer="basic", code="fund").get().amount == 3250
    assert Visit.objects.get(mdtrt_id=mdtrt_id).status == VisitStatus.SETTLED
    assert set(
        FeeDetail.objects.filter(visit__mdtrt_id=mdtrt_id).values_list("status", flat=True)
    ) == {FeeStatus.SETTLED}
    totals = PersonYearTotals.objects.get(person=person, year=today().year)
    assert totals.counters["deductible:outpatient_general"] == 5000
    assert totals.counters["cap:outpatient_general"] == 3250
    assert (totals.medfee, totals.fund_paid_amount, totals.settlements) == (16000, 3250, 1)
    assert ActionLog.objects.filter(
        action="medical.settlement.settled", object_id=row.setl_id
    ).exists()


def test_the_second_visit_finds_the_deductible_met(fake_ports, renmin, hospital, person):
    _, first = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number="MZ-1")
    assert settle(renmin, hospital, first, msgid="a").hifp_pay == 2500
    _, second = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number="MZ-2")
    info = settle(renmin, hospital, second, msgid="b")
    assert (info.act_pay_dedc, info.hifp_pay) == (0, 5000)
    # The coverage check got the person's history (no earlier year).
    assert fake_ports.calls[-1][1][3] == {}


def test_the_annual_cap_holds_the_fund(fake_ports, renmin, hospital, person):
    paid = []
    for n in range(5):
        _, req = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number=f"N{n}")
        paid.append(settle(renmin, hospital, req, msgid=f"m{n}").hifp_pay)
    assert paid == [2500, 5000, 5000, 2500, 0]
    assert PersonYearTotals.objects.get(person=person).counters["cap:outpatient_general"] == 15000


def test_preview_has_no_side_effects(fake_ports, renmin, hospital, person):
    mdtrt_id, request = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number="P")
    before = counts()
    info = preview(renmin, hospital, request)
    assert (info.setl_id, info.hifp_pay, info.psn_cash_pay) == ("", 2500, 7500)
    assert counts() == before
    assert Visit.objects.get(mdtrt_id=mdtrt_id).status == VisitStatus.OPEN
    assert settle(renmin, hospital, request, msgid="s").hifp_pay == 2500


def test_inpatient_settlement_after_discharge(fake_ports, renmin, hospital, person):
    admitted = today() - dt.timedelta(days=5)
    visit = register_visit(
        renmin,
        hospital,
        VisitIn(
            psn_no=psn_no_of(person),
            insutype="390",
            med_type="21",
            begntime=at(admitted),
            ipt_otp_no="ZY-1",
        ),
    )
    psn = psn_no_of(person)
    record_fee_lines(
        renmin, hospital, mdtrt_id=visit.mdtrt_id, psn_no=psn, lines=[line("1", "A100", 2_000_000)]
    )
    request = SettleIn(psn_no=psn, mdtrt_id=visit.mdtrt_id, medfee_sumamt=2_000_000)
    with pytest.raises(DomainError) as refused:
        settle(renmin, hospital, request, msgid="x")
    assert refused.value.code == "medical.not_discharged"
    discharge(renmin, hospital, DischargeIn(visit.mdtrt_id, psn, at(today())))
    info = settle(renmin, hospital, request, msgid="y")
    # Level 3: deductible 800, 65% of 19,200 = 12,480.
    assert (info.act_pay_dedc, info.hifp_pay) == (80_000, 1_248_000)
    assert info.pool_prop_selfpay == Decimal("0.6500")
    assert info.psn_cash_pay == 752_000


def test_unfiled_treatment_elsewhere_pays_the_reduced_ratio(fake_ports, renmin, hospital, person):
    fake_ports.rule = CrossRegion.UNFILED
    lines = [line("1", "A001", 10000)]
    _, request = outpatient(renmin, hospital, person, lines, number="Y", insuplc="320102")
    info = settle(renmin, hospital, request, msgid="u")
    # 50% × 0.60 = 30% of (100 − 50).
    assert (info.hifp_pay, info.pool_prop_selfpay) == (1500, Decimal("0.3000"))
    assert Settlement.objects.get(setl_id=info.setl_id).cross_region == "unfiled"


def test_cancel_writes_a_reversal_and_restores_the_accumulators(
    fake_ports, renmin, hospital, person
):
    _, first = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number="C1")
    settle(renmin, hospital, first, msgid="c1")
    totals_before = PersonYearTotals.objects.get(person=person)
    _, second = outpatient(renmin, hospital, person, [line("1", "A001", 8000)], number="C2")
    original = settle(renmin, hospital, second, msgid="c2")
    reversal = cancel(
        renmin,
        hospital,
        setl_id=original.setl_id,
        mdtrt_id=second.mdtrt_id,
        psn_no=second.psn_no,
        msgid="c3",
    )
    assert reversal.status == "reversal"
    assert reversal.orig_setl_id == original.setl_id
    assert (reversal.medfee_sumamt, reversal.hifp_pay, reversal.psn_cash_pay) == (
        -8000,
        -4000,
        -4000,
    )
    assert [(f.fund_pay_type, f.fund_payamt) for f in reversal.setldetail] == [("390100", -4000)]
    assert Settlement.objects.get(setl_id=original.setl_id).status == SettlementStatus.CANCELLED
    after = PersonYearTotals.objects.get(person=person)
    assert after.counters == totals_before.counters
    assert (after.medfee, after.fund_paid_amount, after.settlements) == (
        totals_before.medfee,
        totals_before.fund_paid_amount,
        totals_before.settlements,
    )
    # The visit is open again and can be settled anew; cancelling twice is refused.
    assert settle(renmin, hospital, second, msgid="c4").hifp_pay == 4000
    with pytest.raises(DomainError) as twice:
        cancel(
            renmin,
            hospital,
            setl_id=original.setl_id,
            mdtrt_id=second.mdtrt_id,
            psn_no=second.psn_no,
            msgid="c5",
        )
    assert twice.value.code == "medical.already_cancelled"


def test_reverse_undoes_a_settlement_by_its_message(fake_ports, renmin, hospital, person):
    _, request = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number="R")
    info = settle(renmin, hospital, request, msgid="LOST-ANSWER")
    done = reverse(renmin, hospital, omsgid="LOST-ANSWER", oinfno="2207", msgid="R2")
    assert (done.kind, done.object_id) == ("settlement", info.setl_id)
    assert Settlement.objects.get(setl_id=info.setl_id).status == SettlementStatus.CANCELLED
    assert PersonYearTotals.objects.get(person=person).counters == {}
    with pytest.raises(DomainError) as unknown:
        reverse(renmin, hospital, omsgid="NEVER-SENT", oinfno="2207", msgid="R3")
    assert (unknown.value.code, list(unknown.value.fields)) == (
        "medical.reverse_not_found",
        ["omsgid"],
    )
    with pytest.raises(DomainError) as unsupported:
        reverse(renmin, hospital, omsgid="LOST-ANSWER", oinfno="2208", msgid="R4")
    assert unsupported.value.code == "medical.reverse_unsupported"


def test_reverse_undoes_a_registration_and_fee_lines(fake_ports, renmin, hospital, person):
    mdtrt_id, _ = outpatient(
        renmin, hospital, person, [line("1", "A001", 100)], number="RV", msgid="REG"
    )
    record_fee_lines(
        renmin,
        hospital,
        mdtrt_id=mdtrt_id,
        psn_no=psn_no_of(person),
        lines=[line("2", "A001", 200)],
        msgid="FEES",
    )
    assert reverse(renmin, hospital, omsgid="FEES", oinfno="2204", msgid="x").kind == "fee_lines"
    assert FeeDetail.objects.get(visit__mdtrt_id=mdtrt_id, feedetl_sn="2").status == "cancelled"
    assert FeeDetail.objects.get(visit__mdtrt_id=mdtrt_id, feedetl_sn="1").status == "active"
    assert reverse(renmin, hospital, omsgid="REG", oinfno="2201", msgid="y").kind == "visit"
    assert Visit.objects.get(mdtrt_id=mdtrt_id).status == VisitStatus.CANCELLED


def test_reconciliation_matching_and_not(fake_ports, renmin, hospital, person):
    _, first = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number="T1")
    one = settle(renmin, hospital, first, msgid="t1")
    _, second = outpatient(renmin, hospital, person, [line("1", "A001", 6000)], number="T2")
    two = settle(renmin, hospital, second, msgid="t2")
    cancel(
        renmin,
        hospital,
        setl_id=two.setl_id,
        mdtrt_id=second.mdtrt_id,
        psn_no=second.psn_no,
        msgid="t3",
    )
    # Only this test's settlements today at this hospital? The demo may have some: count them.
    from jingban.medical.services.querying import totals_for

    base = totals_for(hospital, today(), today(), insutype="390")
    assert base["medfee"] >= 10000

    def ask(medfee: int, fund: int, count: int) -> object:
        return reconcile(
            renmin,
            hospital,
            ReconcileIn(
                insutype="390",
                clr_type="",
                setl_optins="",
                stmt_begndate=today(),
                stmt_enddate=today(),
                medfee_sumamt=medfee,
                fund_pay_sumamt=fund,
                acct_pay=0,
                fixmedins_setl_cnt=count,
            ),
        )

    balanced = ask(base["medfee"], base["fund"], base["count"])
    assert balanced.stmt_rslt == "0"
    unbalanced = ask(base["medfee"] + 6000, base["fund"] + 3000, base["count"] + 1)
    assert unbalanced.stmt_rslt == "1"
    from jingban.engine.money import format_yuan

    assert unbalanced.stmt_rslt_dscr.startswith(
        f"医疗费总额：机构 {format_yuan(base['medfee'] + 6000)}，中心 {format_yuan(base['medfee'])}"
    )
    assert f"结算：机构 {base['count'] + 1}，中心 {base['count']}" in unbalanced.stmt_rslt_dscr
    assert Reconciliation.objects.filter(institution=hospital).count() >= 2
    assert one.hifp_pay == 2500


def test_queries_are_scoped_to_the_institution(fake_ports, renmin, hospital, person, personas):
    _, request = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number="Q")
    info = settle(renmin, hospital, request, msgid="q")
    assert settlement_query(renmin, hospital, setl_id=info.setl_id).hifp_pay == 2500
    other = Organisation.objects.get(code="NJ-HOSP-1")
    nanjing_staff = User.objects.create(
        username="nj-staff", role="institution_staff", organisation=other, region=other.region
    )
    with pytest.raises(DomainError) as hidden:
        settlement_query(nanjing_staff, other, setl_id=info.setl_id)
    assert hidden.value.code == "medical.settlement_not_found"
    with pytest.raises(DomainError) as wrong:
        settlement_query(nanjing_staff, hospital, setl_id=info.setl_id)
    assert wrong.value.code == "medical.wrong_institution"
    year = person_year(renmin, hospital, psn_no=psn_no_of(person), year=today().year)
    assert dict(year.cumulative)["cap:outpatient_general"] == 2500
    assert year.fund_paid and not year.ci_paid


# --- Refusals: a clear error naming the field, and nothing stored -------------------------


def refused(call, code: str, field: str) -> None:
    before = counts()
    with pytest.raises(DomainError) as err:
        call()
    assert err.value.code == code, err.value.as_dict()
    assert field in err.value.fields, err.value.as_dict()
    assert counts() == before


def test_not_covered_refused_at_registration_and_at_settlement(
    fake_ports, renmin, hospital, person
):
    not_enrolled = DomainError(
        "未参保", code="coverage.not_enrolled", fields={"psn_no": ["未参保"]}
    )
    fake_ports.refused[person.pk] = not_enrolled
    visit = VisitIn(psn_no_of(person), "390", "11", at(today()), "NE-1")
    refused(lambda: register_visit(renmin, hospital, visit), "coverage.not_enrolled", "psn_no")
    del fake_ports.refused[person.pk]
    _, request = outpatient(renmin, hospital, person, [line("1", "A001", 10000)], number="NE-2")
    fake_ports.refused[person.pk] = DomainError(
        "等待期", code="coverage.waiting_period", fields={"psn_no": ["等待期"]}
    )
    refused(
        lambda: settle(renmin, hospital, request, msgid="w"), "coverage.waiting_period", "psn_no"
    )


def test_a_hospital_that_may_not_serve(fake_ports, personas, person):
    admin = personas.user("admin")
    care_home = Organisation.objects.get(code="SZ-CARE-KN")
    visit = VisitIn(psn_no_of(person), "390", "11", at(today()), "MS-1")
    refused(
        lambda: register_visit(admin, care_home, visit), "medical.may_not_serve", "fixmedins_code"
    )


def test_a_chronic_claim_needs_its_registration(fake_ports, renmin, hospital, person):
    visit = VisitIn(psn_no_of(person), "390", "14", at(today()), "MT-1", dise_codg="M00100")
    refused(lambda: register_visit(renmin, hospital, visit), "chronic.not_registered", "dise_codg")
    fake_ports.registered.add((person.pk, "M00100"))
    lines = [line("1", "A001", 10000)]
    _, request = outpatient(
        renmin, hospital, person, lines, number="MT-2", med_type="14", dise_codg="M00100"
    )
    info = settle(renmin, hospital, request, msgid="mt")
    assert info.hifp_pay == 6500  # 门诊慢特病 65%, no deductible


def test_fee_lines_that_are_not_a_bill(fake_ports, renmin, hospital, person):
    mdtrt_id, request = outpatient(renmin, hospital, person, [line("1", "A001", 100)], number="F")
    psn = psn_no_of(person)

    def send(*lines):
        return lambda: record_fee_lines(
            renmin, hospital, mdtrt_id=mdtrt_id, psn_no=psn, lines=list(lines)
        )

    negative = line("2", "A001", 100)
    negative = type(negative)(**{**negative.__dict__, "pric": -100, "det_item_fee_sumamt": -100})
    refused(send(negative), "medical.invalid", "pric")
    wrong = line("3", "A001", 100, "2")
    wrong = type(wrong)(**{**wrong.__dict__, "det_item_fee_sumamt": 201})
    refused(send(line("4", "A001", 5), wrong), "medical.invalid", "det_item_fee_sumamt")
    refused(send(line("1", "A001", 100)), "medical.invalid", "feedetl_sn")
    refused(send(line("5", "A001", 1), line("5", "A001", 1)), "medical.invalid", "feedetl_sn")
    bad_count = line("6", "A001", 1)
    bad_count = type(bad_count)(**{**bad_count.__dict__, "cnt": "abc"})
    refused(send(bad_count), "medical.invalid", "cnt")
    # Fee details that do not add up to medfee_sumamt.
    mismatch = SettleIn(psn_no=psn, mdtrt_id=mdtrt_id, medfee_sumamt=request.medfee_sumamt + 1)
    refused(
        lambda: settle(renmin, hospital, mismatch, msgid="f"),
        "medical.sum_mismatch",
        "medfee_sumamt",
    )
    negative_total = SettleIn(psn_no=psn, mdtrt_id=mdtrt_id, medfee_sumamt=-1)
    refused(
        lambda: settle(renmin, hospital, negative_total, msgid="g"),
        "medical.invalid",
        "medfee_sumamt",
    )


def test_one_visit_is_settled_once(fake_ports, renmin, hospital, person):
    _, request = outpatient(renmin, hospital, person, [line("1", "A001", 100)], number="O")
    settle(renmin, hospital, request, msgid="o1")
    refused(
        lambda: settle(renmin, hospital, request, msgid="o2"), "medical.already_settled", "mdtrt_id"
    )


def test_hospital_staff_act_for_their_own_institution_only(fake_ports, renmin, person):
    nanjing = Organisation.objects.get(code="NJ-HOSP-1")
    visit = VisitIn(psn_no_of(person), "390", "21", at(today()), "W-1")
    refused(
        lambda: register_visit(renmin, nanjing, visit),
        "medical.wrong_institution",
        "fixmedins_code",
    )


def test_unknown_person_and_codes(fake_ports, renmin, hospital, person):
    refused(
        lambda: register_visit(
            renmin, hospital, VisitIn("999999999", "390", "11", at(today()), "U")
        ),
        "medical.person_unknown",
        "psn_no",
    )
    refused(
        lambda: register_visit(
            renmin, hospital, VisitIn(psn_no_of(person), "390", "99", at(today()), "U")
        ),
        "medical.invalid",
        "med_type",
    )
    refused(
        lambda: register_visit(
            renmin, hospital, VisitIn(psn_no_of(person), "310", "11", at(today()), "U")
        ),
        "medical.invalid",
        "insutype",
    )


def test_update_visit_checks_the_chronic_registration(fake_ports, renmin, hospital, person):
    from jingban.medical.services import update_visit

    mdtrt_id, _ = outpatient(renmin, hospital, person, [line("1", "A001", 100)], number="UP")
    psn = psn_no_of(person)
    refused(
        lambda: update_visit(
            renmin, hospital, mdtrt_id=mdtrt_id, psn_no=psn, med_type="14", dise_codg="M00200"
        ),
        "chronic.not_registered",
        "dise_codg",
    )
    fake_ports.registered.add((person.pk, "M00200"))
    out = update_visit(
        renmin, hospital, mdtrt_id=mdtrt_id, psn_no=psn, med_type="14", dise_codg="M00200"
    )
    assert out.med_type == "14"
    assert Visit.objects.get(mdtrt_id=mdtrt_id).visit_type == "outpatient_chronic"
