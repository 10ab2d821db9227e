"""The decision part: a concluded case posted on notice (working and calendar days), objections
inside and outside the notice, the re-assessment drawn without the previous assessors, the
decision with its benefit start, validity and letter, and the entitlement's changes with their
refusals."""

from __future__ import annotations

import datetime as dt
import io
from itertools import count

import pypdf
import pytest

from jingban.core.models import ActionLog
from jingban.documents import services as documents
from jingban.engine.policy.families.ltc import NoticeUnit, Severity
from jingban.ltc import policy
from jingban.ltc import services_decision as services
from jingban.ltc.models import (
    Assessment,
    AssessmentStatus,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    Decision,
    Delivery,
    Entitlement,
    EntitlementEvent,
    EntitlementStatus,
    Notice,
    NoticeStatus,
    ObjectionChannel,
    ObjectorKind,
    Trigger,
)
from jingban.ltc.transitions import TransitionRefused
from jingban.workforce.models import Assessor, AssessorClass

_numbers = count(1)
POSTED = dt.date(2026, 3, 2)  # a Monday


def concluded_case(personas, *, level: int = 3, dementia: bool = False, person=None) -> Case:
    """A case the intake part would have concluded: round 1 confirmed by three assessors."""
    person = person or personas.in_scope_person
    case = Case.objects.create(
        number=f"TDEC{next(_numbers):05d}",
        person=person,
        region=person.region,
        region_path=person.region.path,
        channel="window",
        status=CaseStatus.CONCLUDED,
        received_on=POSTED - dt.timedelta(days=30),
    )
    assessment = Assessment.objects.create(
        case=case,
        round=1,
        region_path=case.region_path,
        status=AssessmentStatus.CONFIRMED,
        level=level,
        dementia=dementia,
    )
    first = list(Assessor.objects.filter(klass=AssessorClass.ASSESSOR).order_by("pk")[:2])
    first += list(Assessor.objects.filter(klass=AssessorClass.EXPERT).order_by("pk")[:1])
    assessment.assessors.set(first)
    return case


def posted(personas, **kwargs) -> Notice:
    case = concluded_case(personas, **kwargs)
    return services.post_notice(case, by=personas.user("wang"), day=POSTED)


def pdf_text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


# --- masking and the period -------------------------------------------------------------------


def test_mask_name() -> None:
    assert services.mask_name("张三明") == "张*明"
    assert services.mask_name("张明") == "张*"
    assert services.mask_name("欧阳小华") == "欧**华"
    assert services.mask_name("张") == "张"


@pytest.mark.django_db
def test_notice_period_in_working_days_across_national_day() -> None:
    # Posted on Tuesday 29 September 2026: the day of posting is not counted; 30 September,
    # then the holiday of 1–7 October, then working days from 8 October (and the Saturday
    # 10 October, a working day of the 2026 arrangement).
    from jingban.core.calendar import is_provisional
    from jingban.core.services.calendar import seed_from_chinese_calendar

    seed_from_chinese_calendar([2026], acting_user=None)
    end = policy.notice_ends(dt.date(2026, 9, 29), 5, NoticeUnit.WORKING_DAYS)
    assert end == dt.date(2026, 10, 12)
    assert not is_provisional(dt.date(2026, 9, 29), end)


@pytest.mark.django_db
def test_notice_period_in_calendar_days() -> None:
    # Five calendar days after Monday 2 March 2026: Saturday 7 March, a rest day, so the
    # period ends on the next working day, Monday 9 March.
    assert policy.notice_ends(dt.date(2026, 3, 2), 5, NoticeUnit.CALENDAR_DAYS) == dt.date(
        2026, 3, 9
    )
    # Four: Friday 6 March, a working day, ends the period as it is.
    assert policy.notice_ends(dt.date(2026, 3, 2), 4, NoticeUnit.CALENDAR_DAYS) == dt.date(
        2026, 3, 6
    )


def test_benefit_start_rules() -> None:
    day = dt.date(2026, 3, 31)
    assert policy.benefit_start("next_month", day) == dt.date(2026, 4, 1)
    assert policy.benefit_start("decision_day", day) == day
    assert policy.benefit_start("next_day", day) == dt.date(2026, 4, 1)
    assert policy.benefit_start("next_month", dt.date(2026, 12, 15)) == dt.date(2027, 1, 1)


