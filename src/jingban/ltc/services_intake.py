"""The intake of a long-term care case: application → acceptance → dispatch → on-site
assessment → expert review (复核), i.e. a case from ``applied`` to ``concluded`` (or
``refused`` / ``withdrawn``).

Every number comes from the packs: the city's ``ltc`` pack (``LtcRules``: acceptance
conditions and deadlines, how many assessors and experts) and the national standard
(``LtcAssessmentRules``: items, allowed scores, bands, combination table, self-assessment
grades). Deadlines count Chinese working days (``core.calendar``).

Each step is one transaction holding a lock on the case; it moves the case through
``transitions.move`` (which records the ``CaseEvent``) and writes its action log entry. A step
that is refused changes nothing.

Who may review (复核): any active assessment expert (``AssessorClass.EXPERT``) with a user
account in the acting user's scope, the drawn expert included (a city rarely has more experts
than a review needs); each expert gives one verdict per round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog.writing import log_action
from jingban.core.calendar import add_working_days
from jingban.core.calendar import today as local_today
from jingban.core.errors import Conflict, Forbidden, ValidationFailed
from jingban.core.models import Organisation, User
from jingban.engine.ltc import scoring
from jingban.engine.policy.families.ltc import (
    MATERIAL_LABELS,
    Dimension,
    LtcAssessmentRules,
    LtcRules,
    MaterialKind,
    SelfGrade,
)
from jingban.ltc import numbers, transitions
from jingban.ltc.models import (
    Assessment,
    AssessmentStatus,
    Case,
    CaseStatus,
    Channel,
    Instrument,
)
from jingban.ltc.models_intake import Material, Review, Verdict
from jingban.ltc.policy import SCHEME, case_rules, city_rules, standard
from jingban.registry.models import Enrollment, EnrollmentStatus, Person
from jingban.workforce.models import Assessor, AssessorClass, StaffStatus

# --- Months ---------------------------------------------------------------------------------------


def months_between(start: dt.date, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (2026-01-15 → 2026-07-14 is 5)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def enrolled_since(person: Person, day: dt.date) -> dt.date | None:
    """The start of the person's continuous LTC enrolment up to ``day`` (years in a row with an
    active enrolment, the year of ``day`` included), or None when not enrolled that year."""
    rows = dict(
        Enrollment.objects.filter(
            person=person,
            scheme__code=SCHEME,
            status=EnrollmentStatus.ACTIVE,
            year__lte=day.year,
        ).values_list("year", "since")
    )
    if day.year not in rows:
        return None
    year = day.year
    while year - 1 in rows:
        year -= 1
    since: dt.date = rows[year]
    return since if since <= day else None


# --- Application ----------------------------------------------------------------------------------


class RefusalReason:
    """Why an application is not accepted (``Case.refusal_reason``)."""

    NOT_ENROLLED = "not_enrolled"
    ENROLLED_TOO_SHORT = "enrolled_too_short"
    DISABILITY_TOO_SHORT = "disability_too_short"
    TOO_SOON = "too_soon"
    SELF_GRADE = "self_grade"
    MATERIALS = "materials"
    OTHER = "other"


REFUSAL_LABELS: dict[str, Promise] = {
    RefusalReason.NOT_ENROLLED: _("Not enrolled in long-term care insurance"),
    RefusalReason.ENROLLED_TOO_SHORT: _("Not enrolled long enough before the application"),
    RefusalReason.DISABILITY_TOO_SHORT: _("Disabled for too short a time"),
    RefusalReason.TOO_SOON: _("Too soon after the last assessment conclusion"),
    RefusalReason.SELF_GRADE: _("The self-assessment grade does not allow an assessment"),
    RefusalReason.MATERIALS: _("Materials incomplete"),
    RefusalReason.OTHER: _("Other reason"),
}


@dataclass(frozen=True)
class Problem:
    """One acceptance condition the application fails, with its translated explanation."""

    reason: str
    message: str


@dataclass
class ApplicationInput:
    person: Person
    channel: str
    received_on: dt.date
    disability_since: dt.date | None
    answers: Mapping[str, str]
    care_institution: Organisation | None = None
    agent: Person | None = None
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def _self_grade(rules: LtcAssessmentRules, answers: Mapping[str, str]) -> SelfGrade:
    try:
        return scoring.self_assessment(rules, answers)
    except scoring.ScoreInvalid as error:
        item = rules.self_assessment.items.get(error.item)
        name = item.label.zh if item is not None else error.item
        raise ValidationFailed(
            fields={
                f"self_{error.item}": [
                    _("%(item)s: choose independent, partly dependent or dependent.")
                    % {"item": name}
                ]
            }
        ) from None


def apply(data: ApplicationInput, *, acting_user: User) -> Case:
    """Record an application (status ``applied``), with its self-assessment grade and the
    acceptance deadline. A deceased applicant, a date in the future or an incomplete
    self-assessment is refused with nothing stored."""
    person = data.person
    errors: dict[str, list[Promise | str]] = {}
    if person.death_date is not None and person.death_date <= data.received_on:
        errors["person"] = [_("The applicant is recorded as deceased; no application is taken.")]
    if data.channel not in Channel.values:
        errors["channel"] = [_("Choose how the application reached the centre.")]
    if data.received_on > local_today():
        errors["received_on"] = [_("The day of receipt cannot be in the future.")]
    if data.disability_since is not None and data.disability_since > data.received_on:
        errors["disability_since"] = [_("The disability cannot start after the application.")]
    if errors:
        raise ValidationFailed(fields=errors)
    region = person.region
    _pack, city = city_rules(region.code, data.received_on)
    _spack, std = standard(region.code, data.received_on)
    grade = _self_grade(std, data.answers)
    due = add_working_days(data.received_on, city.acceptance.accept_within)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                case = Case.objects.create(
                    number=numbers.next_number(data.received_on),
                    person=person,
                    region=region,
                    region_path=region.path,
                    channel=data.channel,
                    agent=data.agent,
                    care_institution=data.care_institution,
                    received_on=data.received_on,
                    disability_since=data.disability_since,
                    self_assessment_grade=grade.value,
                    self_assessment={str(k): str(v) for k, v in data.answers.items()},
                    due_on=due,
                    created_by=acting_user,
                )
                case.events.create(
                    from_status="", to_status=CaseStatus.APPLIED, by=acting_user, note=data.note
                )
                log_action(
                    acting_user=acting_user,
                    action="ltc.case.applied",
                    object_type="ltc.case",
                    object_id=case.pk,
                    region_path=case.region_path,
                    after={
                        "number": case.number,
                        "channel": case.channel,
                        "received_on": case.received_on.isoformat(),
                        "self_assessment_grade": grade.value,
                        "due_on": due.isoformat(),
                        "agent": data.agent.pk if data.agent else None,
                    },
                )
                return case
        except IntegrityError:
            continue
    raise Conflict()


# --- Acceptance -----------------------------------------------------------------------------------


def acceptance_problems(case: Case, rules: LtcRules) -> list[Problem]:
    """Every acceptance condition of the pack the application fails, with its reason."""
    acc = rules.acceptance
    day = case.received_on
    found: list[Problem] = []
    since = enrolled_since(case.person, day)
    if since is None:
        found.append(
            Problem(
                RefusalReason.NOT_ENROLLED,
                str(_("The applicant is not enrolled in long-term care insurance.")),
            )
        )
    elif acc.min_enrolled_months and months_between(since, day) < acc.min_enrolled_months:
        found.append(
            Problem(
                RefusalReason.ENROLLED_TOO_SHORT,
                str(
                    _(
                        "Enrolled since %(since)s: %(months)s months, %(needed)s months are "
                        "needed before applying."
                    )
                    % {
                        "since": since.isoformat(),
                        "months": months_between(since, day),
                        "needed": acc.min_enrolled_months,
                    }
                ),
            )
        )
    if acc.min_disability_months:
        if case.disability_since is None:
            found.append(
                Problem(
                    RefusalReason.DISABILITY_TOO_SHORT,
                    str(_("The application does not say since when the person is disabled.")),
                )
            )
        elif months_between(case.disability_since, day) < acc.min_disability_months:
            found.append(
                Problem(
                    RefusalReason.DISABILITY_TOO_SHORT,
                    str(
                        _("Disabled for %(months)s months; at least %(needed)s months are needed.")
                        % {
                            "months": months_between(case.disability_since, day),
                            "needed": acc.min_disability_months,
                        }
                    ),
                )
            )
    if acc.reapply_after_months:
        last = (
            Case.objects.filter(person=case.person, status=CaseStatus.DECIDED)
            .exclude(pk=case.pk)
            .order_by("-updated_at")
            .values_list("updated_at", flat=True)
            .first()
        )
        if last is not None:
            last_day = timezone.localdate(last)
            if months_between(last_day, day) < acc.reapply_after_months:
                found.append(
                    Problem(
                        RefusalReason.TOO_SOON,
                        str(
                            _(
                                "The last conclusion was on %(day)s; a new application may "
                                "come %(needed)s months after it."
                            )
                            % {"day": last_day.isoformat(), "needed": acc.reapply_after_months}
                        ),
                    )
                )
    missing = missing_materials(case, rules)
    if missing:
        found.append(
            Problem(
                RefusalReason.MATERIALS,
                str(
                    _(
                        "Materials missing: %(kinds)s. Upload them, or record that their paper "
                        "originals were checked at the window."
                    )
                    % {"kinds": "、".join(material_label(k) for k in missing)}
                ),
            )
        )
    if case.self_assessment_grade not in {g.value for g in acc.self_assessment_grades}:
        found.append(
            Problem(
                RefusalReason.SELF_GRADE,
                str(
                    _(
                        "The self-assessment grade %(grade)s is not one of the grades that may "
                        "apply for an assessment."
                    )
                    % {"grade": grade_label(case.self_assessment_grade)}
                ),
            )
        )
    return found


# --- Materials ------------------------------------------------------------------------------------


def material_label(kind: str) -> str:
    """A material's kind as the pages show it (Chinese or English, as the grades)."""
    from django.utils.translation import get_language

    try:
        zh, en = MATERIAL_LABELS[MaterialKind(kind)]
    except (ValueError, KeyError):
        return kind
    return zh if (get_language() or "zh-hans").startswith("zh") else en


