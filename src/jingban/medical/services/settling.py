"""Pre-settlement, settlement, cancellation and 2601 reversal: the money path.

One settlement is one transaction: the visit row and the person-year accumulators are locked
(``SELECT … FOR UPDATE``; the accumulators created race-free first), so settlements of one person
run one after another whatever connection they come from, and each reads the accumulators the
previous one wrote. Everything the engine needs is read inside the lock; nothing is written
before every check has passed.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core.actionlog import log_action
from jingban.core.engine_messages import describe
from jingban.core.models import Organisation, User
from jingban.engine.codes import CrossRegion, VisitType
from jingban.engine.errors import CodedError, FieldError
from jingban.engine.medical.batch import Refusal
from jingban.engine.medical.cascade import Adjudication, adjudicate
from jingban.engine.medical.claim import Claim, YearToDate
from jingban.engine.policy.header import Family
from jingban.engine.policy.registry import UnknownPack
from jingban.medical import hooks, ports
from jingban.medical.codes import (
    FUND_ASSISTANCE,
    FUND_BASIC,
    FUND_CRITICAL,
    FUND_OTHER,
    MED_TYPES,
)
from jingban.medical.models import (
    AMOUNT_FIELDS,
    FeeDetail,
    FeeStatus,
    PersonYearTotals,
    Settlement,
    SettlementFund,
    SettlementKind,
    SettlementLine,
    SettlementStatus,
    Visit,
    VisitStatus,
)
from jingban.medical.services.common import (
    check_actor,
    get_visit,
    history,
    invalid,
    local_day,
    lock_totals,
    person_category,
    psn_no,
    read_totals,
    refuse,
)
from jingban.medical.services.results import setl_info
from jingban.medical.services.stays import settlement_cancelled
from jingban.medical.services.types import ReverseOut, SetlInfo, SettleIn
from jingban.medical.services.visits import (
    cancel_fee_lines_by_message,
    cancel_visit,
    check_may_serve,
)
from jingban.packs.queries import current_registry

SETTLEMENT_OBJECT = "medical.settlement"
_FOUR = Decimal("0.0001")
_ENGINE_FIELDS = {
    "total": "medfee_sumamt",
    "service_date": "begntime",
    "discharge_date": "endtime",
    "visit_type": "med_type",
    "hospital_level": "fixmedins_code",
    "class_b": "feedetail",
    "class_b_first": "feedetail",
    "out_of_scope": "feedetail",
}


@dataclass
class Computed:
    """Everything a settlement needs written, computed without writing anything."""

    visit: Visit
    lines: list[FeeDetail]
    classification: Any
    adjudication: Adjudication
    coverage: Any
    decision: Any
    figures: dict[str, Any]
    funds: list[SettlementFund]
    day: dt.date
    setl_time: dt.datetime


def _engine_error(err: CodedError) -> Exception:
    field = getattr(err, "field", "") if isinstance(err, FieldError) else ""
    message = describe(
        Refusal(
            line=0,
            claim_id="",
            field=field,
            code=err.code,
            message=str(err),
            params=err.params,
        )
    )
    return refuse(err.code, _ENGINE_FIELDS.get(field, field or "input"), message)


def _claim_fields() -> frozenset[str]:
    return frozenset(Claim.__dataclass_fields__)


def _build_claim(visit: Visit, classification: Any, coverage: Any, decision: Any) -> Claim:
    institution = visit.institution
    service_day = local_day(visit.begntime)
    kwargs: dict[str, Any] = {
        "claim_id": visit.mdtrt_id,
        "person_id": str(visit.person_id),
        "visit_type": VisitType(visit.visit_type),
        "hospital_level": institution.hospital_level or 1,
        "service_date": service_day,
        "discharge_date": local_day(visit.endtime) if visit.endtime else None,
        "total": classification.total,
        "out_of_scope": classification.out_of_scope,
        "class_b": classification.class_b,
        "person_category": person_category(visit.person_id, service_day),
        "cross_region": CrossRegion(decision.rule),
    }
    # Contracts 1 and 2 (merged from the enrollment and catalogue parts).
    extra = {
        "ci_cap_raise": Fraction(coverage.ci_cap_raise),
        "class_b_first": classification.preselfpay_amt,
    }
    known = _claim_fields()
    for name, value in extra.items():
        if name in known:
            kwargs[name] = value
        elif value:
            raise RuntimeError(f"Claim has no field {name}: merge the branch that adds it")
    return Claim(**kwargs)


def _pack(visit: Visit, day: dt.date) -> Any:
    try:
        return current_registry().in_force(visit.insuplc_admdvs, visit.scheme, day, Family.MEDICAL)
    except UnknownPack as err:
        raise refuse(
            "medical.no_pack",
            "begntime",
            _("No medical policy pack is in force for this scheme on %(day)s.")
            % {"day": day.isoformat()},
        ) from err


def _lines_of(visit: Visit, data: SettleIn) -> list[FeeDetail]:
    rows = FeeDetail.objects.filter(visit=visit, status=FeeStatus.ACTIVE).order_by("pk")
    if data.chrg_bchno:
        rows = rows.filter(chrg_bchno=data.chrg_bchno)
    return list(rows)


def _cross_region(visit: Visit, person_id: int, service_day: dt.date, day: dt.date) -> Any:
    """The cross-region rule of a visit: a filing in force on the admission day, or else on the
    settlement day, since a person may file during a stay and still settle directly (医保发
    〔2022〕22号); without either, the unfiled rule."""
    decision = None
    for on in dict.fromkeys((service_day, day)):
        decision = ports.cross_region(
            person_id,
            on,
            insured_area=visit.insuplc_admdvs,
            treatment_area=visit.mdtrtarea_admvs,
            emergency=visit.emergency,
        )
        if CrossRegion(decision.rule) is not CrossRegion.UNFILED:
            return decision
    assert decision is not None
    return decision


def _check_request(visit: Visit, data: SettleIn) -> None:
    if visit.status == VisitStatus.SETTLED:
        raise refuse("medical.already_settled", "mdtrt_id", _("The visit is already settled."))
    if visit.status == VisitStatus.CANCELLED:
        raise refuse("medical.visit_cancelled", "mdtrt_id", _("The visit is cancelled."))
    if visit.inpatient and visit.endtime is None:
        raise refuse(
            "medical.not_discharged", "mdtrt_id", _("An admission is settled after discharge.")
        )
    if data.insutype and data.insutype != visit.insutype:
        raise invalid("insutype", _("The insurance type is not the visit's."))
    if data.mid_setl_flag not in ("", "0"):
        raise invalid("mid_setl_flag", _("Interim settlement is not supported."))
    amount = data.medfee_sumamt
    if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
        raise invalid("medfee_sumamt", _("The total must be an amount of at least 0."))


def _compute(
    visit: Visit, data: SettleIn, ytd_counters: Mapping[str, int], now: dt.datetime
) -> Computed:
    """Every check and figure of a settlement, writing nothing."""
    _check_request(visit, data)
    lines = _lines_of(visit, data)
    if not lines:
        raise refuse("medical.no_fee_lines", "mdtrt_id", _("The visit has no fee lines to settle."))
    total = sum(line.amount for line in lines)
    if total != data.medfee_sumamt:
        raise refuse(
            "medical.sum_mismatch",
            "medfee_sumamt",
            _("The total %(given)s does not equal the fee lines' sum %(sum)s (fen).")
            % {"given": data.medfee_sumamt, "sum": total},
        )
    return compute_lines(visit, lines, ytd_counters, now)


def compute_lines(
    visit: Visit, lines: list[FeeDetail], ytd_counters: Mapping[str, int], now: dt.datetime
) -> Computed:
    """The checks and figures of settling ``lines`` of ``visit`` (direct or manual), writing
    nothing: coverage, ``may_serve``, chronic registration, the cross-region rule, the
    catalogue, then the engine with the supplementary packs the person holds stacked on the
    public pack (contract C1)."""
    person_id = visit.person_id
    service_day = local_day(visit.begntime)
    day = local_day(visit.endtime) if visit.endtime else service_day
    coverage = ports.coverage(
        person_id, visit.scheme, service_day, history=history(person_id, day.year)
    )
    med_type = MED_TYPES[visit.med_type]
    check_may_serve(visit.institution, visit.scheme, med_type.care_form, day)
    if med_type.chronic:
        ports.require_registration(person_id, visit.dise_codg, day)
    decision = _cross_region(visit, person_id, service_day, day)
    classification = ports.classify(
        [
            ports.fee_line(ln.feedetl_sn, ln.med_list_codg, ln.name, ln.cnt, ln.pric, ln.amount)
            for ln in lines
        ],
        on=day,
        visit_type=VisitType(visit.visit_type),
    )
    pack = _pack(visit, day)
    # Contract C1: the supplementary products the person holds are stacked on the public pack.
    extras = [p for p in hooks.supplementary_packs(person_id, service_day) if p.covers(day)]
    try:
        claim = _build_claim(visit, classification, coverage, decision)
        result = adjudicate(
            claim, [pack, *extras], YearToDate(str(person_id), day.year, ytd_counters)
        )
    except CodedError as err:
        raise _engine_error(err) from err
    figures = _figures(result, classification)
    funds = _funds(result, pack, coverage, figures)
    return Computed(
        visit, lines, classification, result, coverage, decision, figures, funds, day, now
    )


def _line_amount(result: Adjudication, layer: str, code: str) -> int:
    return sum(ln.amount for ln in result.lines if ln.layer == layer and ln.code == code)


def _basic_ratio(result: Adjudication) -> Decimal:
    for line in result.lines:
        if line.layer == "basic" and line.code == "fund":
            args = line.texts.args
            if len(args) == 5 and isinstance(args[2], Fraction):
                return (Decimal(args[2].numerator) / Decimal(args[2].denominator)).quantize(
                    _FOUR, rounding=ROUND_HALF_UP
                )
    return Decimal(0)


def _figures(result: Adjudication, classification: Any) -> dict[str, Any]:
    total = result.total
    preselfpay = _line_amount(result, "scope", "class_b_first")
    out_of_scope = classification.fulamt_ownpay_amt + classification.overlmt_selfpay
    paid = result.paid
    return {
        "medfee_sumamt": total,
        "fulamt_ownpay_amt": classification.fulamt_ownpay_amt,
        "overlmt_selfpay": classification.overlmt_selfpay,
        "preselfpay_amt": preselfpay,
        "inscp_scp_amt": total - out_of_scope - preselfpay,
        "act_pay_dedc": _line_amount(result, "basic", "deductible"),
        "hifp_pay": result.basic_fund,
        "pool_prop_selfpay": _basic_ratio(result),
        "hifmi_pay": result.critical_illness,
        "maf_pay": result.medical_assistance,
        "oth_pay": result.supplementary,
        "fund_pay_sumamt": paid,
        "psn_part_amt": total - paid,
        "acct_pay": 0,
        "psn_cash_pay": total - paid,
    }


def _funds(
    result: Adjudication, pack: Any, coverage: Any, figures: Mapping[str, Any]
) -> list[SettlementFund]:
    before = result.before
    rules = pack.medical
    benefit = rules.benefits.get(result.claim.visit_type)
    basic_room = 0
    if benefit is not None and benefit.caps:
        pool = benefit.caps[0]
        basic_room = max(0, rules.caps[pool].amount - before.get(f"cap:{pool}"))
    ci_room = 0
    ci = rules.critical_illness
    if ci is not None and ci.annual_cap is not None:
        raised = ci.annual_cap * (1 + Fraction(coverage.ci_cap_raise))
        ci_room = max(0, int(raised) - before.get("ci:paid"))
    inscp = figures["inscp_scp_amt"]
    parts = [
        (FUND_BASIC, basic_room, result.basic_fund),
        (FUND_CRITICAL, ci_room, result.critical_illness),
        (FUND_ASSISTANCE, 0, result.medical_assistance),
        (FUND_OTHER, 0, result.supplementary),
    ]
    return [
        SettlementFund(fund_pay_type=t, inscp_scp_amt=inscp, crt_payb_lmt_amt=room, fund_payamt=pay)
        for t, room, pay in parts
        if pay
    ]


def _number(prefix: str, when: dt.datetime) -> str:
    return f"{prefix}{timezone.localtime(when):%Y%m%d}{secrets.randbelow(10**12):012d}"


def preview(actor: User, institution: Organisation, data: SettleIn) -> SetlInfo:
    """2206 / 2303 pre-settlement: the same checks and figures as ``settle`` against the
    accumulators as they are now, with **no side effects at all** (no row, no log, no lock kept).
    ``setl_id`` is empty."""
    check_actor(actor, institution)
    visit = get_visit(institution, data.mdtrt_id, data.psn_no)
    now = timezone.now()
    year = local_day(visit.endtime or visit.begntime).year
    totals = read_totals(visit.person_id, year)
    computed = _compute(visit, data, totals.counters, now)
    unsaved = _settlement_row(computed, actor, msgid="", setl_id="")
    unsaved.person = visit.person
    return setl_info(
        unsaved,
        funds=computed.funds,
        lines=_explanation(computed, unsaved),
        warnings=[c.warning for c in computed.classification.lines if c.warning],
    )


def _settlement_row(computed: Computed, actor: User, *, msgid: str, setl_id: str) -> Settlement:
    visit = computed.visit
    result = computed.adjudication
    coverage = computed.coverage
    decision = computed.decision
    changes = {
        name: result.after.get(name) - result.before.get(name)
        for name in set(result.after.counters) | set(result.before.counters)
        if result.after.get(name) != result.before.get(name)
    }
    return Settlement(
        setl_id=setl_id,
        kind=SettlementKind.SETTLEMENT,
        status=SettlementStatus.SETTLED,
        visit=visit,
        person_id=visit.person_id,
        institution_id=visit.institution_id,
        msgid=msgid,
        setl_time=computed.setl_time,
        year=computed.day.year,
        insutype=visit.insutype,
        med_type=visit.med_type,
        visit_type=visit.visit_type,
        cross_region=str(CrossRegion(decision.rule).value),
        counter_changes=changes,
        packs=[{"ref": str(ref), "hash": ref.hash} for ref in result.packs],
        catalogue_version=str(getattr(computed.classification, "version", ""))[:60],
        coverage={
            "enrollment_id": coverage.enrollment_id,
            "year": coverage.year,
            "ci_cap_raise": str(coverage.ci_cap_raise),
            "continuous_years": coverage.continuous_years,
            "waiting_until": coverage.waiting_until.isoformat() if coverage.waiting_until else None,
            "pack": str(coverage.pack),
        },
        cross_region_decision={
            "rule": str(CrossRegion(decision.rule).value),
            "filing_id": decision.filing_id,
            "reason": str(decision.reason),
        },
        clr_optins=visit.insuplc_admdvs,
        region_path=visit.region_path,
        created_by=actor,
        **computed.figures,
    )


def _explanation(computed: Computed, row: Settlement) -> list[SettlementLine]:
    return [
        SettlementLine(
            settlement=row,
            position=index,
            layer=line.layer,
            code=line.code,
            label_zh=line.texts.label_zh,
            label_en=line.texts.label_en,
            rule_zh=line.texts.rule_zh,
            rule_en=line.texts.rule_en,
            base=line.base,
            amount=line.amount,
            payment=line.payment,
        )
        for index, line in enumerate(computed.adjudication.lines)
    ]


def _apply(totals: PersonYearTotals, row: Settlement, sign: int) -> None:
    counters = dict(totals.counters)
    for name, change in row.counter_changes.items():
        value = counters.get(name, 0) + sign * change
        if value:
            counters[name] = value
        else:
            counters.pop(name, None)
    totals.counters = counters
    totals.medfee += sign * abs(row.medfee_sumamt)
    totals.fund_paid_amount += sign * (abs(row.hifp_pay) + abs(row.hifmi_pay))
    totals.ci_paid_amount += sign * abs(row.hifmi_pay)
    totals.settlements += sign
    totals.save()


def settle(actor: User, institution: Organisation, data: SettleIn, *, msgid: str) -> SetlInfo:
    """2207 / 2304 settlement, in ONE transaction: lock the person-year accumulators
    (``SELECT … FOR UPDATE``), check coverage (enrollment, waiting period, death), ``may_serve``,
    chronic registration (med_type 14), the cross-region decision; classify the visit's fee lines;
    ``medfee_sumamt`` must equal their sum; run the engine; write the Settlement, its funds and
    explanation lines, the new accumulators, the action-log row (and, for an admission, LTC's
    hospital stay). A visit already settled is refused (``medical.already_settled``)."""
    check_actor(actor, institution)
    with transaction.atomic():
        visit = get_visit(institution, data.mdtrt_id, data.psn_no, lock=True)
        _check_request(visit, data)
        year = local_day(visit.endtime or visit.begntime).year
        totals = lock_totals(visit.person_id, year)
        now = timezone.now()
        computed = _compute(visit, data, totals.counters, now)
        row = _settlement_row(computed, actor, msgid=msgid, setl_id=_number("S", now))
        lines = write_settlement(computed, row, totals, actor, log={"msgid": msgid})
    row.person = visit.person  # loaded with the visit: no query for setlinfo's person fields
    warnings = [c.warning for c in computed.classification.lines if c.warning]
    return setl_info(row, funds=computed.funds, lines=lines, warnings=warnings)


def write_settlement(
    computed: Computed,
    row: Settlement,
    totals: PersonYearTotals,
    actor: User,
    *,
    log: Mapping[str, object],
) -> list[SettlementLine]:
    """Write a computed settlement (direct or manual) inside the caller's transaction: the row,
    its explanation lines and fund rows, the classified fee lines, the accumulators, the visit's
    status, the action-log row (``log`` adds to it), LTC's hospital stay for an admission, and
    ``hooks.settled`` for every app that follows settlements. Returns the explanation lines."""
    visit = computed.visit
    row.save()
    lines = _explanation(computed, row)
    SettlementLine.objects.bulk_create(lines)
    for fund in computed.funds:
        fund.settlement = row
    SettlementFund.objects.bulk_create(computed.funds)
    _store_classification(computed, row)
    _apply(totals, row, +1)
    visit.status = VisitStatus.SETTLED
    visit.save(update_fields=["status"])
    log_action(
        acting_user=actor,
        action="medical.settlement.settled",
        object_type=SETTLEMENT_OBJECT,
        object_id=row.setl_id,
        region_path=row.region_path,
        after={
            "mdtrt_id": visit.mdtrt_id,
            "medfee_sumamt": row.medfee_sumamt,
            "fund_pay_sumamt": row.fund_pay_sumamt,
            "psn_cash_pay": row.psn_cash_pay,
            "packs": [p["ref"] for p in row.packs],
            **log,
        },
    )
    if visit.inpatient and visit.endtime is not None:
        hooks.inpatient_settled(
            person_id=visit.person_id,
            institution_id=visit.institution_id,
            admitted_on=local_day(visit.begntime),
            discharged_on=local_day(visit.endtime),
            acting_user=actor,
        )
    hooks.settled(settlement_id=row.pk, acting_user=actor)
    return lines


def _store_classification(computed: Computed, row: Settlement) -> None:
    by_id = {c.line_id: c for c in computed.classification.lines}
    for line in computed.lines:
        c = by_id[line.feedetl_sn]
        line.category = c.category
        line.fulamt_ownpay = c.fulamt_ownpay
        line.overlmt = c.overlmt
        line.preselfpay = c.preselfpay
        line.inscp = c.inscp
        line.warning = (c.warning or "")[:300]
        line.status = FeeStatus.SETTLED
        line.settlement = row
    FeeDetail.objects.bulk_update(
        computed.lines,
        [
            "category",
            "fulamt_ownpay",
            "overlmt",
            "preselfpay",
            "inscp",
            "warning",
            "status",
            "settlement",
        ],
    )


def _reverse_row(original: Settlement, actor: User, msgid: str) -> Settlement:
    now = timezone.now()
    negated = {name: -getattr(original, name) for name in AMOUNT_FIELDS}
    return Settlement(
        setl_id=_number("R", now),
        kind=SettlementKind.REVERSAL,
        status=SettlementStatus.REVERSAL,
        visit_id=original.visit_id,
        person_id=original.person_id,
        institution_id=original.institution_id,
        original=original,
        msgid=msgid,
        setl_time=now,
        year=original.year,
        insutype=original.insutype,
        med_type=original.med_type,
        visit_type=original.visit_type,
        cross_region=original.cross_region,
        pool_prop_selfpay=original.pool_prop_selfpay,
        counter_changes={k: -v for k, v in original.counter_changes.items()},
        packs=original.packs,
        catalogue_version=original.catalogue_version,
        coverage=original.coverage,
        cross_region_decision=original.cross_region_decision,
        clr_optins=original.clr_optins,
        region_path=original.region_path,
        created_by=actor,
        **negated,
    )


def _cancel_locked(actor: User, original: Settlement, msgid: str, action: str) -> Settlement:
    """Inside a transaction, with the original's visit locked."""
    if original.kind != SettlementKind.SETTLEMENT:
        raise refuse("medical.not_a_settlement", "setl_id", _("A reversal cannot be cancelled."))
    if original.status != SettlementStatus.SETTLED:
        raise refuse("medical.already_cancelled", "setl_id", _("The settlement is cancelled."))
    totals = lock_totals(original.person_id, original.year)
    reversal = _reverse_row(original, actor, msgid)
    reversal.save()
    SettlementFund.objects.bulk_create(
        [
            SettlementFund(
                settlement=reversal,
                fund_pay_type=f.fund_pay_type,
                inscp_scp_amt=-f.inscp_scp_amt,
                crt_payb_lmt_amt=f.crt_payb_lmt_amt,
                fund_payamt=-f.fund_payamt,
            )
            for f in original.funds.all()
        ]
    )
    original.status = SettlementStatus.CANCELLED
    original.save(update_fields=["status"])
    # The original's counter changes come off the accumulators (its reversal carries them
    # negated, so applying the reversal with +1 would count the settlement twice).
    _apply(totals, original, -1)
    settlement_cancelled(original, actor)  # the LTC stay it announced comes off
    hooks.settled(settlement_id=reversal.pk, acting_user=actor)
    FeeDetail.objects.filter(settlement=original).update(status=FeeStatus.ACTIVE, settlement=None)
    Visit.objects.filter(pk=original.visit_id).update(
        status=VisitStatus.DISCHARGED
        if Visit.objects.filter(pk=original.visit_id, endtime__isnull=False).exists()
        else VisitStatus.OPEN
    )
    log_action(
        acting_user=actor,
        action=action,
        object_type=SETTLEMENT_OBJECT,
        object_id=original.setl_id,
        region_path=original.region_path,
        before={"status": SettlementStatus.SETTLED},
        after={"status": SettlementStatus.CANCELLED, "reversal": reversal.setl_id, "msgid": msgid},
    )
    return reversal


