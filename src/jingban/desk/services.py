"""Every step of a case, each a service that checks the capability, changes the case in one
transaction and logs its action. The log holds states, ids and organisations; never a filer's
name, number or phone, and never the text of a complaint (it may name people)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import today as local_today
from jingban.core.errors import DomainError, ValidationFailed
from jingban.core.models import Organisation, Region, Scheme, User
from jingban.core.permissions import require_capability
from jingban.core.scope import is_unrestricted
from jingban.desk import rules, tracking
from jingban.desk.models import (
    OPEN_STATES,
    Case,
    CaseKind,
    CaseState,
    Category,
    Channel,
    Referral,
    Reply,
    ReplyKind,
    RoutingRule,
    Satisfaction,
    SubjectType,
)
from jingban.registry.documents import normalise_phone

VIEW = "desk.case.view"
HANDLE = "desk.case.handle"
ROUTE = "desk.case.route"
SUPERVISE = "desk.case.supervise"
REVEAL = "desk.reporter.reveal"
INTAKE = "desk.case.intake"
OBJECT_TYPE = "desk.case"
MAX_TEXT = 5000
# Only the bureau or an insurer administering a scheme there handles complaints and reports.
ROUTABLE_KINDS = ("bureau", "insurer")


@dataclass(frozen=True)
class Filing:
    """What a filer says, from the public form or a staff intake."""

    kind: str
    channel: str
    category: str
    region: Region
    text: str
    scheme: Scheme | None = None
    anonymous: bool = False
    name: str = ""
    document: str = ""
    phone: str = ""
    subject_type: str = ""
    subject_id: str = ""
    subject_text: str = ""
    amount_fen: int | None = None


@dataclass(frozen=True)
class Filed:
    case: Case
    # Shown once to an anonymous filer; never stored in clear.
    secret: str = ""


def _log(case: Case, action: str, user: User | None, **after: object) -> None:
    log_action(
        acting_user=user,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=case.pk,
        region_path=case.region.path,
        after={"state": case.state, **after},
    )


def _check(filing: Filing) -> None:
    errors: dict[str, list[object]] = {}
    if filing.kind not in CaseKind.values:
        errors["kind"] = [_("Choose a complaint or a report.")]
    if filing.channel not in Channel.values:
        errors["channel"] = [_("Choose how the case came in.")]
    if filing.category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if not filing.text.strip():
        errors["text"] = [_("Say what happened.")]
    elif len(filing.text) > MAX_TEXT:
        errors["text"] = [_("Keep the text under 5,000 characters.")]
    if filing.anonymous and filing.kind != CaseKind.REPORT:
        errors["anonymous"] = [_("Only a fraud report can be filed anonymously.")]
    if not filing.anonymous:
        if not filing.name.strip():
            errors["name"] = [_("Enter your name, or file a report anonymously.")]
        if len(filing.document.strip()) < 6:
            errors["document"] = [_("Enter your identity document number.")]
        try:
            phone = normalise_phone(filing.phone)
        except ValidationFailed as err:
            errors["phone"] = list(err.fields.get("phone", []))
        else:
            if not phone:
                errors["phone"] = [_("Enter a phone number, such as 13812345678.")]
    if filing.amount_fen is not None and filing.amount_fen < 0:
        errors["amount"] = [_("The amount cannot be negative.")]
    if filing.subject_type and filing.subject_type not in SubjectType.values:
        errors["subject_type"] = [_("Choose whom the report is about.")]
    if errors:
        raise ValidationFailed(fields=errors)  # type: ignore[arg-type]


def route_for(category: str, region: Region) -> Organisation | None:
    """The organisation of the rule of the nearest region at or above ``region``."""
    codes = [c for c in region.path.split("/") if c]
    found = {
        rule.region.code: rule.organisation
        for rule in RoutingRule.objects.filter(
            category=category, region__code__in=codes
        ).select_related("region", "organisation")
    }
    for code in reversed(codes):
        if code in found:
            return found[code]
    return None


def receive(
    filing: Filing, *, acting_user: User | None, received_on: dt.date | None = None
) -> Filed:
    """Record a case, route it by the rules and set its deadline in working days."""
    if acting_user is not None:
        require_capability(acting_user, INTAKE)
    _check(filing)
    day = received_on or local_today()
    deadline = rules.deadline_for(filing.category, filing.region.code, day)
    secret = tracking.new_secret() if filing.anonymous else ""
    with transaction.atomic():
        number = tracking.new_number()
        while Case.objects.filter(number=number).exists():
            number = tracking.new_number()
        organisation = route_for(filing.category, filing.region)
        case = Case.objects.create(
            number=number,
            kind=filing.kind,
            channel=filing.channel,
            category=filing.category,
            region=filing.region,
            scheme=filing.scheme,
            text=filing.text.strip(),
            anonymous=filing.anonymous,
            filer_name="" if filing.anonymous else filing.name.strip(),
            filer_document="" if filing.anonymous else filing.document.strip().upper(),
            filer_phone="" if filing.anonymous else normalise_phone(filing.phone),
            secret_hash=tracking.hash_secret(secret) if secret else "",
            organisation=organisation,
            state=CaseState.ROUTED if organisation else CaseState.RECEIVED,
            received_on=day,
            deadline=deadline.due,
            remind_from=deadline.remind_from,
            deadline_pack=deadline.pack,
            deadline_sample=deadline.sample,
            deadline_provisional=deadline.provisional,
            subject_type=filing.subject_type,
            subject_id=filing.subject_id,
            subject_text=filing.subject_text.strip()[:200],
            amount_fen=filing.amount_fen,
        )
        _log(
            case,
            "desk.case.received",
            acting_user,
            kind=case.kind,
            channel=case.channel,
            category=case.category,
            organisation=organisation.code if organisation else "",
            deadline=case.deadline.isoformat(),
        )
    return Filed(case, secret)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("region").get(pk=case.pk)


def _require_open(case: Case) -> None:
    if case.state not in OPEN_STATES:
        raise DomainError(_("This case is already answered or closed."), code="desk.not_open")


def reroute(case: Case, organisation: Organisation, *, acting_user: User, reason: str) -> Case:
    require_capability(acting_user, ROUTE)
    if not reason.strip():
        raise ValidationFailed(fields={"reason": [_("Say why the case goes elsewhere.")]})
    if organisation.kind not in ROUTABLE_KINDS:
        raise ValidationFailed(fields={"organisation": [_("Choose the bureau or an insurer.")]})
    with transaction.atomic():
        case = _locked(case)
        _require_open(case)
        before = case.organisation.code if case.organisation else ""
        case.organisation = organisation
        case.assignee = None
        case.state = CaseState.ROUTED
        case.save(update_fields=["organisation", "assignee", "state"])
        log_action(
            acting_user=acting_user,
            action="desk.case.routed",
            object_type=OBJECT_TYPE,
            object_id=case.pk,
            region_path=case.region.path,
            before={"organisation": before},
            after={"organisation": organisation.code, "state": case.state},
            reason=reason.strip(),
        )
    return case


def assign(case: Case, assignee: User, *, acting_user: User) -> Case:
    require_capability(acting_user, HANDLE)
    if not assignee.can(HANDLE):
        raise ValidationFailed(fields={"assignee": [_("This user cannot handle cases.")]})
    with transaction.atomic():
        case = _locked(case)
        _require_open(case)
        case.assignee = assignee
        case.state = CaseState.IN_PROGRESS
        case.save(update_fields=["assignee", "state"])
        _log(case, "desk.case.assigned", acting_user, assignee=assignee.get_username())
    return case


def add_note(case: Case, text: str, *, acting_user: User) -> Reply:
    require_capability(acting_user, HANDLE)
    if not text.strip():
        raise ValidationFailed(fields={"text": [_("Write the note.")]})
    with transaction.atomic():
        case = _locked(case)
        reply = Reply.objects.create(
            case=case, kind=ReplyKind.NOTE, text=text.strip(), author=acting_user
        )
        _log(case, "desk.case.noted", acting_user)
    return reply


def answer(case: Case, text: str, *, acting_user: User | None, on: dt.date | None = None) -> Case:
    """The answer to the filer: shown to them when they track the case."""
    require_capability(acting_user, HANDLE)
    if not text.strip():
        raise ValidationFailed(fields={"text": [_("Write the answer.")]})
    with transaction.atomic():
        case = _locked(case)
        _require_open(case)
        Reply.objects.create(
            case=case, kind=ReplyKind.ANSWER, text=text.strip(), author=acting_user
        )
        case.answer = text.strip()
        case.answered_on = on or local_today()
        case.state = CaseState.ANSWERED
        if case.assignee is None:
            case.assignee = acting_user
        case.save(update_fields=["answer", "answered_on", "state", "assignee"])
        _log(case, "desk.case.answered", acting_user, answered_on=case.answered_on.isoformat())
    return case


def close(case: Case, satisfaction: str, *, acting_user: User) -> Case:
    require_capability(acting_user, HANDLE)
    if satisfaction not in Satisfaction.values:
        raise ValidationFailed(fields={"satisfaction": [_("Record the filer's satisfaction.")]})
    with transaction.atomic():
        case = _locked(case)
        if case.state != CaseState.ANSWERED:
            raise DomainError(_("Only an answered case can be closed."), code="desk.not_answered")
        case.satisfaction = satisfaction
        case.state = CaseState.CLOSED
        case.closed_on = local_today()
        case.save(update_fields=["satisfaction", "state", "closed_on"])
        _log(case, "desk.case.closed", acting_user, satisfaction=satisfaction)
    return case


def escalate(case: Case, *, acting_user: User | None, reason: str) -> Case:
    """Mark the case escalated: the supervisors of its organisation and region see it."""
    if acting_user is not None:
        require_capability(acting_user, HANDLE)
    with transaction.atomic():
        case = _locked(case)
        _require_open(case)
        if case.escalated:
            return case
        case.escalated = True
        case.save(update_fields=["escalated"])
        log_action(
            acting_user=acting_user,
            action="desk.case.escalated",
            object_type=OBJECT_TYPE,
            object_id=case.pk,
            region_path=case.region.path,
            after={"escalated": True, "deadline": case.deadline.isoformat()},
            reason=reason,
        )
    return case


def escalate_overdue(today: dt.date) -> int:
    """Escalate every open case whose deadline has passed (the daily job)."""
    count = 0
    for case in Case.objects.filter(state__in=OPEN_STATES, escalated=False, deadline__lt=today):
        escalate(case, acting_user=None, reason="overdue")
        count += 1
    return count


def refer_to_audit(case: Case, *, acting_user: User, note: str = "") -> Referral:
    require_capability(acting_user, HANDLE)
    if case.kind != CaseKind.REPORT:
        raise DomainError(_("Only a fraud report is referred to audit."), code="desk.not_report")
    with transaction.atomic():
        case = _locked(case)
        if case.referrals.exists():
            raise DomainError(_("This report is already referred to audit."), code="desk.referred")
        referral = Referral.objects.create(case=case, note=note.strip(), referred_by=acting_user)
        _log(case, "desk.case.referred", acting_user, referral=referral.pk)
    return referral


def confirm_report(case: Case, verified_fen: int, *, acting_user: User) -> Case:
    """Record the amount the report helped verify and the reward the desk pack gives for it."""
    require_capability(acting_user, HANDLE)
    if case.kind != CaseKind.REPORT:
        raise DomainError(_("Only a fraud report earns a reward."), code="desk.not_report")
    if verified_fen < 0:
        raise ValidationFailed(fields={"verified": [_("The amount cannot be negative.")]})
    reward = rules.reward_for(case.region.code, case.received_on, verified_fen)
    if reward is None:
        raise DomainError(
            _("No reward rule is in force for this region on the day of receipt."),
            code="desk.no_reward_rule",
        )
    with transaction.atomic():
        case = _locked(case)
        case.verified_fen = verified_fen
        case.reward_fen = reward.fen
        case.reward_sample = reward.sample
        case.save(update_fields=["verified_fen", "reward_fen", "reward_sample"])
        _log(
            case,
            "desk.case.confirmed",
            acting_user,
            verified_fen=verified_fen,
            reward_fen=reward.fen,
            pack=reward.pack,
        )
    return case


def reveal_reporter(case: Case, *, acting_user: User) -> dict[str, str]:
    """The filer's identity in clear, for a holder of the reveal capability; logged each time
    (the log says that it was seen, not what)."""
    require_capability(acting_user, REVEAL)
    with transaction.atomic():
        _log(case, "desk.reporter.revealed", acting_user)
    return {"name": case.filer_name, "document": case.filer_document, "phone": case.filer_phone}


# --- Routing rules ------------------------------------------------------------------------

EDIT_ROUTING = "desk.routing.edit"
RULE_OBJECT_TYPE = "desk.routing_rule"


def _rule_snapshot(rule: RoutingRule) -> dict[str, object]:
    return {
        "category": rule.category,
        "region": rule.region.code,
        "organisation": rule.organisation.code,
    }


def _check_rule(
    category: str,
    region: Region | None,
    organisation: Organisation | None,
    *,
    acting_user: User,
    exclude: int | None = None,
) -> None:
    """Refuse a rule the bureau should not store: every problem named on its field."""
    errors: dict[str, list[object]] = {}
    if category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if region is None or not Region.objects.filter(pk=region.pk).exists():
        errors["region"] = [_("Choose a known region.")]
    elif not is_unrestricted(acting_user) and (
        acting_user.region is None or not region.path.startswith(acting_user.region.path)
    ):
        errors["region"] = [_("Choose a region within your own area.")]
    if organisation is None or organisation.kind not in ROUTABLE_KINDS:
        errors["organisation"] = [_("Choose the bureau or an insurer.")]
    elif region is not None and "region" not in errors:
        org_path = organisation.region.path
        if not (region.path.startswith(org_path) or org_path.startswith(region.path)):
            errors["organisation"] = [_("This organisation does not work in that region.")]
    if not errors and region is not None:
        duplicate = RoutingRule.objects.filter(category=category, region=region)
        if exclude is not None:
            duplicate = duplicate.exclude(pk=exclude)
        if duplicate.exists():
            errors["region"] = [_("A rule for this category and region already exists.")]
    if errors:
        raise ValidationFailed(fields=errors)  # type: ignore[arg-type]


def add_rule(
    category: str,
    region: Region | None,
    organisation: Organisation | None,
    *,
    acting_user: User,
) -> RoutingRule:
    """A new routing rule: cases of ``category`` from ``region`` go to ``organisation``."""
    require_capability(acting_user, EDIT_ROUTING)
    _check_rule(category, region, organisation, acting_user=acting_user)
    assert region is not None and organisation is not None
    with transaction.atomic():
        rule = RoutingRule.objects.create(
            category=category, region=region, organisation=organisation
        )
        log_action(
            acting_user=acting_user,
            action="desk.routing.added",
            object_type=RULE_OBJECT_TYPE,
            object_id=rule.pk,
            region_path=region.path,
            after=_rule_snapshot(rule),
        )
    return rule


def edit_rule(
    rule: RoutingRule,
    category: str,
    region: Region | None,
    organisation: Organisation | None,
    *,
    acting_user: User,
) -> RoutingRule:
    """Change a rule; cases already received keep their organisation."""
    require_capability(acting_user, EDIT_ROUTING)
    _check_rule(category, region, organisation, acting_user=acting_user, exclude=rule.pk)
    assert region is not None and organisation is not None
    with transaction.atomic():
        rule = (
            RoutingRule.objects.select_for_update()
            .select_related("region", "organisation")
            .get(pk=rule.pk)
        )
        before = _rule_snapshot(rule)
        rule.category, rule.region, rule.organisation = category, region, organisation
        rule.save(update_fields=["category", "region", "organisation"])
        log_action(
            acting_user=acting_user,
            action="desk.routing.changed",
            object_type=RULE_OBJECT_TYPE,
            object_id=rule.pk,
            region_path=region.path,
            before=before,
            after=_rule_snapshot(rule),
        )
    return rule


def delete_rule(rule: RoutingRule, *, acting_user: User) -> None:
    """Remove a rule: cases of its category and region then follow the rule of the region
    above, or stay unrouted until an operator routes them."""
    require_capability(acting_user, EDIT_ROUTING)
    with transaction.atomic():
        rule = (
            RoutingRule.objects.select_for_update()
            .select_related("region", "organisation")
            .get(pk=rule.pk)
        )
        before = _rule_snapshot(rule)
        pk, path = rule.pk, rule.region.path
        rule.delete()
        log_action(
            acting_user=acting_user,
            action="desk.routing.deleted",
            object_type=RULE_OBJECT_TYPE,
            object_id=pk,
            region_path=path,
            before=before,
        )