def required_materials(case: Case, rules: LtcRules) -> list[MaterialKind]:
    """The kinds the pack requires of this application (the agent's only when an agent
    applies)."""
    return [
        kind
        for kind in rules.acceptance.materials
        if kind != MaterialKind.AGENT_AUTHORISATION or case.agent_id is not None
    ]


def missing_materials(case: Case, rules: LtcRules) -> list[MaterialKind]:
    """The required kinds with neither an upload nor a paper original checked at the window."""
    present = set(Material.objects.filter(case=case).values_list("kind", flat=True))
    return [kind for kind in required_materials(case, rules) if kind.value not in present]


def add_material(
    case: Case, kind: str, upload: UploadedFile | None, *, acting_user: User
) -> Material:
    """Attach an uploaded material of ``kind`` to an application waiting for acceptance (the
    files app checks the file and logs the upload; ``ltc.material.added`` names its kind)."""
    from jingban.files.services import attach_file

    if kind not in {k.value for k in MaterialKind}:
        raise ValidationFailed(fields={"kind": [_("Choose the kind of material.")]})
    with transaction.atomic():
        case = _locked(case)
        if case.status != CaseStatus.APPLIED:
            raise Conflict(_("Materials are added while the application waits for acceptance."))
        stored = attach_file("ltc.case", str(case.pk), upload, acting_user=acting_user)
        material = Material.objects.create(case=case, kind=kind, file=stored, by=acting_user)
        log_action(
            acting_user=acting_user,
            action="ltc.material.added",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            after={"kind": kind, "file": stored.pk},
        )
    return material


