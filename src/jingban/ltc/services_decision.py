"""From a concluded case to a decision, and the entitlement's whole life.

- ``post_notice``: a concluded case's result is posted (公示) in the person's village or
  community for the pack's notice period (working or calendar days);
- ``file_objection``: during the notice, anyone may object with a reason; the first objection
  sends the case to a re-assessment by different assessors (the draw leaves the previous ones
  out), due within the pack's working days counted from the end of the notice;
- ``issue_decision``: after a notice ended without objection, or after the re-assessment's
  conclusion, the decision (结论书) with the level, the benefit's start by the pack's rule and the
  validity by severity; its letter is an official document with a verification code; an
  entitlement is granted (a level the pack does not pay: a decision without benefit, said on
  the letter), and the person's previous entitlement is superseded from the new start;
- ``change_status`` (named ``suspend`` / ``resume`` / ``stop``) and ``order_reassessment``
  (expiry, an institution's status report, a complaint on the desk, an audit finding): every
  change is an ``EntitlementEvent`` with its reason and source, and an action-log entry.

Each function runs in one transaction and locks the row it changes: a refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Required, TypedDict, Unpack

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import add_working_days, is_provisional
from jingban.core.calendar import today as local_today
from jingban.core.errors import Conflict, ValidationFailed
from jingban.core.models import User
from jingban.ltc import numbers, policy
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
    EntitlementEventKind,
    EntitlementStatus,
    Notice,
    NoticeStatus,
    Objection,
    ObjectionChannel,
    ObjectorKind,
    ReportKind,
    StatusReport,
    Trigger,
)
from jingban.ltc.transitions import move

# Statuses of a case that is still open (a second re-assessment is not ordered beside it).
OPEN_CASE = (
    CaseStatus.APPLIED,
    CaseStatus.ACCEPTED,
    CaseStatus.DISPATCHED,
    CaseStatus.ASSESSED,
    CaseStatus.CONCLUDED,
    CaseStatus.NOTICE,
    CaseStatus.OBJECTED,
)
# What an entitlement's change may cite as its reason (stored codes, shown by label).
REASONS = {
    "deceased": _("Deceased"),
    "hospital": _("In hospital"),
    "moved": _("Moved out of the region"),
    "fraud": _("Fraud or false information"),
    "improved": _("Condition improved"),
    "request": _("At the person's request"),
    "other": _("Other reason"),
    "decision": _("New decision"),
}
LEVEL_NAMES = {
    0: _("Level 0, essentially normal"),
    1: _("Level 1, mild disability"),
    2: _("Level 2, moderate disability"),
    3: _("Level 3, severe disability I"),
    4: _("Level 4, severe disability II"),
    5: _("Level 5, severe disability III"),
}


class DecisionRefused(Conflict):
    code = "ltc_decision_refused"


def mask_name(name: str) -> str:
    """The name as a public notice shows it: first and last character, the middle starred
    (张*明, 欧阳**华); a two-character name keeps its first (张*)."""
    text = name.strip()
    if len(text) <= 1:
        return text
    if len(text) == 2:
        return f"{text[0]}*"
    return f"{text[0]}{'*' * (len(text) - 2)}{text[-1]}"


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("person__region").get(pk=case.pk)


def _lock_entitlement(entitlement: Entitlement) -> Entitlement:
    return Entitlement.objects.select_for_update().get(pk=entitlement.pk)


def conclusion_of(case: Case) -> Assessment | None:
    """The case's latest confirmed assessment (its conclusion)."""
    return (
        case.assessments.filter(status=AssessmentStatus.CONFIRMED, level__isnull=False)
        .order_by("-round")
        .first()
    )


def _region_code(case: Case) -> str:
    return str(case.person.region.code)


# --- Notice -----------------------------------------------------------------------------------