def test_validity_capped_for_severe() -> None:
    class _Validity:
        months = {Severity.SEVERE: 36, Severity.MODERATE: 12}

    class _Rules:
        validity = _Validity()

    assert policy.validity_months(_Rules(), Severity.SEVERE) == 24  # type: ignore[arg-type]
    assert policy.validity_months(_Rules(), Severity.MODERATE) == 12  # type: ignore[arg-type]
    # A severity the pack names no validity for gets the shortest it gives.
    assert policy.validity_months(_Rules(), Severity.MILD) == 12  # type: ignore[arg-type]
    assert policy.valid_until(dt.date(2026, 4, 1), 24) == dt.date(2028, 3, 31)


# --- posting ----------------------------------------------------------------------------------


def test_post_notice_snapshot_and_state(personas) -> None:
    notice = posted(personas)
    case = Case.objects.get(pk=notice.case_id)
    assert case.status == CaseStatus.NOTICE
    # Suzhou's pack: 5 working days; 2 March 2026 + 5 working days = 9 March.
    assert (notice.length, notice.unit) == (5, "working_days")
    assert notice.ends_on == dt.date(2026, 3, 9)
    assert notice.masked_name == services.mask_name(case.person.name)
    assert notice.level == 3
    assert notice.region_id == case.person.region_id
    assert ActionLog.objects.filter(action="ltc.notice.posted", object_id=str(case.pk)).exists()


def test_post_refused_unless_concluded_and_only_once(personas) -> None:
    case = concluded_case(personas)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.ASSESSED)
    with pytest.raises(services.DecisionRefused):
        services.post_notice(case, by=personas.user("wang"), day=POSTED)
    assert not Notice.objects.filter(case=case).exists()
    notice = posted(personas)
    with pytest.raises(services.DecisionRefused):
        services.post_notice(notice.case, by=personas.user("wang"), day=POSTED)
    assert Notice.objects.filter(case=notice.case).count() == 1


# --- objection and re-assessment --------------------------------------------------------------


def _objection(reason: str = "评估时老人状态与平时不符") -> services.ObjectionInput:
    return services.ObjectionInput(
        objector=ObjectorKind.FAMILY, reason=reason, objector_name="家属"
    )


def test_objection_inside_the_notice_opens_a_reassessment_by_others(personas) -> None:
    notice = posted(personas)
    objection = services.file_objection(
        notice, _objection(), channel=ObjectionChannel.PUBLIC, by=None, day=dt.date(2026, 3, 9)
    )
    case = Case.objects.get(pk=notice.case_id)
    assert case.status == CaseStatus.OBJECTED
    # Re-assessment within 10 working days from the end of the notice (9 March): 23 March.
    assert case.due_on == objection.reassess_due_on == dt.date(2026, 3, 23)
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.OBJECTED

    previous = set(services.previous_assessor_ids(case))
    assessment = services.draw_reassessment(
        case, by=personas.user("wang"), day=dt.date(2026, 3, 10)
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.DISPATCHED
    assert assessment.round == 2
    assert assessment.due_on == dt.date(2026, 3, 23)
    drawn = set(assessment.assessors.values_list("pk", flat=True))
    assert drawn and not (drawn & previous)
    assert assessment.draw is not None and assessment.draw.exclude_previous
    objection.refresh_from_db()
    assert objection.reassessment_id == assessment.pk
    assert [e.to_status for e in CaseEvent.objects.filter(case=case)][-2:] == [
        CaseStatus.OBJECTED,
        CaseStatus.DISPATCHED,
    ]


def test_objection_after_the_notice_is_refused(personas) -> None:
    notice = posted(personas)
    with pytest.raises(services.DecisionRefused) as refused:
        services.file_objection(
            notice, _objection(), channel=ObjectionChannel.PUBLIC, by=None, day=dt.date(2026, 3, 10)
        )
    assert "2026-03-09" in str(refused.value.message)
    assert not notice.objections.exists()
    assert Case.objects.get(pk=notice.case_id).status == CaseStatus.NOTICE


def test_objection_bad_input_names_the_field(personas) -> None:
    notice = posted(personas)
    with pytest.raises(services.ValidationFailed) as failed:
        services.file_objection(
            notice,
            services.ObjectionInput(objector="nobody", reason=" "),
            channel=ObjectionChannel.STAFF,
            by=personas.user("wang"),
            day=POSTED,
        )
    assert set(failed.value.fields) == {"objector", "reason"}
    assert not notice.objections.exists()


def test_reassessed_case_is_decided_without_a_second_notice(personas) -> None:
    notice = posted(personas, level=3)
    services.file_objection(
        notice, _objection(), channel=ObjectionChannel.STAFF, by=personas.user("wang"), day=POSTED
    )
    case = Case.objects.get(pk=notice.case_id)
    assessment = services.draw_reassessment(case, by=personas.user("wang"), day=POSTED)
    # The intake part scores the round; here the conclusion is set directly.
    Assessment.objects.filter(pk=assessment.pk).update(status=AssessmentStatus.CONFIRMED, level=4)
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.CONCLUDED)
    with pytest.raises(services.DecisionRefused):
        services.post_notice(case, by=personas.user("wang"), day=POSTED)
    decision = services.issue_decision(
        case, by=personas.user("wang"), delivery=Delivery.IN_PERSON, day=dt.date(2026, 3, 20)
    )
    assert decision.level == 4
    assert Case.objects.get(pk=case.pk).status == CaseStatus.DECIDED