def grade_label(grade: str) -> str:
    """The grade as the pages show it (甲等 … in Chinese, grade A … in English)."""
    from django.utils.translation import get_language

    from jingban.engine.policy.families.ltc import SELF_GRADE_LABELS

    try:
        zh, en = SELF_GRADE_LABELS[SelfGrade(grade)]
    except (ValueError, KeyError):
        return grade
    return zh if (get_language() or "zh-hans").startswith("zh") else en


def check(case: Case) -> list[Problem]:
    """The acceptance problems of ``case`` under its region's pack on its day of receipt."""
    _pack, rules = case_rules(case)
    return acceptance_problems(case, rules)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("person", "region").get(pk=case.pk)


def accept(
    case: Case, *, acting_user: User, day: dt.date | None = None, paper_checked: bool = False
) -> Case:
    """Accept the application: every condition of the pack holds. The case's deadline becomes
    the on-site assessment's (``assessment.on_site_within`` working days from acceptance).

    A required material neither uploaded nor recorded refuses acceptance, naming it, unless
    ``paper_checked``: the operator records that the paper originals of the missing materials
    were checked at the window (a ``Material`` on paper for each, kept only if the acceptance
    goes through)."""
    day = day or local_today()
    with transaction.atomic():
        case = _locked(case)
        if not transitions.allowed(case.status, CaseStatus.ACCEPTED):
            raise transitions.refusal(case.status, CaseStatus.ACCEPTED)
        pack, rules = case_rules(case)
        on_paper = missing_materials(case, rules) if paper_checked else []
        Material.objects.bulk_create(
            Material(case=case, kind=kind.value, on_paper=True, by=acting_user) for kind in on_paper
        )
        problems = acceptance_problems(case, rules)
        if problems:
            raise Conflict(
                _("The application does not meet the conditions: %(reasons)s")
                % {"reasons": " ".join(p.message for p in problems)}
            )
        before = case.due_on
        case.pack_id, case.pack_version, case.pack_hash = pack.id, pack.version, pack.hash
        case.due_on = add_working_days(day, rules.assessment.on_site_within)
        case.save(update_fields=["pack_id", "pack_version", "pack_hash", "due_on"])
        transitions.move(case, CaseStatus.ACCEPTED, by=acting_user)
        log_action(
            acting_user=acting_user,
            action="ltc.case.accepted",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            before={"status": CaseStatus.APPLIED, "due_on": before.isoformat() if before else None},
            after={
                "status": CaseStatus.ACCEPTED,
                "due_on": case.due_on.isoformat(),
                "pack": f"{pack.id}@{pack.version}",
                "materials_on_paper": [kind.value for kind in on_paper],
            },
        )
    return case