def post_notice(case: Case, *, by: User | None, day: dt.date | None = None) -> Notice:
    """Post a concluded case's result for the pack's notice period."""
    day = day or local_today()
    with transaction.atomic():
        case = _lock_case(case)
        if case.status != CaseStatus.CONCLUDED:
            raise DecisionRefused(_("Only a case with a confirmed conclusion can be posted."))
        if case.notices.exists():
            raise DecisionRefused(
                _("This case's result was already posted; a re-assessment is decided directly.")
            )
        conclusion = conclusion_of(case)
        if conclusion is None or conclusion.level is None:
            raise DecisionRefused(_("The case has no confirmed level to post."))
        found = policy.rules_for(_region_code(case), day)
        length, unit = found.rules.notice.length, str(found.rules.notice.unit)
        ends_on = policy.notice_ends(day, length, unit)
        notice = Notice.objects.create(
            case=case,
            region=case.person.region,
            region_path=case.region_path,
            posted_on=day,
            ends_on=ends_on,
            length=length,
            unit=unit,
            provisional=is_provisional(day, ends_on),
            masked_name=mask_name(case.person.name),
            level=conclusion.level,
            dementia=conclusion.dementia,
            pack_ref=found.ref,
            sample=found.sample("notice.length"),
            posted_by=by,
        )
        move(case, CaseStatus.NOTICE, by=by, note=f"{day.isoformat()}–{ends_on.isoformat()}")
        log_action(
            acting_user=by,
            action="ltc.notice.posted",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            after={
                "posted_on": day.isoformat(),
                "ends_on": ends_on.isoformat(),
                "length": length,
                "unit": unit,
                "level": conclusion.level,
            },
        )
    return notice


def close_ended_notices(day: dt.date | None = None) -> int:
    """Close the notices whose period ended before ``day`` without objection (the daily job):
    their cases are then ready for a decision."""
    day = day or local_today()
    closed = 0
    for notice in Notice.objects.filter(status=NoticeStatus.POSTED, ends_on__lt=day):
        with transaction.atomic():
            locked = Notice.objects.select_for_update().get(pk=notice.pk)
            if locked.status != NoticeStatus.POSTED:
                continue
            locked.status = NoticeStatus.ENDED
            locked.save(update_fields=["status"])
            log_action(
                acting_user=None,
                action="ltc.notice.ended",
                object_type="ltc.case",
                object_id=locked.case_id,
                region_path=locked.region_path,
                after={"ends_on": locked.ends_on.isoformat()},
            )
            closed += 1
    return closed


# --- Objection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectionInput:
    objector: str
    reason: str
    objector_name: str = ""
    contact: str = ""


def _check_objection(data: ObjectionInput) -> ObjectionInput:
    errors: dict[str, list[object]] = {}
    if data.objector not in ObjectorKind.values:
        errors["objector"] = [_("Say who is objecting.")]
    reason = data.reason.strip()
    if len(reason) < 4:
        errors["reason"] = [_("Give the reason for the objection (at least 4 characters).")]
    elif len(reason) > 2000:
        errors["reason"] = [_("The reason is too long (at most 2000 characters).")]
    if len(data.objector_name.strip()) > 100:
        errors["objector_name"] = [_("The name is too long (at most 100 characters).")]
    if len(data.contact.strip()) > 40:
        errors["contact"] = [_("The contact is too long (at most 40 characters).")]
    if errors:
        raise ValidationFailed(fields=errors)  # type: ignore[arg-type]
    return ObjectionInput(data.objector, reason, data.objector_name.strip(), data.contact.strip())


def previous_assessor_ids(case: Case) -> list[int]:
    return sorted(
        {
            int(pk)
            for pk in Assessment.assessors.through.objects.filter(
                assessment__case=case
            ).values_list("assessor_id", flat=True)
        }
    )


