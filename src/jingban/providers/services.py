"""Every change to institutions, agreements, checks, checklists and outcome rules: one service per
event, each refusing a move the transition table does not allow (with its reason) and logging
its action in the same transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import add_working_days
from jingban.core.errors import Forbidden, ValidationFailed
from jingban.core.models import Organisation, Region, Scheme, User
from jingban.core.permissions import require_capability
from jingban.files import services as file_services
from jingban.files import storage as file_storage
from jingban.files.models import StoredFile
from jingban.providers import transitions
from jingban.providers.models import (
    OPEN_ORDER_STATES,
    ORGANISATION_KIND,
    Agreement,
    AgreementEvent,
    AgreementState,
    Check,
    CheckKind,
    Checklist,
    ChecklistItem,
    CheckScore,
    Designation,
    EventKind,
    Institution,
    OrderReply,
    OrderState,
    Outcome,
    OutcomeRule,
    RectificationOrder,
)

MANAGE = "providers.institution.manage"
DECIDE = "providers.agreement.decide"
CHECKLIST_EDIT = "providers.checklist.edit"
OWN_REPLY = "providers.own.reply"
OWN_EDIT = "providers.own.edit"

# Without a rule for a check's kind and score: below the pass mark is a rectification of this
# many working days, at or above it a pass.
DEFAULT_RECTIFICATION_DAYS = 20


# Each event's action code, written out so the log's codes can be found in the source.
EVENT_ACTIONS = {
    "applied": "providers.agreement.applied",
    "acceptance": "providers.agreement.acceptance",
    "take_effect": "providers.agreement.take_effect",
    "evaluation": "providers.agreement.evaluation",
    "assessment": "providers.agreement.assessment",
    "warning": "providers.agreement.warning",
    "rectification": "providers.agreement.rectification",
    "rectification_closed": "providers.agreement.rectification_closed",
    "suspension": "providers.agreement.suspension",
    "lifting": "providers.agreement.lifting",
    "termination": "providers.agreement.termination",
    "expiry": "providers.agreement.expiry",
    "renewal": "providers.agreement.renewal",
}


def deadline_for(issued_on: dt.date, working_days: int) -> dt.date:
    """The deadline ``working_days`` working days after ``issued_on``; in a year the holiday
    table does not cover yet, counted by rule (``core.calendar``), so an order can always be
    issued (the bureau sees the date and may extend it)."""
    return add_working_days(issued_on, working_days)


def _region(agreement: Agreement) -> str:
    return agreement.institution.organisation.region.path


def _event(
    agreement: Agreement,
    kind: str,
    effective_on: dt.date,
    *,
    acting_user: User | None,
    note: str = "",
    state_after: str | None = None,
    check: Check | None = None,
    order: RectificationOrder | None = None,
) -> AgreementEvent:
    """Move the agreement by the table (or to ``state_after``, a check's or closure's choice)
    and record the event and its log entry."""
    before = agreement.state
    after = state_after if state_after is not None else transitions.target(kind, before)
    if state_after is not None and not transitions.allowed(kind, before):
        raise transitions.refusal(kind, before)
    event = AgreementEvent.objects.create(
        agreement=agreement,
        kind=kind,
        effective_on=effective_on,
        state_before=before,
        state_after=after,
        actor=acting_user,
        note=note,
        check_record=check,
        order=order,
    )
    if after != before:
        agreement.state = after
        agreement.save(update_fields=["state"])
    log_action(
        acting_user=acting_user,
        action=EVENT_ACTIONS[kind],
        object_type="providers.agreement",
        object_id=agreement.pk,
        region_path=_region(agreement),
        before={"state": before},
        after={"state": after, "effective_on": effective_on.isoformat()},
        reason=note,
    )
    return event


def _lock(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update()
        .select_related("institution__organisation__region")
        .get(pk=agreement.pk)
    )


@transaction.atomic
def apply_for_agreement(
    institution: Institution,
    *,
    number: str,
    applied_on: dt.date,
    valid_from: dt.date,
    valid_until: dt.date,
    deposit_fen: int = 0,
    acting_user: User | None,
) -> Agreement:
    """A new agreement period in state ``applied``."""
    require_capability(acting_user, MANAGE)
    if valid_until < valid_from:
        raise ValidationFailed(
            fields={"valid_until": [_("The end of the period is before its start.")]}
        )
    if deposit_fen < 0:
        raise ValidationFailed(fields={"deposit_fen": [_("The deposit cannot be negative.")]})
    agreement = Agreement.objects.create(
        institution=institution,
        number=number,
        state=AgreementState.APPLIED,
        applied_on=applied_on,
        valid_from=valid_from,
        valid_until=valid_until,
        deposit_fen=deposit_fen,
    )
    AgreementEvent.objects.create(
        agreement=agreement,
        kind=EventKind.APPLIED,
        effective_on=applied_on,
        state_after=AgreementState.APPLIED,
        actor=acting_user,
    )
    log_action(
        acting_user=acting_user,
        action="providers.agreement.applied",
        object_type="providers.agreement",
        object_id=agreement.pk,
        region_path=institution.organisation.region.path,
        after={"number": number, "valid_from": str(valid_from), "valid_until": str(valid_until)},
    )
    return agreement


@transaction.atomic
def take_effect(agreement: Agreement, *, acting_user: User | None, note: str = "") -> Agreement:
    """An accepted agreement comes into force on the first day of its period."""
    require_capability(acting_user, DECIDE)
    agreement = _lock(agreement)
    _event(
        agreement, EventKind.TAKE_EFFECT, agreement.valid_from, acting_user=acting_user, note=note
    )
    return agreement


@transaction.atomic
def warn(
    agreement: Agreement, *, on: dt.date, note: str, acting_user: User | None
) -> AgreementEvent:
    require_capability(acting_user, MANAGE)
    agreement = _lock(agreement)
    return _event(agreement, EventKind.WARNING, on, acting_user=acting_user, note=note)


def _order(
    agreement: Agreement,
    *,
    issued_on: dt.date,
    working_days: int,
    requirements: str,
    acting_user: User | None,
    check: Check | None = None,
) -> RectificationOrder:
    if working_days < 1:
        raise ValidationFailed(
            fields={"working_days": [_("Give at least one working day to rectify.")]}
        )
    if not transitions.allowed(EventKind.RECTIFICATION, agreement.state):
        raise transitions.refusal(EventKind.RECTIFICATION, agreement.state)
    order = RectificationOrder.objects.create(
        agreement=agreement,
        check_record=check,
        issued_on=issued_on,
        deadline=deadline_for(issued_on, working_days),
        requirements=requirements,
    )
    _event(
        agreement,
        EventKind.RECTIFICATION,
        issued_on,
        acting_user=acting_user,
        note=requirements,
        check=check,
        order=order,
    )
    return order


@transaction.atomic
def order_rectification(
    agreement: Agreement,
    *,
    issued_on: dt.date,
    working_days: int,
    requirements: str,
    acting_user: User | None,
) -> RectificationOrder:
    """整改通知 with a deadline ``working_days`` working days after it is issued."""
    require_capability(acting_user, MANAGE)
    if not requirements.strip():
        raise ValidationFailed(fields={"requirements": [_("Say what must be put right.")]})
    return _order(
        _lock(agreement),
        issued_on=issued_on,
        working_days=working_days,
        requirements=requirements,
        acting_user=acting_user,
    )


MAX_REPLY_FILES = 5


def reply_to_order(
    order: RectificationOrder,
    *,
    text: str,
    acting_user: User,
    files: Sequence[UploadedFile] = (),
) -> OrderReply:
    """The institution's reply, with its evidence files (photos, the corrected records as PDF);
    only its own staff may reply, only while the order is open.

    Every file is checked by the files app's rules before anything is written, and a problem
    names the file (ValidationFailed on ``evidence``); the reply and its files are stored together
    or not at all, each file logged as the files app logs an upload.
    """
    require_capability(acting_user, OWN_REPLY)
    if len(files) > MAX_REPLY_FILES:
        raise ValidationFailed(
            fields={
                "evidence": [
                    _("Attach at most %(count)s files to one reply.") % {"count": MAX_REPLY_FILES}
                ]
            }
        )
    problems = [
        _("“%(name)s”: %(problem)s") % {"name": upload.name or "", "problem": problem}
        for upload in files
        for problem in file_services.problems_of(upload)
    ]
    if problems:
        raise ValidationFailed(fields={"evidence": problems})
    stored: list[StoredFile] = []
    try:
        with transaction.atomic():
            reply = _reply(order, text=text, acting_user=acting_user, file_count=len(files))
            for upload in files:
                stored.append(
                    file_services.attach_file(
                        "providers.reply", str(reply.pk), upload, acting_user=acting_user
                    )
                )
    except BaseException:
        # The rows are rolled back; the files already written must go with them.
        for done in stored:
            file_storage.remove(done.storage_name)
        raise
    return reply


def _reply(
    order: RectificationOrder, *, text: str, acting_user: User, file_count: int
) -> OrderReply:
    order = (
        RectificationOrder.objects.select_for_update()
        .select_related("agreement__institution__organisation__region")
        .get(pk=order.pk)
    )
    if order.agreement.institution.organisation_id != acting_user.organisation_id:
        raise Forbidden()
    if order.state not in OPEN_ORDER_STATES:
        raise ValidationFailed(_("This rectification order is no longer open."))
    if not text.strip():
        raise ValidationFailed(fields={"text": [_("Write what was put right.")]})
    reply = OrderReply.objects.create(order=order, text=text.strip(), author=acting_user)
    order.state = OrderState.REPLIED
    order.save(update_fields=["state"])
    log_action(
        acting_user=acting_user,
        action="providers.order.replied",
        object_type="providers.order",
        object_id=order.pk,
        region_path=_region(order.agreement),
        after={"state": OrderState.REPLIED, "files": file_count},
    )
    return reply


def _open_order(order: RectificationOrder) -> RectificationOrder:
    order = RectificationOrder.objects.select_for_update().get(pk=order.pk)
    if order.state not in OPEN_ORDER_STATES:
        raise ValidationFailed(_("This rectification order is no longer open."))
    return order


@transaction.atomic
def close_order(
    order: RectificationOrder, *, on: dt.date, note: str, acting_user: User | None
) -> RectificationOrder:
    """The bureau accepts the rectification; with no other open order the agreement is back
    in force."""
    require_capability(acting_user, MANAGE)
    order = _open_order(order)
    agreement = _lock(order.agreement)
    order.state = OrderState.CLOSED
    order.closed_on = on
    order.closing_note = note
    order.save(update_fields=["state", "closed_on", "closing_note"])
    others = agreement.orders.filter(state__in=OPEN_ORDER_STATES).exclude(pk=order.pk).exists()
    after = AgreementState.RECTIFYING if others else AgreementState.IN_FORCE
    _event(
        agreement,
        EventKind.RECTIFICATION_CLOSED,
        on,
        acting_user=acting_user,
        note=note,
        state_after=after,
        order=order,
    )
    return order


@transaction.atomic
def escalate_order(
    order: RectificationOrder, *, on: dt.date, note: str, acting_user: User | None
) -> RectificationOrder:
    """The rectification failed: the order is escalated and the agreement suspended from
    ``on``."""
    require_capability(acting_user, DECIDE)
    order = _open_order(order)
    agreement = _lock(order.agreement)
    order.state = OrderState.ESCALATED
    order.closed_on = on
    order.closing_note = note
    order.save(update_fields=["state", "closed_on", "closing_note"])
    _event(agreement, EventKind.SUSPENSION, on, acting_user=acting_user, note=note, order=order)
    return order


@transaction.atomic
def suspend(
    agreement: Agreement, *, effective_on: dt.date, note: str, acting_user: User | None
) -> AgreementEvent:
    """暂停: the institution may not serve from ``effective_on`` until the suspension is lifted."""
    require_capability(acting_user, DECIDE)
    return _event(
        _lock(agreement), EventKind.SUSPENSION, effective_on, acting_user=acting_user, note=note
    )


@transaction.atomic
def lift_suspension(
    agreement: Agreement, *, effective_on: dt.date, note: str, acting_user: User | None
) -> AgreementEvent:
    """The institution may serve again from ``effective_on`` (still rectifying while an order
    is open)."""
    require_capability(acting_user, DECIDE)
    agreement = _lock(agreement)
    open_orders = agreement.orders.filter(state__in=OPEN_ORDER_STATES).exists()
    after = AgreementState.RECTIFYING if open_orders else None
    return _event(
        agreement,
        EventKind.LIFTING,
        effective_on,
        acting_user=acting_user,
        note=note,
        state_after=after,
    )


@transaction.atomic
def terminate(
    agreement: Agreement, *, effective_on: dt.date, note: str, acting_user: User | None
) -> AgreementEvent:
    require_capability(acting_user, DECIDE)
    if not note.strip():
        raise ValidationFailed(fields={"note": [_("Give the reason for the termination.")]})
    return _event(
        _lock(agreement), EventKind.TERMINATION, effective_on, acting_user=acting_user, note=note
    )


@transaction.atomic
def expire(agreement: Agreement, *, acting_user: User | None = None) -> AgreementEvent:
    """The period has ended (the day after ``valid_until``)."""
    agreement = _lock(agreement)
    return _event(
        agreement,
        EventKind.EXPIRY,
        agreement.valid_until + dt.timedelta(days=1),
        acting_user=acting_user,
    )


def expire_due(today: dt.date) -> int:
    """Record the expiry of every running period that ended before ``today`` (the daily job)."""
    due = Agreement.objects.filter(
        valid_until__lt=today,
        state__in=(AgreementState.IN_FORCE, AgreementState.RECTIFYING, AgreementState.SUSPENDED),
    ).order_by("id")
    count = 0
    for agreement in due:
        expire(agreement)
        count += 1
    return count


@transaction.atomic
def renew(
    agreement: Agreement,
    *,
    valid_until: dt.date,
    number: str,
    note: str = "",
    acting_user: User | None,
) -> Agreement:
    """A new agreement period following this one, in force from the day after it ends."""
    require_capability(acting_user, DECIDE)
    agreement = _lock(agreement)
    if Agreement.objects.filter(previous=agreement).exists():
        raise transitions.TransitionRefused(_("This agreement period was renewed already."))
    start = agreement.valid_until + dt.timedelta(days=1)
    if valid_until < start:
        raise ValidationFailed(
            fields={"valid_until": [_("The new period must end after it starts.")]}
        )
    _event(agreement, EventKind.RENEWAL, start, acting_user=acting_user, note=note)
    renewed = Agreement.objects.create(
        institution=agreement.institution,
        number=number,
        state=AgreementState.IN_FORCE,
        applied_on=start,
        valid_from=start,
        valid_until=valid_until,
        previous=agreement,
        deposit_fen=agreement.deposit_fen,
    )
    AgreementEvent.objects.create(
        agreement=renewed,
        kind=EventKind.RENEWAL,
        effective_on=start,
        state_after=AgreementState.IN_FORCE,
        actor=acting_user,
        note=note,
    )
    log_action(
        acting_user=acting_user,
        action="providers.agreement.renewal",
        object_type="providers.agreement",
        object_id=renewed.pk,
        region_path=_region(agreement),
        after={"previous": agreement.number, "valid_until": str(valid_until)},
    )
    return renewed


@transaction.atomic
def designate(
    organisation: Organisation,
    *,
    kind: str,
    service_area: Sequence[Region] = (),
    acting_user: User | None,
) -> Institution:
    """Make an organisation a designated institution of a finer kind that fits its own."""
    require_capability(acting_user, MANAGE)
    if ORGANISATION_KIND.get(kind) != organisation.kind:
        raise ValidationFailed(
            fields={"kind": [_("This kind does not fit the organisation's kind.")]}
        )
    if Institution.objects.filter(organisation=organisation).exists():
        raise ValidationFailed(
            fields={"organisation": [_("This organisation is a designated institution already.")]}
        )
    institution = Institution.objects.create(organisation=organisation, kind=kind)
    institution.service_area.set(list(service_area) or [organisation.region])
    log_action(
        acting_user=acting_user,
        action="providers.institution.designated",
        object_type="providers.institution",
        object_id=institution.pk,
        region_path=organisation.region.path,
        after={"organisation": organisation.code, "kind": kind},
    )
    return institution


@transaction.atomic
def add_designation(
    institution: Institution,
    *,
    scheme: Scheme,
    care_form: str,
    valid_from: dt.date,
    valid_until: dt.date | None,
    acting_user: User | None,
) -> Designation:
    """What the institution may serve: one scheme × care form from a date (to a date)."""
    require_capability(acting_user, MANAGE)
    if valid_until is not None and valid_until < valid_from:
        raise ValidationFailed(
            fields={"valid_until": [_("The end of the period is before its start.")]}
        )
    designation = Designation.objects.create(
        institution=institution,
        scheme=scheme,
        care_form=care_form,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    log_action(
        acting_user=acting_user,
        action="providers.institution.designation_added",
        object_type="providers.institution",
        object_id=institution.pk,
        region_path=institution.organisation.region.path,
        after={
            "scheme": scheme.code,
            "care_form": care_form,
            "valid_from": str(valid_from),
            "valid_until": str(valid_until) if valid_until else None,
        },
    )
    return designation


# Checks ----------------------------------------------------------------------------------


def rule_for(region: Region, kind: str, score: int) -> OutcomeRule | None:
    """The outcome rule of the nearest region (the institution's, then its parents') with a
    band holding ``score``."""
    codes = [c for c in region.path.split("/") if c]
    rules = list(
        OutcomeRule.objects.select_related("region")
        .filter(region__code__in=codes, check_kind=kind, min_score__lte=score)
        .order_by("-min_score")
    )
    for code in reversed(codes):
        for rule in rules:
            if rule.region.code == code and (rule.below_score is None or score < rule.below_score):
                return rule
    return None


@dataclass(frozen=True)
class ItemScore:
    item_id: int
    score: int
    note: str = ""


@transaction.atomic
def record_check(
    agreement: Agreement,
    checklist: Checklist,
    *,
    checked_on: dt.date,
    scores: Sequence[ItemScore],
    note: str = "",
    acting_user: User | None,
) -> Check:
    """Record a check, score it, and do what the outcome rule says: an acceptance check
    accepts or refuses the application; an evaluation or assessment passes, warns, orders a
    rectification (deadline in working days) or suspends."""
    require_capability(acting_user, MANAGE)
    agreement = _lock(agreement)
    kind = checklist.check_kind
    event_kind = {
        CheckKind.ACCEPTANCE: EventKind.ACCEPTANCE,
        CheckKind.EVALUATION: EventKind.EVALUATION,
        CheckKind.ASSESSMENT: EventKind.ASSESSMENT,
    }[CheckKind(kind)]
    if not transitions.allowed(event_kind, agreement.state):
        raise transitions.refusal(event_kind, agreement.state)
    items = {item.pk: item for item in checklist.items.all()}
    given = {s.item_id: s for s in scores}
    problems: dict[str, list[object]] = {}
    for item_id, item in items.items():
        entry = given.get(item_id)
        if entry is None:
            problems.setdefault(f"item_{item_id}", []).append(_("Give a score for this item."))
        elif not 0 <= entry.score <= item.weight:
            problems.setdefault(f"item_{item_id}", []).append(
                _("The score must be between 0 and %(weight)s.") % {"weight": item.weight}
            )
    if set(given) - set(items):
        problems.setdefault("scores", []).append(_("A score names an item of another checklist."))
    if problems:
        raise ValidationFailed(fields=problems)  # type: ignore[arg-type]
    total = sum(given[i].score for i in items)
    rule = rule_for(agreement.institution.organisation.region, kind, total)
    if rule is not None:
        outcome = rule.outcome
    else:
        outcome = Outcome.PASS if total >= checklist.pass_mark else Outcome.RECTIFICATION
    check = Check.objects.create(
        agreement=agreement,
        checklist=checklist,
        kind=kind,
        checked_on=checked_on,
        total_score=total,
        outcome=outcome,
        rule=rule,
        deposit_return_percent=rule.deposit_return_percent if rule else None,
        note=note,
        recorded_by=acting_user,
    )
    CheckScore.objects.bulk_create(
        CheckScore(check_record=check, item_id=i, score=given[i].score, note=given[i].note)
        for i in items
    )
    log_action(
        acting_user=acting_user,
        action="providers.check.recorded",
        object_type="providers.check",
        object_id=check.pk,
        region_path=_region(agreement),
        after={"kind": kind, "score": total, "outcome": outcome, "rule": rule.pk if rule else None},
    )
    if kind == CheckKind.ACCEPTANCE:
        after = AgreementState.ACCEPTED if outcome == Outcome.PASS else AgreementState.REFUSED
        _event(
            agreement,
            event_kind,
            checked_on,
            acting_user=acting_user,
            state_after=after,
            check=check,
        )
        return check
    _event(agreement, event_kind, checked_on, acting_user=acting_user, check=check, note=note)
    if outcome == Outcome.WARNING:
        _event(agreement, EventKind.WARNING, checked_on, acting_user=acting_user, check=check)
    elif outcome == Outcome.RECTIFICATION:
        days = (rule.rectification_days if rule else None) or DEFAULT_RECTIFICATION_DAYS
        _order(
            agreement,
            issued_on=checked_on,
            working_days=days,
            requirements=note or str(_("Rectify the items that lost points in the check.")),
            acting_user=acting_user,
            check=check,
        )
    elif outcome == Outcome.SUSPENSION:
        _event(agreement, EventKind.SUSPENSION, checked_on, acting_user=acting_user, check=check)
    return check


# Outcome rules and checklists (the bureau's data) -----------------------------------------


@transaction.atomic
def save_outcome_rule(
    rule: OutcomeRule | None,
    *,
    region: Region,
    check_kind: str,
    min_score: int,
    below_score: int | None,
    outcome: str,
    rectification_days: int | None,
    deposit_return_percent: int | None,
    acting_user: User | None,
) -> OutcomeRule:
    """Create or change an outcome rule; the change is logged with its before and after."""
    require_capability(acting_user, CHECKLIST_EDIT)
    problems: dict[str, list[object]] = {}
    if below_score is not None and below_score <= min_score:
        problems["below_score"] = [_("The upper bound must be above the lower bound.")]
    if outcome == Outcome.RECTIFICATION and not rectification_days:
        problems["rectification_days"] = [_("Say how many working days to rectify.")]
    if deposit_return_percent is not None and deposit_return_percent > 100:
        problems["deposit_return_percent"] = [_("A percentage is at most 100.")]
    if problems:
        raise ValidationFailed(fields=problems)  # type: ignore[arg-type]
    fields = {
        "region": region,
        "check_kind": check_kind,
        "min_score": min_score,
        "below_score": below_score,
        "outcome": outcome,
        "rectification_days": rectification_days,
        "deposit_return_percent": deposit_return_percent,
    }
    before = None
    if rule is None:
        rule = OutcomeRule(**fields)
    else:
        before = _rule_snapshot(rule)
        for name, value in fields.items():
            setattr(rule, name, value)
    rule.save()
    log_action(
        acting_user=acting_user,
        action="providers.rule.saved",
        object_type="providers.rule",
        object_id=rule.pk,
        region_path=region.path,
        before=before,
        after=_rule_snapshot(rule),
    )
    return rule


def _rule_snapshot(rule: OutcomeRule) -> dict[str, object]:
    return {
        "region": rule.region.code,
        "check_kind": rule.check_kind,
        "min_score": rule.min_score,
        "below_score": rule.below_score,
        "outcome": rule.outcome,
        "rectification_days": rule.rectification_days,
        "deposit_return_percent": rule.deposit_return_percent,
    }


@dataclass(frozen=True)
class ItemInput:
    text: str
    weight: int


def parse_items(text: str) -> list[ItemInput]:
    """Checklist items written one per line as ``weight | item`` (the edit form's format)."""
    items: list[ItemInput] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        weight, sep, label = line.partition("|")
        if not sep or not weight.strip().isdigit() or not label.strip():
            raise ValidationFailed(
                fields={
                    "items": [
                        _("Line %(line)s: write the weight, a bar and the item (10 | item).")
                        % {"line": number}
                    ]
                }
            )
        items.append(ItemInput(label.strip(), int(weight.strip())))
    return items


def checklist_in_use(checklist: Checklist) -> bool:
    return checklist.checks.exists()


@transaction.atomic
def save_checklist(
    based_on: Checklist | None,
    *,
    code: str,
    name: str,
    check_kind: str,
    total: int,
    pass_mark: int,
    items: Sequence[ItemInput],
    acting_user: User | None,
) -> Checklist:
    """A new checklist, or a change to one. A version in use (a check recorded against it) is
    never changed: the change becomes the next version. Weights must add up to the total."""
    require_capability(acting_user, CHECKLIST_EDIT)
    problems: dict[str, list[object]] = {}
    if not items:
        problems["items"] = [_("A checklist needs at least one item.")]
    elif sum(i.weight for i in items) != total:
        problems["items"] = [
            _("The weights add up to %(sum)s, not to the total of %(total)s points.")
            % {"sum": sum(i.weight for i in items), "total": total}
        ]
    if pass_mark > total:
        problems["pass_mark"] = [_("The pass mark cannot be above the total.")]
    if based_on is None and Checklist.objects.filter(code=code).exists():
        problems["code"] = [_("A checklist with this code exists; edit it instead.")]
    if problems:
        raise ValidationFailed(fields=problems)  # type: ignore[arg-type]
    if based_on is not None and not checklist_in_use(based_on):
        checklist = based_on
        checklist.name = name
        checklist.check_kind = check_kind
        checklist.total = total
        checklist.pass_mark = pass_mark
        checklist.save()
        checklist.items.all().delete()
        action = "providers.checklist.changed"
    else:
        version = 1
        if based_on is not None:
            code = based_on.code
            version = (
                Checklist.objects.filter(code=code).order_by("-version").first().version + 1  # type: ignore[union-attr]
            )
        checklist = Checklist.objects.create(
            code=code,
            version=version,
            name=name,
            check_kind=check_kind,
            total=total,
            pass_mark=pass_mark,
            created_by=acting_user,
        )
        action = "providers.checklist.versioned"
    ChecklistItem.objects.bulk_create(
        ChecklistItem(checklist=checklist, position=n, text=i.text, weight=i.weight)
        for n, i in enumerate(items, start=1)
    )
    log_action(
        acting_user=acting_user,
        action=action,
        object_type="providers.checklist",
        object_id=checklist.pk,
        after={"code": checklist.code, "version": checklist.version, "total": total},
    )
    return checklist


@transaction.atomic
def update_ltc_zone(
    institution: Institution, values: Mapping[str, int], *, acting_user: User
) -> Institution:
    """The institution's own staff keep their long-term care zone's beds and staff counts."""
    require_capability(acting_user, OWN_EDIT)
    if institution.organisation_id != acting_user.organisation_id:
        raise Forbidden()
    if values.get("ltc_beds_occupied", 0) > values.get("ltc_beds", 0):
        raise ValidationFailed(
            fields={"ltc_beds_occupied": [_("More beds are occupied than the zone has.")]}
        )
    names = ("ltc_beds", "ltc_beds_occupied", "ltc_doctors", "ltc_nurses", "ltc_caregivers")
    before = {n: getattr(institution, n) for n in names}
    for name in names:
        setattr(institution, name, int(values.get(name, 0)))
    institution.save(update_fields=list(names))
    log_action(
        acting_user=acting_user,
        action="providers.institution.zone_updated",
        object_type="providers.institution",
        object_id=institution.pk,
        region_path=institution.organisation.region.path,
        before=before,
        after={n: getattr(institution, n) for n in names},
    )
    return institution