def refuse(case: Case, *, reason: str, note: str, acting_user: User) -> Case:
    """Not accept the application, with a reason (one of ``REFUSAL_LABELS``) and a note."""
    if reason not in REFUSAL_LABELS:
        raise ValidationFailed(fields={"reason": [_("Choose a reason.")]})
    if reason == RefusalReason.OTHER and not note.strip():
        raise ValidationFailed(fields={"note": [_("Explain the reason in the note.")]})
    with transaction.atomic():
        case = _locked(case)
        transitions.move(case, CaseStatus.REFUSED, by=acting_user, note=note)
        case.refusal_reason, case.refusal_note, case.due_on = reason, note, None
        case.save(update_fields=["refusal_reason", "refusal_note", "due_on"])
        log_action(
            acting_user=acting_user,
            action="ltc.case.refused",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            before={"status": CaseStatus.APPLIED},
            after={"status": CaseStatus.REFUSED, "reason": reason},
            reason=note,
        )
    return case


def withdraw(case: Case, *, note: str, acting_user: User) -> Case:
    """The applicant withdraws the application (until the on-site visit)."""
    with transaction.atomic():
        case = _locked(case)
        before = case.status
        transitions.move(case, CaseStatus.WITHDRAWN, by=acting_user, note=note)
        case.due_on = None
        case.save(update_fields=["due_on"])
        Assessment.objects.filter(case=case, status=AssessmentStatus.PENDING).update(
            status=AssessmentStatus.RETURNED
        )
        log_action(
            acting_user=acting_user,
            action="ltc.case.withdrawn",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            before={"status": before},
            after={"status": CaseStatus.WITHDRAWN},
            reason=note,
        )
    return case


# --- Dispatch -------------------------------------------------------------------------------------


def _draw(
    case: Case, rules: LtcRules, *, acting_user: User, day: dt.date, seed: str | None = None
) -> Assessment:
    """Draw the assessors of a new round (different ones from earlier rounds) and open it."""
    from jingban.workforce import services as workforce

    process = rules.assessment
    needed = {
        AssessorClass.ASSESSOR.value: process.on_site - process.on_site_experts,
        AssessorClass.EXPERT.value: process.on_site_experts,
    }
    earlier = list(Assessor.objects.filter(ltc_assessments__case=case).values_list("pk", flat=True))
    last_round = case.assessments.order_by("-round").values_list("round", flat=True).first() or 0
    draw = workforce.draw_assessors(
        case.person,
        case.care_institution,
        acting_user=acting_user,
        needed=needed,
        previous_assessor_ids=earlier,
        exclude_previous=bool(earlier),
        seed=seed,
        day=day,
    )
    assessment = Assessment.objects.create(
        case=case,
        round=last_round + 1,
        draw=draw,
        region_path=case.region_path,
        due_on=case.due_on,
    )
    ids = [int(i) for ids in draw.result.values() for i in ids]
    assessment.assessors.set(ids)
    return assessment