def _draw_reassessment(case: Case, *, by: User, due_on: dt.date, day: dt.date) -> Assessment:
    """A new assessment round drawn without any assessor of the earlier rounds."""
    from jingban.workforce.models import Assessor
    from jingban.workforce.services import draw_assessors

    previous = previous_assessor_ids(case)
    draw = draw_assessors(
        case.person,
        case.care_institution,
        acting_user=by,
        previous_assessor_ids=previous,
        exclude_previous=True,
        day=day,
    )
    last = case.assessments.order_by("-round").first()
    assessment = Assessment.objects.create(
        case=case,
        round=(last.round + 1) if last else 1,
        draw=draw,
        region_path=case.region_path,
        due_on=due_on,
        instrument=last.instrument if last else Assessment._meta.get_field("instrument").default,
    )
    ids = [int(i) for ids in draw.result.values() for i in ids]
    assessment.assessors.set(Assessor.objects.filter(pk__in=ids))
    return assessment


def file_objection(
    notice: Notice,
    data: ObjectionInput,
    *,
    channel: str,
    by: User | None,
    day: dt.date | None = None,
) -> Objection:
    """Record an objection to a posted result (``by``: the member of staff who entered it, None
    on the public page). The first one stops the notice and sends the case to a re-assessment,
    due within the pack's working days from the end of the notice; staff then draw it
    (``draw_reassessment``). An objection after the notice is refused."""
    day = day or local_today()
    clean = _check_objection(data)
    if channel not in ObjectionChannel.values:
        raise ValidationFailed(fields={"channel": [_("Choose how the objection was received.")]})
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice.pk)
        if day < notice.posted_on:
            raise DecisionRefused(_("The notice has not started yet."))
        if day > notice.ends_on or notice.status == NoticeStatus.ENDED:
            raise DecisionRefused(
                _(
                    "The notice ended on %(day)s: an objection can no longer be filed against "
                    "it. An objection to the decision can be made after it is delivered."
                )
                % {"day": notice.ends_on.isoformat()}
            )
        case = _lock_case(notice.case)
        objection = Objection(
            notice=notice,
            region_path=notice.region_path,
            filed_on=day,
            objector=clean.objector,
            objector_name=clean.objector_name,
            contact=clean.contact,
            reason=clean.reason,
            channel=channel,
            entered_by=by,
        )
        if notice.status == NoticeStatus.POSTED:
            found = policy.rules_for(_region_code(case), day)
            due_on = add_working_days(notice.ends_on, found.rules.objection.reassess_within)
            move(case, CaseStatus.OBJECTED, by=by, note=clean.reason[:200])
            case.due_on = due_on
            case.save(update_fields=["due_on", "updated_at"])
            notice.status = NoticeStatus.OBJECTED
            notice.save(update_fields=["status"])
        objection.reassess_due_on = case.due_on
        objection.save()
        log_action(
            acting_user=by,
            action="ltc.objection.filed",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            after={
                "objector": clean.objector,
                "channel": channel,
                "filed_on": day.isoformat(),
                "due_on": case.due_on.isoformat() if case.due_on else None,
            },
        )
    return objection


def draw_reassessment(case: Case, *, by: User, day: dt.date | None = None) -> Assessment:
    """Draw the re-assessment of an objected case by assessors who took no part in its earlier
    rounds (a new assessment round); the case is dispatched."""
    day = day or local_today()
    with transaction.atomic():
        case = _lock_case(case)
        if case.status != CaseStatus.OBJECTED:
            raise DecisionRefused(_("Only a case with an objection is re-assessed this way."))
        due_on = case.due_on or add_working_days(day, 10)
        assessment = _draw_reassessment(case, by=by, due_on=due_on, day=day)
        move(case, CaseStatus.DISPATCHED, by=by)
        Objection.objects.filter(notice__case=case, reassessment=None).update(
            reassessment=assessment
        )
        log_action(
            acting_user=by,
            action="ltc.reassessment.drawn",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            after={
                "round": assessment.round,
                "draw": assessment.draw_id,
                "due_on": due_on.isoformat(),
            },
        )
    return assessment