# --- decision ---------------------------------------------------------------------------------


def test_decision_refused_during_the_notice(personas) -> None:
    notice = posted(personas)
    with pytest.raises(services.DecisionRefused):
        services.issue_decision(
            notice.case, by=personas.user("wang"), delivery=Delivery.POST, day=notice.ends_on
        )
    assert not Decision.objects.filter(case=notice.case).exists()
    assert Case.objects.get(pk=notice.case_id).status == CaseStatus.NOTICE


def test_decision_after_the_notice_grants_and_issues_the_letter(personas) -> None:
    notice = posted(personas, level=3)
    assert services.close_ended_notices(dt.date(2026, 3, 10)) >= 1
    assert Notice.objects.get(pk=notice.pk).status == NoticeStatus.ENDED
    decision = services.issue_decision(
        notice.case,
        by=personas.user("wang"),
        delivery=Delivery.POST,
        delivered_on=dt.date(2026, 3, 12),
        day=dt.date(2026, 3, 10),
    )
    # Suzhou: next month; severe valid 24 months; re-assess 30 days before the end.
    assert decision.covered and decision.severity == "severe"
    assert (decision.start_on, decision.end_on) == (dt.date(2026, 4, 1), dt.date(2028, 3, 31))
    entitlement = Entitlement.objects.get(pk=decision.entitlement_id)
    assert entitlement.status == EntitlementStatus.ACTIVE
    assert entitlement.reassess_on == dt.date(2028, 3, 1)
    assert entitlement.events.get().kind == "granted"
    assert Case.objects.get(pk=notice.case_id).status == CaseStatus.DECIDED

    code = services.letter_code(decision)
    assert documents.verify(code) == decision.document
    text = pdf_text(services.render_letter(decision, verify_url="https://example.org/verify/"))
    assert "长期护理保险失能评估结论书" in text
    assert "3级 重度失能Ⅰ级" in text
    assert "2026-04-01" in text and "2028-03-31" in text
    assert code in text.replace(" ", "")
    assert decision.person.document_number not in text
    assert "5个工作日" in text


def test_level_not_covered_decides_without_benefit(personas) -> None:
    notice = posted(personas, level=1)
    decision = services.issue_decision(
        notice.case, by=personas.user("wang"), delivery=Delivery.IN_PERSON, day=dt.date(2026, 3, 10)
    )
    assert not decision.covered and decision.entitlement is None
    assert not Entitlement.objects.filter(case=notice.case).exists()
    text = pdf_text(services.render_letter(decision, verify_url="https://example.org/verify/"))
    assert "不予享受" in text or "不属于" in text