def dispatch(
    case: Case, *, acting_user: User, day: dt.date | None = None, seed: str | None = None
) -> Assessment:
    """Draw the assessors for an accepted case (round 1) and send them: the case is
    ``dispatched``. Not enough candidates: ``NotEnoughCandidates``, nothing stored. ``seed``
    only for the demo (a chosen, replayable draw); otherwise the draw makes its own."""
    day = day or local_today()
    with transaction.atomic():
        case = _locked(case)
        if not transitions.allowed(case.status, CaseStatus.DISPATCHED):
            raise transitions.refusal(case.status, CaseStatus.DISPATCHED)
        _pack, rules = case_rules(case)
        before = case.status
        assessment = _draw(case, rules, acting_user=acting_user, day=day, seed=seed)
        transitions.move(case, CaseStatus.DISPATCHED, by=acting_user)
        log_action(
            acting_user=acting_user,
            action="ltc.case.dispatched",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            before={"status": before},
            after={
                "status": CaseStatus.DISPATCHED,
                "round": assessment.round,
                "draw": assessment.draw_id,
                "assessors": sorted(a.pk for a in assessment.assessors.all()),
            },
        )
    return assessment


# --- Scoring --------------------------------------------------------------------------------------


def assessor_of(user: User) -> Assessor | None:
    return Assessor.objects.filter(account=user, status=StaffStatus.ACTIVE).first()


def is_drawn(assessment: Assessment, user: User) -> bool:
    return assessment.assessors.filter(account=user).exists()


@dataclass
class ScoresInput:
    scores: Mapping[str, object]
    instrument: str = Instrument.NATIONAL
    barthel: Mapping[str, object] = field(default_factory=dict)
    visited_on: dt.date | None = None
    note: str = ""
    evidence: Sequence[UploadedFile] = ()


def _item_name(rules: LtcAssessmentRules, code: str) -> str:
    for dimension in Dimension:
        item = rules.dimensions[dimension].items.get(code)
        if item is not None:
            return str(item.label.zh)
    item = rules.barthel.items.get(code)
    return str(item.label.zh) if item is not None else code


def submit_scores(assessment: Assessment, data: ScoresInput, *, acting_user: User) -> Assessment:
    """The drawn assessors' scores of the visit: graded by the standard (totals, bands, level),
    the assessment submitted for review and the case ``assessed``. A score the item does not
    allow is refused naming the item; only an assessor drawn for this round may submit."""
    if not is_drawn(assessment, acting_user):
        raise Forbidden(_("Only the assessors drawn for this assessment may enter its scores."))
    case = assessment.case
    _spack, std = standard(case.region.code, case.received_on)
    errors: dict[str, list[Promise | str]] = {}
    if data.instrument not in Instrument.values:
        errors["instrument"] = [_("Choose the scoring instrument.")]
    visited = data.visited_on or local_today()
    if visited > local_today() or visited < case.received_on:
        errors["visited_on"] = [_("The visit must be between the application and today.")]
    try:
        grade = scoring.grade(std, data.scores)
    except scoring.ScoreInvalid as error:
        errors[f"item_{error.item}"] = [
            _("%(item)s: choose one of the allowed scores.") % {"item": _item_name(std, error.item)}
        ]
        grade = None
    barthel = None
    if data.instrument == Instrument.BARTHEL:
        try:
            barthel = scoring.barthel(std, data.barthel)
        except scoring.ScoreInvalid as error:
            errors[f"barthel_{error.item}"] = [
                _("%(item)s: choose one of the allowed scores.")
                % {"item": _item_name(std, error.item)}
            ]
    if errors or grade is None:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        case = _locked(case)
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status != AssessmentStatus.PENDING:
            raise Conflict(_("This assessment is no longer waiting for scores."))
        if not transitions.allowed(case.status, CaseStatus.ASSESSED):
            raise transitions.refusal(case.status, CaseStatus.ASSESSED)
        pack = _spack
        assessment.scores = {k: int(str(v)) for k, v in data.scores.items() if str(v).strip()}
        if barthel is not None:
            assessment.scores.update(
                {f"barthel:{k}": int(str(v)) for k, v in data.barthel.items() if str(v).strip()}
            )
        assessment.instrument = data.instrument
        assessment.adl_total = grade.adl_total
        assessment.cognition_total = grade.cognition_total
        assessment.perception_total = grade.perception_total
        assessment.barthel_total = barthel.total if barthel is not None else None
        assessment.level = int(grade.level)
        assessment.visited_on = visited
        assessment.note = data.note
        assessment.pack_id, assessment.pack_version = pack.id, pack.version
        assessment.pack_hash = pack.hash
        assessment.status = AssessmentStatus.SUBMITTED
        assessment.submitted_by = acting_user
        assessment.submitted_at = timezone.now()
        assessment.save()
        # The visit's photos and documents, on the case (checked and logged by the files app;
        # a bad file refuses the whole submission).
        from jingban.files.services import attach_file

        for upload in data.evidence:
            attach_file("ltc.case", str(case.pk), upload, acting_user=acting_user)
        transitions.move(case, CaseStatus.ASSESSED, by=acting_user)
        case.due_on = None
        case.save(update_fields=["due_on"])
        log_action(
            acting_user=acting_user,
            action="ltc.assessment.submitted",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            after={
                "round": assessment.round,
                "adl_total": grade.adl_total,
                "cognition_total": grade.cognition_total,
                "perception_total": grade.perception_total,
                "barthel_total": assessment.barthel_total,
                "level": int(grade.level),
                "pack": f"{pack.id}@{pack.version}",
            },
        )
    return assessment