# --- Decision ---------------------------------------------------------------------------------


def ready_for_decision(case: Case, day: dt.date) -> bool:
    """Whether a decision may be issued on ``day``: the notice ended without objection, or the
    re-assessment after an objection is concluded."""
    notice = case.notices.order_by("-posted_on", "-id").first()
    if notice is None:
        return False
    if case.status == CaseStatus.NOTICE:
        return notice.status != NoticeStatus.OBJECTED and day > notice.ends_on
    return case.status == CaseStatus.CONCLUDED


def issue_decision(
    case: Case,
    *,
    by: User | None,
    delivery: str,
    delivered_on: dt.date | None = None,
    day: dt.date | None = None,
) -> Decision:
    """Decide the case, grant the entitlement and issue the letter (rendered on download)."""
    from jingban.documents import services as documents
    from jingban.documents.models import DocumentKind

    day = day or local_today()
    delivered_on = delivered_on or day
    if delivery not in Delivery.values:
        raise ValidationFailed(fields={"delivery": [_("Choose how the letter was delivered.")]})
    if delivered_on < day:
        raise ValidationFailed(
            fields={"delivered_on": [_("The letter cannot be delivered before the decision.")]}
        )
    with transaction.atomic():
        case = _lock_case(case)
        notice = case.notices.order_by("-posted_on", "-id").first()
        if case.status == CaseStatus.NOTICE and notice is not None:
            if notice.status == NoticeStatus.OBJECTED:
                raise DecisionRefused(_("An objection was filed: decide after the re-assessment."))
            if day <= notice.ends_on:
                raise DecisionRefused(
                    _("The notice runs until %(day)s: decide after it ends.")
                    % {"day": notice.ends_on.isoformat()}
                )
        elif case.status == CaseStatus.CONCLUDED:
            if notice is None:
                raise DecisionRefused(_("Post the result on public notice before deciding."))
        else:
            raise DecisionRefused(
                _("Only a case whose notice ended or whose re-assessment is concluded is decided.")
            )
        conclusion = conclusion_of(case)
        if conclusion is None or conclusion.level is None:
            raise DecisionRefused(_("The case has no confirmed level to decide on."))
        found = policy.rules_for(_region_code(case), day)
        rules = found.rules
        severity = rules.paid_severity(conclusion.level, dementia=conclusion.dementia)
        decision = Decision(
            case=case,
            person=case.person,
            region_path=case.region_path,
            decided_on=day,
            level=conclusion.level,
            dementia=conclusion.dementia,
            covered=severity is not None,
            object_within=rules.objection.object_within,
            delivery=delivery,
            delivered_on=delivered_on,
            pack_ref=found.ref,
            issued_by=by,
        )
        if severity is not None:
            start_on = policy.benefit_start(str(rules.benefit_start), day)
            months = policy.validity_months(rules, severity)
            end_on = policy.valid_until(start_on, months)
            decision.severity = str(severity)
            decision.start_on, decision.end_on = start_on, end_on
            decision.benefit_start_rule = str(rules.benefit_start)
            decision.entitlement = _grant(
                case,
                level=conclusion.level,
                severity=str(severity),
                dementia=conclusion.dementia,
                start_on=start_on,
                end_on=end_on,
                reassess_on=max(
                    start_on, end_on - dt.timedelta(days=rules.validity.reassess_before_days)
                ),
                by=by,
            )
        issued = documents.issue_document(
            DocumentKind.LTC_DECISION,
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            acting_user=by,
            issued_on=day,
        )
        decision.document = issued.document
        decision.save()
        move(case, CaseStatus.DECIDED, by=by, note=issued.document.number)
        log_action(
            acting_user=by,
            action="ltc.decision.issued",
            object_type="ltc.case",
            object_id=case.pk,
            region_path=case.region_path,
            after={
                "level": conclusion.level,
                "covered": decision.covered,
                "start_on": decision.start_on.isoformat() if decision.start_on else None,
                "end_on": decision.end_on.isoformat() if decision.end_on else None,
                "document": issued.document.number,
                "delivery": delivery,
                "delivered_on": delivered_on.isoformat(),
            },
        )
    return decision


