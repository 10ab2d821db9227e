"""The intake of a long-term care case, service by service: the application (case number,
acceptance deadline in working days, a deceased applicant refused with nothing stored), each
acceptance condition of the pack (changing the pack parameter changes the outcome), the state
machine of the part (every allowed and forbidden transition), the draw (recusal, not enough
candidates), the scoring form (level by the standard, a score out of range named) and the
experts' review (two confirmations conclude, the same expert cannot confirm twice, a return
draws a new round)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from jingban.core.errors import Conflict, Forbidden, ValidationFailed
from jingban.core.models import ActionLog, Organisation, Region, Scheme, User
from jingban.core.roles import Role
from jingban.core.services.accounts import create_account
from jingban.core.services.calendar import seed_from_chinese_calendar
from jingban.engine.policy.families.ltc import LtcRules, MaterialKind, SelfGrade
from jingban.ltc import policy, transitions
from jingban.ltc import services_intake as svc
from jingban.ltc.models import Assessment, AssessmentStatus, Case, CaseEvent, CaseStatus
from jingban.ltc.models_intake import Review
from jingban.registry.models import Enrollment, Person
from jingban.workforce.models import (
    Affiliation,
    AffiliationKind,
    Assessor,
    AssessorClass,
    Draw,
    Qualification,
    QualificationKind,
)
from jingban.workforce.services import NotEnoughCandidates
from jingban.workforce.synth import staff_id

RR = svc.RefusalReason
DAY = dt.date(2026, 3, 2)
DEPENDENT = {
    k: "dependent" for k in ("eating", "continence", "bathing", "dressing", "toilet", "transfer")
}
# A severe ADL picture with intact cognition and perception: level 3 by the national table.
SCORES: dict[str, object] = {
    "adl_feeding": 5,
    "adl_dressing": 0,
    "adl_grooming": 0,
    "adl_bowel": 5,
    "adl_bladder": 5,
    "adl_toilet": 0,
    "adl_walking": 0,
    "adl_transfer": 5,
    "adl_stairs": 0,
    "adl_bathing": 0,
    "cog_time": 4,
    "cog_person": 4,
    "cog_place": 4,
    "cog_memory": 4,
    "per_vision": 4,
    "per_hearing": 4,
    "per_communication": 4,
}


@pytest.fixture
def world(empty_database: None):
    province = Region.objects.create(code="320000", name="江苏省", level="province")
    city = Region.objects.create(code="320500", name="苏州市", level="city", parent=province)
    county = Region.objects.create(code="320506", name="吴中区", level="county", parent=city)
    care = Organisation.objects.create(
        code="T-CARE", name="甲护理院", kind="care_institution", region=county
    )
    centre = Organisation.objects.create(
        code="T-ASMT", name="评估中心", kind="assessment", region=city
    )
    scheme = Scheme.objects.create(
        code="ltc", kind="ltc", name_zh="长期护理保险", name_en="Long-term care"
    )
    operator = create_account(
        username="t-op", password="x-pass-123456", role=Role.OPERATOR, region=city, acting_user=None
    )
    person = Person.objects.create(
        document_type="resident_id",
        document_number=staff_id("320506", 1, base=dt.date(1940, 1, 1)),
        name="申请人",
        sex="F",
        birth_date=dt.date(1940, 1, 1),
        region=county,
    )
    for year in (2023, 2024, 2025, 2026):
        Enrollment.objects.create(
            person=person, scheme=scheme, year=year, status="active", since=dt.date(year, 1, 1)
        )
    staff: dict[str, Assessor] = {}
    users: dict[str, User] = {}
    for i, (name, klass) in enumerate(
        [
            ("甲评估", AssessorClass.ASSESSOR),
            ("乙评估", AssessorClass.ASSESSOR),
            ("丙专家", AssessorClass.EXPERT),
            ("丁专家", AssessorClass.EXPERT),
        ]
    ):
        account = create_account(
            username=f"t-as{i}",
            password="x-pass-123456",
            role=Role.ASSESSOR,
            region=city,
            organisation=centre,
            acting_user=None,
        )
        staff[name] = Assessor.objects.create(
            name=name,
            klass=klass,
            document_number=staff_id("320500", 500 + i, base=dt.date(1980, 1, 1)),
            organisation=centre,
            account=account,
        )
        Qualification.objects.create(
            assessor=staff[name],
            kind=QualificationKind.LTC_ASSESSOR
            if klass == AssessorClass.ASSESSOR
            else QualificationKind.LTC_EXPERT,
            certificate_number=f"PG-T-{i:05d}",
            issued_on=dt.date(2024, 1, 1),
        )
        users[name] = account
    return {
        "care": care,
        "centre": centre,
        "op": operator,
        "person": person,
        "county": county,
        "staff": staff,
        "users": users,
        "scheme": scheme,
    }


def _apply(world, **kw) -> Case:
    data = svc.ApplicationInput(
        person=kw.pop("person", world["person"]),
        channel=kw.pop("channel", "window"),
        received_on=kw.pop("received_on", DAY),
        disability_since=kw.pop("disability_since", dt.date(2025, 6, 1)),
        answers=kw.pop("answers", DEPENDENT),
        care_institution=kw.pop("care_institution", None),
    )
    return svc.apply(data, acting_user=world["op"])


def _rules(**acceptance) -> LtcRules:
    _pack, rules = policy.city_rules("320506", DAY)
    return rules.model_copy(update={"acceptance": rules.acceptance.model_copy(update=acceptance)})


def _reasons(case: Case, rules: LtcRules) -> set[str]:
    return {p.reason for p in svc.acceptance_problems(case, rules)}


# --- Application ---------------------------------------------------------------------------


def test_an_application_gets_a_number_a_grade_and_a_deadline_in_working_days(world) -> None:
    seed_from_chinese_calendar([2026], acting_user=None)
    case = _apply(world, received_on=dt.date(2026, 9, 28))
    # 5 working days from Monday 28 September 2026: 29, 30 September, then the National Day
    # holiday (1–7 October), 8 and 9 October, and Saturday 10 October, a working day (调休).
    assert case.due_on == dt.date(2026, 10, 10)
    assert case.number == "长护2026-000001"
    assert case.status == CaseStatus.APPLIED
    assert case.self_assessment_grade == "G"
    assert _apply(world, received_on=dt.date(2026, 9, 28)).number == "长护2026-000002"
    assert ActionLog.objects.filter(action="ltc.case.applied").count() == 2
    assert CaseEvent.objects.filter(case=case, to_status=CaseStatus.APPLIED).count() == 1


def test_an_application_for_a_deceased_person_is_refused_and_nothing_stored(world) -> None:
    world["person"].death_date = dt.date(2026, 2, 1)
    world["person"].save()
    with translation.override("en"), pytest.raises(ValidationFailed) as error:
        _apply(world)
    assert "person" in error.value.fields
    with translation.override("en"):
        assert "deceased" in str(error.value.fields["person"][0])
    assert not Case.objects.exists()
    assert not ActionLog.objects.filter(action="ltc.case.applied").exists()


def test_an_incomplete_self_assessment_names_the_item_and_stores_nothing(world) -> None:
    answers = dict(DEPENDENT)
    answers["bathing"] = "sometimes"
    with pytest.raises(ValidationFailed) as error:
        _apply(world, answers=answers)
    assert "self_bathing" in error.value.fields
    assert not Case.objects.exists()


# --- Acceptance conditions, each a pack parameter ------------------------------------------


def test_enrolment_months_follow_the_pack(world) -> None:
    case = _apply(world)  # enrolled since 2023-01-01: 38 months on 2026-03-02
    assert RR.ENROLLED_TOO_SHORT not in _reasons(case, _rules(min_enrolled_months=38))
    assert RR.ENROLLED_TOO_SHORT in _reasons(case, _rules(min_enrolled_months=39))


def test_not_enrolled_is_refused(world) -> None:
    Enrollment.objects.filter(year=2026).delete()
    case = _apply(world)
    assert RR.NOT_ENROLLED in _reasons(case, _rules())


def test_disability_months_follow_the_pack(world) -> None:
    case = _apply(world, disability_since=dt.date(2025, 12, 2))  # 3 months
    assert RR.DISABILITY_TOO_SHORT in _reasons(case, _rules(min_disability_months=4))
    assert RR.DISABILITY_TOO_SHORT not in _reasons(case, _rules(min_disability_months=3))


def test_a_new_application_soon_after_a_decided_case_follows_the_pack(world) -> None:
    old = _apply(world, received_on=dt.date(2025, 6, 2))
    Case.objects.filter(pk=old.pk).update(status=CaseStatus.DECIDED)
    case = _apply(world)
    assert RR.TOO_SOON in _reasons(case, _rules(reapply_after_months=6))
    assert RR.TOO_SOON not in _reasons(case, _rules(reapply_after_months=0))


def test_the_self_assessment_grade_follows_the_pack(world) -> None:
    answers = {**DEPENDENT, "eating": "independent", "continence": "independent"}
    case = _apply(world, answers=answers)  # 1 a + 3 b dependent: grade E
    assert case.self_assessment_grade == "E"
    assert RR.SELF_GRADE not in _reasons(case, _rules())
    assert RR.SELF_GRADE in _reasons(case, _rules(self_assessment_grades=(SelfGrade.G,)))


def test_accept_refuses_with_the_reason_and_changes_nothing(world) -> None:
    case = _apply(world, disability_since=dt.date(2026, 1, 5))
    with translation.override("en"), pytest.raises(Conflict) as error:
        svc.accept(case, acting_user=world["op"], day=DAY, paper_checked=True)
    assert "Disabled for 1 months; at least 6 months are needed." in str(error.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.APPLIED
    assert not case.materials.exists()  # the paper check is kept only with the acceptance
    assert not ActionLog.objects.filter(action="ltc.case.accepted").exists()


def test_accept_sets_the_on_site_deadline_and_fixes_the_pack(world) -> None:
    case = svc.accept(_apply(world), acting_user=world["op"], day=DAY, paper_checked=True)
    assert case.status == CaseStatus.ACCEPTED
    assert case.pack_id == "suzhou-ltc"
    assert case.due_on == dt.date(2026, 3, 16)  # 10 working days from Monday 2 March


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<<>>\n%%EOF\n"


def _pdf(name: str):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_the_required_materials_follow_the_pack(world) -> None:
    case = _apply(world)
    assert RR.MATERIALS in _reasons(case, _rules())
    assert RR.MATERIALS not in _reasons(case, _rules(materials=()))
    # The agent's authorisation only when an agent applies.
    assert MaterialKind.AGENT_AUTHORISATION not in svc.missing_materials(case, _rules())
    assert svc.missing_materials(case, _rules()) == [
        MaterialKind.APPLICATION_FORM,
        MaterialKind.IDENTITY,
        MaterialKind.MEDICAL_RECORDS,
    ]


def test_accept_refuses_naming_the_missing_materials(world, settings, tmp_path) -> None:
    settings.FILES_DIR = tmp_path / "files"
    case = _apply(world)
    svc.add_material(case, "application_form", _pdf("申请表.pdf"), acting_user=world["op"])
    svc.add_material(case, "identity", _pdf("身份证.pdf"), acting_user=world["op"])
    with pytest.raises(Conflict) as error:
        svc.accept(case, acting_user=world["op"], day=DAY)
    assert "近期病历或诊断证明" in str(error.value)
    assert "身份证件" not in str(error.value)
    with translation.override("en"), pytest.raises(Conflict) as error:
        svc.accept(case, acting_user=world["op"], day=DAY)
    assert "Materials missing: Recent medical records or diagnosis." in str(error.value)
    case.refresh_from_db()
    assert case.status == CaseStatus.APPLIED
    assert not ActionLog.objects.filter(action="ltc.case.accepted").exists()

    svc.add_material(case, "medical_records", _pdf("病历.pdf"), acting_user=world["op"])
    case = svc.accept(case, acting_user=world["op"], day=DAY)
    assert case.status == CaseStatus.ACCEPTED
    assert set(case.materials.values_list("kind", "on_paper")) == {
        ("application_form", False),
        ("identity", False),
        ("medical_records", False),
    }
    assert ActionLog.objects.filter(action="ltc.material.added").count() == 3
    accepted = ActionLog.objects.get(action="ltc.case.accepted")
    assert accepted.after["materials_on_paper"] == []


def test_paper_originals_checked_at_the_window_stand_for_missing_uploads(world) -> None:
    case = _apply(world)
    case = svc.accept(case, acting_user=world["op"], day=DAY, paper_checked=True)
    assert case.status == CaseStatus.ACCEPTED
    assert sorted(
        case.materials.filter(on_paper=True, file=None).values_list("kind", flat=True)
    ) == [
        "application_form",
        "identity",
        "medical_records",
    ]
    accepted = ActionLog.objects.get(action="ltc.case.accepted")
    assert accepted.after["materials_on_paper"] == [
        "application_form",
        "identity",
        "medical_records",
    ]


def test_a_material_needs_a_known_kind_a_good_file_and_a_waiting_case(
    world, settings, tmp_path
) -> None:
    from jingban.core.errors import Conflict as Refused
    from jingban.files.models import StoredFile

    settings.FILES_DIR = tmp_path / "files"
    case = _apply(world)
    with pytest.raises(ValidationFailed) as error:
        svc.add_material(case, "passport_photo", _pdf("照片.pdf"), acting_user=world["op"])
    assert "kind" in error.value.fields
    with pytest.raises(ValidationFailed) as error:
        svc.add_material(case, "identity", None, acting_user=world["op"])
    assert "file" in error.value.fields
    assert not case.materials.exists() and not StoredFile.objects.exists()
    case = svc.accept(case, acting_user=world["op"], day=DAY, paper_checked=True)
    with pytest.raises(Refused):
        svc.add_material(case, "identity", _pdf("身份证.pdf"), acting_user=world["op"])
    assert not StoredFile.objects.exists()


def test_refuse_needs_a_reason_and_records_it(world) -> None:
    case = _apply(world)
    with pytest.raises(ValidationFailed):
        svc.refuse(case, reason="nonsense", note="", acting_user=world["op"])
    with pytest.raises(ValidationFailed):
        svc.refuse(case, reason=RR.OTHER, note=" ", acting_user=world["op"])
    case = svc.refuse(case, reason=RR.MATERIALS, note="缺身份证", acting_user=world["op"])
    assert (case.status, case.refusal_reason) == (CaseStatus.REFUSED, RR.MATERIALS)
    assert ActionLog.objects.filter(action="ltc.case.refused").count() == 1


# --- State machine -------------------------------------------------------------------------


PART = [
    CaseStatus.APPLIED,
    CaseStatus.ACCEPTED,
    CaseStatus.DISPATCHED,
    CaseStatus.ASSESSED,
    CaseStatus.CONCLUDED,
    CaseStatus.REFUSED,
    CaseStatus.WITHDRAWN,
]
ALLOWED = {
    (CaseStatus.APPLIED, CaseStatus.ACCEPTED),
    (CaseStatus.APPLIED, CaseStatus.REFUSED),
    (CaseStatus.APPLIED, CaseStatus.WITHDRAWN),
    (CaseStatus.ACCEPTED, CaseStatus.DISPATCHED),
    (CaseStatus.ACCEPTED, CaseStatus.WITHDRAWN),
    (CaseStatus.DISPATCHED, CaseStatus.ASSESSED),
    (CaseStatus.DISPATCHED, CaseStatus.WITHDRAWN),
    (CaseStatus.ASSESSED, CaseStatus.CONCLUDED),
    (CaseStatus.ASSESSED, CaseStatus.DISPATCHED),
}


def test_every_transition_of_the_part(world) -> None:
    case = _apply(world)
    for current in PART:
        for new in PART:
            Case.objects.filter(pk=case.pk).update(status=current)
            case.refresh_from_db()
            events = CaseEvent.objects.filter(case=case).count()
            if (current, new) in ALLOWED:
                transitions.move(case, new, by=world["op"])
                case.refresh_from_db()
                assert case.status == new, (current, new)
                assert CaseEvent.objects.filter(case=case).count() == events + 1
            else:
                with pytest.raises(transitions.TransitionRefused) as error:
                    transitions.move(case, new, by=world["op"])
                assert str(error.value), (current, new)
                case.refresh_from_db()
                assert case.status == current, (current, new)
                assert CaseEvent.objects.filter(case=case).count() == events


def test_services_refuse_a_step_out_of_order(world) -> None:
    case = _apply(world)
    with pytest.raises(transitions.TransitionRefused):
        svc.dispatch(case, acting_user=world["op"], day=DAY)
    svc.refuse(case, reason=RR.MATERIALS, note="", acting_user=world["op"])
    with pytest.raises(transitions.TransitionRefused):
        svc.accept(case, acting_user=world["op"], day=DAY, paper_checked=True)
    with pytest.raises(transitions.TransitionRefused):
        svc.withdraw(case, note="", acting_user=world["op"])
    assert not Draw.objects.exists()


# --- Dispatch, scoring and review ----------------------------------------------------------


def _dispatched(world, **kw) -> Assessment:
    case = svc.accept(_apply(world, **kw), acting_user=world["op"], day=DAY, paper_checked=True)
    return svc.dispatch(case, acting_user=world["op"], day=DAY)


def _drawn_user(world, assessment: Assessment) -> User:
    return assessment.assessors.order_by("pk").first().account


def test_dispatch_draws_one_assessor_and_one_expert(world) -> None:
    assessment = _dispatched(world)
    klasses = sorted(a.klass for a in assessment.assessors.all())
    assert klasses == ["assessor", "expert"]
    assert assessment.round == 1
    assert assessment.case.status == CaseStatus.DISPATCHED
    assert assessment.due_on == dt.date(2026, 3, 16)


def test_an_assessor_of_the_care_institution_is_never_drawn(world) -> None:
    tied = world["staff"]["甲评估"]
    Affiliation.objects.create(
        assessor=tied,
        organisation=world["care"],
        kind=AffiliationKind.EMPLOYED,
        valid_from=dt.date(2024, 1, 1),
    )
    for _ in range(4):
        assessment = _dispatched(world, care_institution=world["care"])
        assert tied not in assessment.assessors.all()


def test_not_enough_candidates_stores_nothing(world) -> None:
    Assessor.objects.filter(klass=AssessorClass.EXPERT).update(status="inactive")
    case = svc.accept(_apply(world), acting_user=world["op"], day=DAY, paper_checked=True)
    with pytest.raises(NotEnoughCandidates):
        svc.dispatch(case, acting_user=world["op"], day=DAY)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert not Assessment.objects.exists()
    assert not Draw.objects.exists()


def test_scores_give_the_level_and_only_the_drawn_may_enter_them(world) -> None:
    assessment = _dispatched(world)
    outsider = next(
        a.account for a in world["staff"].values() if a not in assessment.assessors.all()
    )
    data = svc.ScoresInput(scores=SCORES, visited_on=DAY)
    with pytest.raises(Forbidden):
        svc.submit_scores(assessment, data, acting_user=outsider)
    done = svc.submit_scores(assessment, data, acting_user=_drawn_user(world, assessment))
    assert (done.adl_total, done.cognition_total, done.perception_total) == (20, 16, 12)
    assert done.level == 3
    assert done.status == AssessmentStatus.SUBMITTED
    assert done.case.status == CaseStatus.ASSESSED


def test_a_score_out_of_range_is_refused_naming_the_item(world) -> None:
    assessment = _dispatched(world)
    bad = {**SCORES, "adl_walking": 20}
    with pytest.raises(ValidationFailed) as error:
        svc.submit_scores(
            assessment, svc.ScoresInput(scores=bad), acting_user=_drawn_user(world, assessment)
        )
    assert "item_adl_walking" in error.value.fields
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PENDING
    assert assessment.level is None


def _assessed(world) -> Assessment:
    assessment = _dispatched(world)
    return svc.submit_scores(
        assessment,
        svc.ScoresInput(scores=SCORES, visited_on=DAY),
        acting_user=_drawn_user(world, assessment),
    )


def test_two_experts_conclude_and_the_same_cannot_confirm_twice(world) -> None:
    assessment = _assessed(world)
    first, second = world["users"]["丙专家"], world["users"]["丁专家"]
    with pytest.raises(Forbidden):
        svc.review(assessment, confirm=True, note="", acting_user=world["users"]["甲评估"])
    svc.review(assessment, confirm=True, note="", acting_user=first)
    with pytest.raises(Conflict):
        svc.review(assessment, confirm=True, note="", acting_user=first)
    assessment.refresh_from_db()
    assert assessment.case.status == CaseStatus.ASSESSED
    svc.review(assessment, confirm=True, note="同意", acting_user=second)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.CONFIRMED
    assert assessment.case.status == CaseStatus.CONCLUDED
    assert Review.objects.filter(assessment=assessment).count() == 2
    assert ActionLog.objects.filter(action="ltc.assessment.reviewed").count() == 2


def test_a_return_draws_a_new_round_without_the_earlier_assessors(world) -> None:
    assessment = _assessed(world)
    # Add fresh staff so that a round without the earlier two can be drawn.
    for i, klass in enumerate([AssessorClass.ASSESSOR, AssessorClass.EXPERT]):
        fresh = Assessor.objects.create(
            name=f"新{i}",
            klass=klass,
            document_number=staff_id("320500", 700 + i, base=dt.date(1980, 1, 1)),
            organisation=world["centre"],
        )
        Qualification.objects.create(
            assessor=fresh,
            kind=QualificationKind.LTC_ASSESSOR
            if klass == AssessorClass.ASSESSOR
            else QualificationKind.LTC_EXPERT,
            certificate_number=f"PG-N-{i:05d}",
            issued_on=dt.date(2024, 1, 1),
        )
    earlier = set(assessment.assessors.all())
    with pytest.raises(ValidationFailed):
        svc.review(assessment, confirm=False, note=" ", acting_user=world["users"]["丙专家"])
    svc.review(assessment, confirm=False, note="需复访", acting_user=world["users"]["丙专家"])
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.RETURNED
    case = assessment.case
    assert case.status == CaseStatus.DISPATCHED
    new = case.assessments.get(round=2)
    assert not (set(new.assessors.all()) & earlier)


def test_a_bad_evidence_file_refuses_the_submission_and_changes_nothing(world) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from jingban.files.models import StoredFile

    assessment = _dispatched(world)
    bad = SimpleUploadedFile("照片.jpg", b"MZ this is not a photo", content_type="image/jpeg")
    with pytest.raises(ValidationFailed) as error:
        svc.submit_scores(
            assessment,
            svc.ScoresInput(scores=SCORES, visited_on=DAY, evidence=[bad]),
            acting_user=_drawn_user(world, assessment),
        )
    assert "file" in error.value.fields
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.PENDING
    assert assessment.case.status == CaseStatus.DISPATCHED
    assert not StoredFile.objects.exists()


def test_reminders_come_before_the_deadlines(world) -> None:
    from jingban.core.calendar import add_working_days
    from jingban.ltc import reminders_intake

    case = _apply(world)
    assert case.due_on is not None
    remind_from = add_working_days(case.due_on, -1)  # Suzhou: 1 working day ahead
    assert not [r for r in reminders_intake.due(DAY) if r.key.startswith("ltc.case.accept")]
    found = [r for r in reminders_intake.due(remind_from) if r.key == f"ltc.case.accept:{case.pk}"]
    assert [r.user_id for r in found] == [world["op"].pk]
    assessment = svc.dispatch(
        svc.accept(case, acting_user=world["op"], day=DAY, paper_checked=True),
        acting_user=world["op"],
        day=DAY,
    )
    assert assessment.due_on is not None
    visit = [
        r
        for r in reminders_intake.due(add_working_days(assessment.due_on, -2))
        if r.key == f"ltc.assessment.visit:{assessment.pk}"
    ]
    assert {r.user_id for r in visit} == {a.account_id for a in assessment.assessors.all()}
    assert not [r for r in reminders_intake.due(DAY) if r.key.startswith("ltc.assessment")]


def test_withdrawal_before_the_visit_closes_the_round(world) -> None:
    assessment = _dispatched(world)
    case = svc.withdraw(assessment.case, note="家属撤回", acting_user=world["op"])
    assessment.refresh_from_db()
    assert case.status == CaseStatus.WITHDRAWN and case.due_on is None
    assert assessment.status == AssessmentStatus.RETURNED
    with pytest.raises(Conflict):
        svc.submit_scores(
            assessment,
            svc.ScoresInput(scores=SCORES, visited_on=DAY),
            acting_user=_drawn_user(world, assessment),
        )


def test_a_return_without_enough_new_assessors_stores_nothing(world) -> None:
    assessment = _assessed(world)
    # Without fresh staff, a round without the earlier two lacks an expert... once the other
    # expert is made inactive.
    spare = world["staff"]["丁专家"]
    reviewer = world["users"]["丙专家"]
    if spare in assessment.assessors.all():
        spare, reviewer = world["staff"]["丙专家"], world["users"]["丁专家"]
    Assessor.objects.filter(pk=spare.pk).update(status="inactive")
    with pytest.raises(NotEnoughCandidates):
        svc.review(assessment, confirm=False, note="需复访", acting_user=reviewer)
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.SUBMITTED
    assert assessment.case.status == CaseStatus.ASSESSED
    assert not Review.objects.exists()
    assert Draw.objects.count() == 1