# --- Review ---------------------------------------------------------------------------------------


def expert_of(user: User) -> Assessor | None:
    return Assessor.objects.filter(
        account=user, status=StaffStatus.ACTIVE, klass=AssessorClass.EXPERT
    ).first()


def review(
    assessment: Assessment,
    *,
    confirm: bool,
    note: str,
    acting_user: User,
    day: dt.date | None = None,
) -> Review:
    """One expert's verdict. Enough confirmations (``review_experts`` of the pack) confirm the
    assessment and conclude the case; a return sends the case back for a new round drawn
    without the earlier assessors."""
    expert = expert_of(acting_user)
    if expert is None:
        raise Forbidden(_("Only an assessment expert may review a conclusion."))
    if not confirm and not note.strip():
        raise ValidationFailed(fields={"note": [_("Say why the assessment is returned.")]})
    day = day or local_today()
    with transaction.atomic():
        case = _locked(assessment.case)
        assessment = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if assessment.status != AssessmentStatus.SUBMITTED or case.status != CaseStatus.ASSESSED:
            raise Conflict(_("This assessment is not waiting for review."))
        if assessment.reviews.filter(expert=expert).exists():
            raise Conflict(_("You have already reviewed this assessment."))
        verdict = Verdict.CONFIRMED if confirm else Verdict.RETURNED
        row = Review.objects.create(
            assessment=assessment, expert=expert, verdict=verdict, note=note, by=acting_user
        )
        _pack, rules = case_rules(case)
        confirmations = assessment.reviews.filter(verdict=Verdict.CONFIRMED).count()
        after: dict[str, object] = {
            "round": assessment.round,
            "verdict": verdict.value,
            "confirmations": confirmations,
            "needed": rules.assessment.review_experts,
        }
        if not confirm:
            assessment.status = AssessmentStatus.RETURNED
            assessment.save(update_fields=["status"])
            case.due_on = add_working_days(day, rules.assessment.on_site_within)
            case.save(update_fields=["due_on"])
            new = _draw(case, rules, acting_user=acting_user, day=day)
            transitions.move(case, CaseStatus.DISPATCHED, by=acting_user, note=note)
            after["new_round"] = new.round
        elif confirmations >= rules.assessment.review_experts:
            assessment.status = AssessmentStatus.CONFIRMED
            assessment.save(update_fields=["status"])
            transitions.move(case, CaseStatus.CONCLUDED, by=acting_user, note=note)
            after["concluded"] = True
        log_action(
            acting_user=acting_user,
            action="ltc.assessment.reviewed",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            after=after,
            reason=note,
        )
    return row