def _grant(
    case: Case,
    *,
    level: int,
    severity: str,
    dementia: bool,
    start_on: dt.date,
    end_on: dt.date,
    reassess_on: dt.date,
    by: User | None,
) -> Entitlement:
    source = f"ltc.case:{case.pk}"
    for old in Entitlement.objects.select_for_update().filter(
        person=case.person,
        status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED],
    ):
        old_end = max(old.start_on, min(old.end_on, start_on - dt.timedelta(days=1)))
        before = {"status": old.status, "end_on": old.end_on.isoformat()}
        old.status = EntitlementStatus.SUPERSEDED
        old.end_on = old_end
        old.save(update_fields=["status", "end_on", "updated_at"])
        EntitlementEvent.objects.create(
            entitlement=old,
            kind=EntitlementEventKind.LEVEL_CHANGED,
            effective_on=start_on,
            reason="decision",
            source=source,
            by=by,
        )
        log_action(
            acting_user=by,
            action="ltc.entitlement.superseded",
            object_type="ltc.entitlement",
            object_id=old.pk,
            region_path=old.region_path,
            before=before,
            after={"status": old.status, "end_on": old_end.isoformat(), "source": source},
        )
    entitlement = Entitlement.objects.create(
        person=case.person,
        case=case,
        region_path=case.region_path,
        level=level,
        severity=severity,
        dementia=dementia,
        start_on=start_on,
        end_on=end_on,
        reassess_on=reassess_on,
    )
    EntitlementEvent.objects.create(
        entitlement=entitlement,
        kind=EntitlementEventKind.GRANTED,
        effective_on=start_on,
        reason="decision",
        source=source,
        by=by,
    )
    log_action(
        acting_user=by,
        action="ltc.entitlement.granted",
        object_type="ltc.entitlement",
        object_id=entitlement.pk,
        region_path=entitlement.region_path,
        after={
            "level": level,
            "severity": severity,
            "start_on": start_on.isoformat(),
            "end_on": end_on.isoformat(),
        },
    )
    return entitlement


def letter_code(decision: Decision) -> str:
    """The letter's verification code, recomputed from its document row (never stored)."""
    from jingban.documents import codes

    document = decision.document
    if document is None:
        raise DecisionRefused(_("This decision has no letter."))
    subject = f"{document.object_type}:{document.object_id}"
    return codes.make_code(document.kind, document.number, document.issued_on, subject)


def render_letter(decision: Decision, *, verify_url: str) -> bytes:
    """The decision letter as PDF (the same text and code each time it is downloaded)."""
    from jingban.documents import render
    from jingban.registry.documents import mask_document

    person = decision.person
    try:
        sample = policy.rules_for(str(person.region.code), decision.decided_on).sample(
            "objection.object_within"
        )
    except policy.NoPack:
        sample = False
    return render.render_pdf(
        "ltc/decision/pdf/letter.html",
        {
            "decision": decision,
            "document": decision.document,
            "code": letter_code(decision),
            "verify_url": verify_url,
            "person": person,
            "masked_document": mask_document(person.document_type, person.document_number),
            "level_name": LEVEL_NAMES.get(decision.level, decision.level),
            "object_sample": sample,
        },
    )


# --- Entitlement changes ----------------------------------------------------------------------


def _check_reason(reason: str, note: str) -> None:
    if reason not in REASONS:
        raise ValidationFailed(fields={"reason": [_("Choose the reason.")]})
    if reason == "other" and not note.strip():
        raise ValidationFailed(fields={"note": [_("Describe the reason.")]})
    if len(note) > 2000:
        raise ValidationFailed(
            fields={"note": [_("The note is too long (at most 2000 characters).")]}
        )