def test_new_decision_supersedes_the_previous_entitlement(personas) -> None:
    person = personas.in_scope_person
    first = posted(personas, level=2, person=person)
    old = services.issue_decision(
        first.case, by=personas.user("wang"), delivery=Delivery.POST, day=dt.date(2026, 3, 10)
    ).entitlement
    assert old is not None
    later = concluded_case(personas, level=4, person=person)
    notice = services.post_notice(later, by=personas.user("wang"), day=dt.date(2026, 6, 1))
    new = services.issue_decision(
        notice.case, by=personas.user("wang"), delivery=Delivery.POST, day=dt.date(2026, 6, 15)
    ).entitlement
    assert new is not None and new.start_on == dt.date(2026, 7, 1)
    old.refresh_from_db()
    assert old.status == EntitlementStatus.SUPERSEDED
    assert old.end_on == dt.date(2026, 6, 30)
    assert old.events.filter(kind="level_changed", source=f"ltc.case:{later.pk}").exists()


def test_decision_bad_delivery_is_refused(personas) -> None:
    notice = posted(personas)
    with pytest.raises(services.ValidationFailed) as failed:
        services.issue_decision(
            notice.case, by=personas.user("wang"), delivery="pigeon", day=dt.date(2026, 3, 10)
        )
    assert "delivery" in failed.value.fields
    assert not Decision.objects.exists() or not Decision.objects.filter(case=notice.case).exists()


# --- state machine ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [CaseStatus.APPLIED, CaseStatus.ACCEPTED, CaseStatus.DISPATCHED, CaseStatus.DECIDED],
)
def test_post_refused_from_other_statuses(personas, status) -> None:
    case = concluded_case(personas)
    Case.objects.filter(pk=case.pk).update(status=status)
    with pytest.raises(services.DecisionRefused):
        services.post_notice(case, by=personas.user("wang"), day=POSTED)
    assert Case.objects.get(pk=case.pk).status == status


def test_draw_refused_without_objection(personas) -> None:
    notice = posted(personas)
    with pytest.raises(services.DecisionRefused):
        services.draw_reassessment(notice.case, by=personas.user("wang"), day=POSTED)
    assert notice.case.assessments.count() == 1


def test_decided_case_cannot_move_on(personas) -> None:
    notice = posted(personas)
    services.issue_decision(
        notice.case, by=personas.user("wang"), delivery=Delivery.POST, day=dt.date(2026, 3, 10)
    )
    with pytest.raises((services.DecisionRefused, TransitionRefused)):
        services.issue_decision(
            notice.case, by=personas.user("wang"), delivery=Delivery.POST, day=dt.date(2026, 3, 11)
        )
    assert Decision.objects.filter(case=notice.case).count() == 1


# --- entitlement changes ----------------------------------------------------------------------


def granted(personas, **kwargs) -> Entitlement:
    notice = posted(personas, **kwargs)
    decision = services.issue_decision(
        notice.case, by=personas.user("wang"), delivery=Delivery.POST, day=dt.date(2026, 3, 10)
    )
    assert decision.entitlement is not None
    return decision.entitlement


def test_suspend_resume_stop_and_refusals(personas) -> None:
    wang = personas.user("wang")
    entitlement = granted(personas)
    with pytest.raises(services.DecisionRefused):
        services.resume(entitlement, reason="request", by=wang)
    services.suspend(entitlement, reason="hospital", effective_on=dt.date(2026, 5, 3), by=wang)
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.SUSPENDED
    with pytest.raises(services.DecisionRefused):
        services.suspend(entitlement, reason="hospital", by=wang)
    services.resume(entitlement, reason="request", effective_on=dt.date(2026, 5, 20), by=wang)
    services.stop(entitlement, reason="moved", effective_on=dt.date(2026, 7, 1), by=wang)
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.STOPPED
    assert entitlement.end_on == dt.date(2026, 6, 30)
    with pytest.raises(services.DecisionRefused) as refused:
        services.resume(entitlement, reason="request", by=wang)
    assert "resumed" in str(refused.value.message) or "恢复" in str(refused.value.message)
    with pytest.raises(services.DecisionRefused):
        services.stop(entitlement, reason="moved", by=wang)
    assert list(entitlement.events.values_list("kind", flat=True)) == [
        "granted",
        "suspended",
        "resumed",
        "stopped",
    ]
    assert ActionLog.objects.filter(
        action="ltc.entitlement.stopped", object_id=str(entitlement.pk)
    ).exists()