def cancel(
    actor: User,
    institution: Organisation,
    *,
    setl_id: str,
    mdtrt_id: str,
    psn_no: str,
    msgid: str,
) -> SetlInfo:
    """2208 / 2305: cancel a settlement. Writes a reversing settlement with every amount negated
    (status ``reversal``, ``orig_setl_id`` the original), marks the original ``cancelled`` (it
    stays), restores the person-year accumulators, reopens the visit for new fee lines. Returns
    the reversing settlement."""
    check_actor(actor, institution)
    with transaction.atomic():
        visit = get_visit(institution, mdtrt_id, psn_no, lock=True)
        original = (
            Settlement.objects.select_for_update(of=("self",))
            .filter(setl_id=(setl_id or "").strip(), visit=visit)
            .first()
        )
        if original is None:
            raise refuse(
                "medical.settlement_not_found",
                "setl_id",
                _("No settlement of this visit has this number."),
            )
        reversal = _cancel_locked(actor, original, msgid, "medical.settlement.cancelled")
    return setl_info(reversal)


_REVERSIBLE_SETTLEMENT = {"2207", "2304"}
_REVERSIBLE_VISIT = {"2201", "2401"}
_REVERSIBLE_FEES = {"2204", "2301"}


def reverse(
    actor: User, institution: Organisation, *, omsgid: str, oinfno: str, msgid: str
) -> ReverseOut:
    """2601 冲正: undo what the institution's message ``omsgid`` (transaction ``oinfno``) did,
    when the hospital never received its answer: a settlement (2207/2304) is cancelled as by
    ``cancel``; a visit registration (2201/2401) cancelled; fee lines (2204/2301) cancelled; a
    cancellation (2208/2305) cannot be reversed (``medical.reverse_unsupported``). Nothing found
    for ``omsgid`` → ``medical.reverse_not_found`` (field ``omsgid``)."""
    check_actor(actor, institution)
    omsgid = (omsgid or "").strip()
    if not omsgid:
        raise invalid("omsgid", _("The original message id is required."))
    kinds = (
        _REVERSIBLE_SETTLEMENT | _REVERSIBLE_VISIT | _REVERSIBLE_FEES if not oinfno else {oinfno}
    )
    if not kinds & (_REVERSIBLE_SETTLEMENT | _REVERSIBLE_VISIT | _REVERSIBLE_FEES):
        raise refuse(
            "medical.reverse_unsupported",
            "oinfno",
            _("Transaction %(infno)s cannot be reversed; cancel it instead.") % {"infno": oinfno},
        )
    with transaction.atomic():
        if kinds & _REVERSIBLE_SETTLEMENT:
            found = Settlement.objects.filter(
                institution=institution, msgid=omsgid, kind=SettlementKind.SETTLEMENT
            ).first()
            if found is not None:
                # The lock order of every settlement path: the visit, then its settlement.
                Visit.objects.select_for_update().filter(pk=found.visit_id).first()
                original = Settlement.objects.select_for_update().get(pk=found.pk)
                _cancel_locked(actor, original, msgid, "medical.settlement.reversed")
                return ReverseOut("settlement", original.setl_id, omsgid)
        if kinds & _REVERSIBLE_FEES:
            mdtrt_id = cancel_fee_lines_by_message(actor, institution, omsgid, msgid)
            if mdtrt_id is not None:
                return ReverseOut("fee_lines", mdtrt_id, omsgid)
        if kinds & _REVERSIBLE_VISIT:
            visit = Visit.objects.filter(institution=institution, msgid=omsgid).first()
            if visit is not None:
                cancel_visit(
                    actor,
                    institution,
                    mdtrt_id=visit.mdtrt_id,
                    psn_no=psn_no(visit.person_id),
                    msgid=msgid,
                )
                return ReverseOut("visit", visit.mdtrt_id, omsgid)
    raise refuse(
        "medical.reverse_not_found",
        "omsgid",
        _("No transaction of your institution has this message id."),
    )