@dataclass(frozen=True)
class _Transition:
    """What a change to one status records, and from which statuses it may be made."""

    kind: str
    allowed_from: tuple[str, ...]
    refusal: object  # a lazy translation


# Each status an entitlement can be changed to by hand (expiry is the job's, below).
_TRANSITIONS: dict[str, _Transition] = {
    EntitlementStatus.SUSPENDED: _Transition(
        EntitlementEventKind.SUSPENDED,
        (EntitlementStatus.ACTIVE,),
        _("Only an entitlement in benefit can be suspended."),
    ),
    EntitlementStatus.ACTIVE: _Transition(
        EntitlementEventKind.RESUMED,
        (EntitlementStatus.SUSPENDED,),
        _("Only a suspended entitlement can be resumed."),
    ),
    EntitlementStatus.STOPPED: _Transition(
        EntitlementEventKind.STOPPED,
        (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED),
        _("Only an entitlement in benefit or suspended can be stopped."),
    ),
}

# The declared action code of each change (codes are written out, never assembled).
_CHANGE_ACTIONS: dict[str, str] = {
    EntitlementEventKind.SUSPENDED: "ltc.entitlement.suspended",
    EntitlementEventKind.RESUMED: "ltc.entitlement.resumed",
    EntitlementEventKind.STOPPED: "ltc.entitlement.stopped",
    EntitlementEventKind.EXPIRED: "ltc.entitlement.expired",
}


def change_status(
    entitlement: Entitlement,
    new_status: str,
    *,
    reason: str,
    note: str = "",
    effective_on: dt.date | None = None,
    source: str = "",
    by: User | None,
) -> EntitlementEvent:
    """Suspend (``SUSPENDED``), resume (``ACTIVE``) or stop (``STOPPED``, 清退: the benefit ends
    the day before ``effective_on`` and cannot be resumed) an entitlement, with its reason; an
    event and the action-log row are written in the same transaction."""
    transition = _TRANSITIONS.get(new_status)
    if transition is None:
        raise ValueError(f"an entitlement is not changed by hand to {new_status!r}")
    _check_reason(reason, note)
    effective_on = effective_on or local_today()
    with transaction.atomic():
        entitlement = _lock_entitlement(entitlement)
        if entitlement.status not in transition.allowed_from:
            raise DecisionRefused(
                f"{transition.refusal} "
                + str(
                    _("The entitlement is %(status)s.")
                    % {"status": str(entitlement.get_status_display()).lower()}
                )
            )
        before = {"status": entitlement.status, "end_on": entitlement.end_on.isoformat()}
        entitlement.status = new_status
        fields = ["status", "updated_at"]
        if new_status == EntitlementStatus.STOPPED:
            last_day = effective_on - dt.timedelta(days=1)
            entitlement.end_on = max(entitlement.start_on, min(entitlement.end_on, last_day))
            fields.append("end_on")
        entitlement.save(update_fields=fields)
        event = EntitlementEvent.objects.create(
            entitlement=entitlement,
            kind=transition.kind,
            effective_on=effective_on,
            reason=reason,
            note=note.strip(),
            source=source,
            by=by,
        )
        log_action(
            acting_user=by,
            action=_CHANGE_ACTIONS[transition.kind],
            object_type="ltc.entitlement",
            object_id=entitlement.pk,
            region_path=entitlement.region_path,
            before=before,
            after={
                "status": new_status,
                "end_on": entitlement.end_on.isoformat(),
                "effective_on": effective_on.isoformat(),
                "reason": reason,
                "source": source,
            },
            reason=note.strip()[:200],
        )
    return event


class Change(TypedDict, total=False):
    """The keyword arguments of ``change_status``, for its three named forms."""

    reason: Required[str]
    note: str
    effective_on: dt.date | None
    source: str
    by: Required[User | None]