def test_change_needs_a_reason(personas) -> None:
    entitlement = granted(personas)
    with pytest.raises(services.ValidationFailed) as failed:
        services.suspend(entitlement, reason="", by=personas.user("wang"))
    assert "reason" in failed.value.fields
    with pytest.raises(services.ValidationFailed) as failed:
        services.stop(entitlement, reason="other", note=" ", by=personas.user("wang"))
    assert "note" in failed.value.fields
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ACTIVE
    assert entitlement.events.count() == 1


def test_order_reassessment_for_audit_and_only_once(personas) -> None:
    entitlement = granted(personas)
    case = services.order_reassessment(
        entitlement,
        trigger=Trigger.AUDIT,
        source="audit.finding:7",
        by=personas.user("wang"),
        day=dt.date(2026, 6, 1),
    )
    assert (case.kind, case.trigger, case.status) == (
        CaseKind.REASSESSMENT,
        Trigger.AUDIT,
        CaseStatus.ACCEPTED,
    )
    assert case.entitlement_id == entitlement.pk
    assert case.previous_case_id == entitlement.case_id
    assert case.events.get().note == "audit.finding:7"
    # Numbered as every LTC case is (not a number of its own).
    assert case.number.startswith("长护2026-")
    with pytest.raises(services.DecisionRefused):
        services.order_reassessment(
            entitlement, trigger=Trigger.AUDIT, source="x", by=personas.user("wang")
        )


def test_order_from_desk_cites_the_desk_case(personas) -> None:
    from jingban.desk.models import Case as DeskCase

    entitlement = granted(personas)
    with pytest.raises(services.ValidationFailed):
        services.order_from_desk(entitlement, 999_999_999, by=personas.user("wang"))
    desk_case = DeskCase.objects.first()
    if desk_case is None:
        pytest.skip("the demo world has no desk case")
    case = services.order_from_desk(entitlement, desk_case.pk, by=personas.user("wang"))
    assert case.trigger == Trigger.COMPLAINT
    assert case.events.get().note == f"desk.case:{desk_case.pk}"


def test_daily_job_opens_expiry_reassessments_and_expires(personas) -> None:
    # Moderate: valid 12 months from 1 April 2026, re-assessed 30 days before 31 March 2027.
    entitlement = granted(personas, level=2)
    assert entitlement.reassess_on == dt.date(2027, 3, 1)
    assert services.open_due_reassessments(dt.date(2027, 2, 28)) == 0
    assert services.open_due_reassessments(dt.date(2027, 3, 1)) == 1
    case = Case.objects.get(entitlement=entitlement)
    assert case.trigger == Trigger.EXPIRY
    assert case.kind == CaseKind.REASSESSMENT
    # Not twice.
    assert services.open_due_reassessments(dt.date(2027, 3, 2)) == 0
    services.open_due_reassessments(dt.date(2027, 4, 1))
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.EXPIRED
    assert EntitlementEvent.objects.filter(entitlement=entitlement, kind="expired").exists()


def test_status_report_deceased_stops_from_the_day_after(personas) -> None:
    from jingban.providers.models import Institution

    entitlement = granted(personas)
    institution = Institution.objects.get(organisation__code="SZ-CARE-KN")
    report = services.report_status(
        entitlement,
        institution_id=institution.pk,
        kind="deceased",
        event_on=dt.date(2026, 5, 10),
        by=personas.user("kangning"),
    )
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.STOPPED
    assert entitlement.end_on == dt.date(2026, 5, 10)
    event = entitlement.events.get(kind="stopped")
    assert event.effective_on == dt.date(2026, 5, 11)
    assert event.source == f"ltc.status_report:{report.pk}"


def test_status_report_improved_opens_a_reassessment(personas) -> None:
    from jingban.providers.models import Institution

    entitlement = granted(personas)
    institution = Institution.objects.get(organisation__code="SZ-CARE-KN")
    services.report_status(
        entitlement,
        institution_id=institution.pk,
        kind="improved",
        event_on=dt.date(2026, 5, 10),
        by=personas.user("kangning"),
    )
    assert Case.objects.get(entitlement=entitlement).trigger == Trigger.STATUS_REPORT
    entitlement.refresh_from_db()
    assert entitlement.status == EntitlementStatus.ACTIVE


def test_severity_labels_on_entitlement(personas) -> None:
    entitlement = granted(personas, level=2)
    assert entitlement.severity == "moderate"
    # Suzhou: moderate valid 12 months.
    assert entitlement.end_on == dt.date(2027, 3, 31)