def suspend(entitlement: Entitlement, **change: Unpack[Change]) -> EntitlementEvent:
    """``change_status(entitlement, SUSPENDED, reason=…, by=…)``."""
    return change_status(entitlement, EntitlementStatus.SUSPENDED, **change)


def resume(entitlement: Entitlement, **change: Unpack[Change]) -> EntitlementEvent:
    """``change_status(entitlement, ACTIVE, reason=…, by=…)``."""
    return change_status(entitlement, EntitlementStatus.ACTIVE, **change)


def stop(entitlement: Entitlement, **change: Unpack[Change]) -> EntitlementEvent:
    """``change_status(entitlement, STOPPED, reason=…, by=…)``: 清退."""
    return change_status(entitlement, EntitlementStatus.STOPPED, **change)


def order_reassessment(
    entitlement: Entitlement,
    *,
    trigger: str,
    source: str,
    by: User | None,
    note: str = "",
    day: dt.date | None = None,
) -> Case:
    """Open a re-assessment case for ``entitlement`` (accepted at once: the centre orders it),
    citing what caused it. Refused while another re-assessment of it is open."""
    day = day or local_today()
    if trigger not in Trigger.values or trigger == Trigger.APPLICATION:
        raise ValidationFailed(fields={"trigger": [_("Choose why the re-assessment is ordered.")]})
    with transaction.atomic():
        entitlement = _lock_entitlement(entitlement)
        if entitlement.status not in (EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED):
            raise DecisionRefused(
                _("A re-assessment is ordered only for an entitlement in benefit or suspended.")
            )
        if Case.objects.filter(entitlement=entitlement, status__in=OPEN_CASE).exists():
            raise DecisionRefused(_("A re-assessment of this entitlement is already open."))
        previous = Case.objects.select_related("person__region").get(pk=entitlement.case_id)
        try:
            found: policy.Rules | None = policy.rules_for(str(previous.person.region.code), day)
        except policy.NoPack:
            # The intake part fixes the pack at the visit; the case still opens.
            found = None
        case = Case.objects.create(
            number=numbers.next_number(day),
            kind=CaseKind.REASSESSMENT,
            trigger=trigger,
            person=previous.person,
            region=previous.person.region,
            region_path=previous.person.region.path,
            channel=previous.channel,
            care_institution=previous.care_institution,
            status=CaseStatus.ACCEPTED,
            received_on=day,
            due_on=add_working_days(day, found.rules.assessment.on_site_within) if found else None,
            pack_id=found.ref.split("@")[0] if found else "",
            pack_version=int(found.ref.split("@")[1]) if found else None,
            previous_case=previous,
            entitlement=entitlement,
            created_by=by,
        )
        CaseEvent.objects.create(
            case=case, from_status="", to_status=CaseStatus.ACCEPTED, by=by, note=source
        )
        log_action(
            acting_user=by,
            action="ltc.reassessment.ordered",
            object_type="ltc.entitlement",
            object_id=entitlement.pk,
            region_path=entitlement.region_path,
            after={
                "case": case.number,
                "trigger": trigger,
                "source": source,
                "due_on": case.due_on.isoformat() if case.due_on else None,
            },
            reason=note.strip()[:200],
        )
    return case


def order_from_desk(
    entitlement: Entitlement, desk_case_id: int, *, by: User, note: str = ""
) -> Case:
    """A complaint or fraud report on the desk orders a re-assessment, citing the desk case."""
    from jingban.desk.models import Case as DeskCase

    if not DeskCase.objects.filter(pk=desk_case_id).exists():
        raise ValidationFailed(fields={"desk_case": [_("No desk case has this number.")]})
    return order_reassessment(
        entitlement,
        trigger=Trigger.COMPLAINT,
        source=f"desk.case:{desk_case_id}",
        by=by,
        note=note,
    )


def open_due_reassessments(day: dt.date | None = None) -> int:
    """The daily job: expire entitlements past their validity, and open an expiry
    re-assessment for each entitlement that reached its ``reassess_on``."""
    day = day or local_today()
    for entitlement in Entitlement.objects.filter(
        status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED], end_on__lt=day
    ):
        with transaction.atomic():
            locked = _lock_entitlement(entitlement)
            before = {"status": locked.status}
            locked.status = EntitlementStatus.EXPIRED
            locked.save(update_fields=["status", "updated_at"])
            EntitlementEvent.objects.create(
                entitlement=locked,
                kind=EntitlementEventKind.EXPIRED,
                effective_on=locked.end_on + dt.timedelta(days=1),
            )
            log_action(
                acting_user=None,
                action="ltc.entitlement.expired",
                object_type="ltc.entitlement",
                object_id=locked.pk,
                region_path=locked.region_path,
                before=before,
                after={"status": locked.status},
            )
    opened = 0
    due = Entitlement.objects.filter(
        status__in=[EntitlementStatus.ACTIVE, EntitlementStatus.SUSPENDED],
        reassess_on__lte=day,
    ).exclude(Q(reassessments__status__in=OPEN_CASE) | Q(reassessments__trigger=Trigger.EXPIRY))
    for entitlement in due.distinct():
        order_reassessment(
            entitlement,
            trigger=Trigger.EXPIRY,
            source=f"ltc.entitlement:{entitlement.pk}",
            by=None,
            day=day,
        )
        opened += 1
    return opened


def report_status(
    entitlement: Entitlement,
    *,
    institution_id: int,
    kind: str,
    event_on: dt.date,
    note: str = "",
    suspend_benefit: bool = False,
    by: User,
) -> StatusReport:
    """An institution's report on one of its beneficiaries: deceased stops the benefit from
    the day after death; improved orders a re-assessment; admitted to hospital suspends only
    when the institution asks (else the care part's hospital stay pauses the days)."""
    if kind not in ReportKind.values:
        raise ValidationFailed(fields={"kind": [_("Choose what happened.")]})
    if event_on > local_today():
        raise ValidationFailed(fields={"event_on": [_("The day cannot be in the future.")]})
    if len(note) > 2000:
        raise ValidationFailed(
            fields={"note": [_("The note is too long (at most 2000 characters).")]}
        )
    with transaction.atomic():
        report = StatusReport.objects.create(
            entitlement=entitlement,
            institution_id=institution_id,
            region_path=entitlement.region_path,
            kind=kind,
            event_on=event_on,
            note=note.strip(),
            suspend=suspend_benefit,
            reported_by=by,
        )
        source = f"ltc.status_report:{report.pk}"
        outcome = ""
        if kind == ReportKind.DECEASED:
            stop(
                entitlement,
                reason="deceased",
                note=note,
                effective_on=event_on + dt.timedelta(days=1),
                source=source,
                by=by,
            )
            outcome = str(_("Benefit stopped from the day after death."))
        elif kind == ReportKind.IMPROVED:
            case = order_reassessment(
                entitlement, trigger=Trigger.STATUS_REPORT, source=source, by=by, note=note
            )
            outcome = str(_("Re-assessment %(number)s opened.") % {"number": case.number})
        elif suspend_benefit:
            suspend(
                entitlement,
                reason="hospital",
                note=note,
                effective_on=event_on,
                source=source,
                by=by,
            )
            outcome = str(_("Benefit suspended."))
        report.outcome = outcome
        report.save(update_fields=["outcome"])
        log_action(
            acting_user=by,
            action="ltc.status.reported",
            object_type="ltc.entitlement",
            object_id=entitlement.pk,
            region_path=entitlement.region_path,
            after={"kind": kind, "event_on": event_on.isoformat(), "suspend": suspend_benefit},
        )
    return report
