"""Filing for treatment in another region (异地就医备案): file, approve, refuse, cancel, expire.

Each service is one transaction writing its action-log row; a refused step changes nothing.
The rules (validity, approval or commitment, proof, how far back a filing may start) come from
the filing pack in force for the person's place on the day of filing (``rules``).

Who files: an operator at a window (``filing.filing.record``, any person in scope, channel
``window``: a paper proof checked on the spot puts the filing in effect at once); the insured
person online for themself (``filing.own.file``, channel ``online``) or for a person whose
agent they are for ``cross_region_filing`` (channel ``agent``, logged on that person's behalf).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import today as local_today
from jingban.core.errors import Forbidden, Message, NotFound, ValidationFailed
from jingban.core.models import User
from jingban.engine.policy.families.filing import KIND_LABELS, FilingKind, KindRule
from jingban.filing import places, queries, transitions
from jingban.filing.models import Channel, Filing, FilingMaterial, Kind, Status
from jingban.filing.rules import filing_pack, pooling_area, rules_of
from jingban.registry.models import Person

VIEW = "filing.filing.view"
RECORD = "filing.filing.record"
DECIDE = "filing.filing.decide"
CANCEL = "filing.filing.cancel"
OWN = "filing.own.file"
AGENT_SERVICE = "cross_region_filing"
# How far ahead a filing may start.
MAX_AHEAD_DAYS = 366
MAX_MATERIALS = 5


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus whole calendar months, held to the month's last day (01-31 + 1 → 02-28)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass
class FilingInput:
    person: Person
    kind: str
    destination: str
    start: dt.date | None = None
    end: dt.date | None = None
    commitment: bool = False
    paper_checked: bool = False
    note: str = ""
    materials: Sequence[UploadedFile] = field(default_factory=tuple)


def _channel(person: Person, acting_user: User) -> tuple[str, Person | None]:
    """The channel the acting user files through for ``person`` and the agent, if any; NotFound
    when they may not file for the person (out of scope, not their agent)."""
    from jingban.registry.services.agents import authorise_agent_act

    if acting_user.can(RECORD):
        if not queries.person_in_scope(acting_user, person.pk):
            raise NotFound()
        return Channel.WINDOW, None
    if not acting_user.can(OWN):
        raise Forbidden()
    if person.account_id == acting_user.pk:
        return Channel.ONLINE, None
    authorise_agent_act(acting_user, person.pk, AGENT_SERVICE)
    return Channel.AGENT, Person.objects.filter(account=acting_user).first()


def _problems(
    data: FilingInput, rule: KindRule | None, channel: str, today: dt.date, digits: int
) -> tuple[dict[str, list[Message]], dt.date, dt.date | None]:
    from jingban.files.services import problems_of

    problems: dict[str, list[Message]] = {}

    def add(name: str, message: Message) -> None:
        problems.setdefault(name, []).append(message)

    start = data.start or today
    end = data.end
    if data.kind not in Kind.values:
        add("kind", _("Choose the kind of filing."))
    elif rule is None:
        add("kind", _("This kind of filing is not offered in the insured place."))
    destination = (data.destination or "").strip()
    if not places.is_code(destination):
        add("destination", _("Enter the six-digit code of a province, city or county."))
    elif pooling_area(destination, digits) == pooling_area(data.person.region.code[:6], digits):
        add(
            "destination",
            _("The destination is in the insured place's own pooling area: no filing is needed."),
        )
    if end is not None and end < start:
        add("end", _("The end date is before the start date."))
    if len(data.note) > 500:
        add("note", _("At most 500 characters."))
    if start > today + dt.timedelta(days=MAX_AHEAD_DAYS):
        add("start", _("A filing starts at most a year from today."))
    if rule is None:
        return problems, start, end
    if start < today - dt.timedelta(days=rule.backdate_days):
        if rule.backdate_days:
            add(
                "start",
                _("A filing of this kind starts at most %(days)d days before today.")
                % {"days": rule.backdate_days},
            )
        else:
            add("start", _("A filing of this kind cannot start before today."))
    if rule.validity_months is not None and "end" not in problems:
        latest = add_months(start, rule.validity_months) - dt.timedelta(days=1)
        if end is None:
            end = latest
        elif end > latest:
            add(
                "end",
                _("A filing of this kind is valid for at most %(months)d months, until %(day)s.")
                % {"months": rule.validity_months, "day": latest.isoformat()},
            )
    if end is not None and rule.min_months and "end" not in problems:
        earliest = add_months(start, rule.min_months) - dt.timedelta(days=1)
        if end < earliest:
            add(
                "end",
                _("A filing of this kind runs for at least %(months)d months, until %(day)s.")
                % {"months": rule.min_months, "day": earliest.isoformat()},
            )
    if data.commitment and not rule.commitment:
        add("commitment", _("This kind of filing needs its proof; a commitment is not enough."))
    if data.paper_checked and channel != Channel.WINDOW:
        add("paper_checked", _("Only an operator at a window checks paper proofs."))
    if len(data.materials) > MAX_MATERIALS:
        add("materials", _("At most %(count)d files.") % {"count": MAX_MATERIALS})
    for upload in data.materials:
        for message in problems_of(upload):
            add("materials", message)
    needs_proof = rule.approval and rule.proof is not None and not data.commitment
    if needs_proof and not data.materials and not data.paper_checked:
        zh, en = _proof_label(rule)
        add("materials", _("Upload the proof: %(proof)s.") % {"proof": zh if _zh() else en})
    return problems, start, end


def _zh() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "zh-hans").startswith("zh")


def _proof_label(rule: KindRule) -> tuple[str, str]:
    from jingban.engine.policy.families.filing import PROOF_LABELS

    return PROOF_LABELS[rule.proof] if rule.proof is not None else ("", "")


def kind_label(kind: str) -> str:
    zh, en = KIND_LABELS.get(FilingKind(kind), (kind, kind))
    return zh if _zh() else en


def _principal(person: Person) -> str:
    return f"registry.person:{person.pk}"


def file_filing(data: FilingInput, *, acting_user: User) -> Filing:
    """File (备案) for ``data.person`` as the acting user may (see the module's docstring).

    In effect at once when the kind needs no approval, when a personal commitment stands for
    the proof where the pack allows it, or when an operator checked the paper proof at the
    window; waiting for approval otherwise. Refused, nothing stored: a field that is wrong
    (``ValidationFailed`` naming it: dates in the wrong order, a period the pack does not
    allow, a destination in the insured place, a proof missing or a file refused), a long-term
    filing overlapping another one, a person out of scope (NotFound)."""
    channel, agent = _channel(data.person, acting_user)
    today = local_today()
    person = data.person
    pack = filing_pack(person.region.code, today)
    rules = rules_of(pack) if pack is not None else None
    rule = rules.kinds.get(FilingKind(data.kind)) if rules and data.kind in Kind.values else None
    digits = rules.pooling_digits if rules else 4
    problems, start, end = _problems(data, rule, channel, today, digits)
    if problems or rule is None or pack is None:
        raise ValidationFailed(fields=problems or {"kind": [_("No filing rules are in force.")]})
    from jingban.files.services import attach_file

    immediate = (
        not rule.approval
        or (data.commitment and rule.commitment)
        or (channel == Channel.WINDOW and data.paper_checked)
    )
    with transaction.atomic():
        # One filing at a time per person: the long-term overlap check cannot race.
        person = Person.objects.select_for_update().select_related("region").get(pk=person.pk)
        if data.kind in {k.value for k in _long_term()}:
            overlapping = Filing.objects.filter(
                person=person,
                kind__in=[k.value for k in _long_term()],
                status__in=[Status.PENDING, Status.IN_EFFECT],
            ).filter(Q(end__isnull=True) | Q(end__gte=start))
            if end is not None:
                overlapping = overlapping.filter(start__lte=end)
            if overlapping.exists():
                raise ValidationFailed(
                    fields={
                        "kind": [
                            _(
                                "A long-term filing is already in effect or waiting for "
                                "approval for this period: cancel it first."
                            )
                        ]
                    }
                )
        filing = Filing.objects.create(
            person=person,
            kind=data.kind,
            insured_area=pooling_area(person.region.code[:6], digits),
            destination=data.destination.strip(),
            destination_name=places.name_of(data.destination.strip()),
            start=start,
            end=end,
            commitment=data.commitment,
            paper_checked=data.paper_checked,
            channel=channel,
            status=Status.IN_EFFECT if immediate else Status.PENDING,
            filed_on=today,
            filed_by=acting_user,
            agent=agent,
            note=data.note,
            decided_by=acting_user if immediate and channel == Channel.WINDOW else None,
            decided_at=timezone.now() if immediate else None,
            region_path=person.region.path,
            pack=f"{pack.id}@{pack.version}",
        )
        for upload in data.materials:
            stored = attach_file("filing.filing", str(filing.pk), upload, acting_user=acting_user)
            FilingMaterial.objects.create(
                filing=filing, kind=rule.proof or "", file=stored, by=acting_user
            )
        log_action(
            acting_user=acting_user,
            action="filing.filing.filed",
            object_type="filing.filing",
            object_id=filing.pk,
            region_path=filing.region_path,
            after={
                "kind": filing.kind,
                "destination": filing.destination,
                "start": start.isoformat(),
                "end": end.isoformat() if end else None,
                "channel": channel,
                "commitment": filing.commitment,
                "status": filing.status,
                "pack": filing.pack,
            },
            on_behalf_of=_principal(person) if channel == Channel.AGENT else "",
        )
    return filing


def _long_term() -> tuple[Kind, ...]:
    return (Kind.RETIRED_RESETTLED, Kind.LONG_TERM_RESIDENCE, Kind.RESIDENT_WORK)


def _locked(filing: Filing) -> Filing:
    return Filing.objects.select_for_update().select_related("person").get(pk=filing.pk)


def approve(filing: Filing, *, acting_user: User) -> Filing:
    """Approve a filing waiting for approval (审核通过): in effect from its start."""
    if not acting_user.can(DECIDE):
        raise Forbidden()
    with transaction.atomic():
        filing = _locked(filing)
        transitions.move(filing, Status.IN_EFFECT)
        filing.decided_by, filing.decided_at = acting_user, timezone.now()
        filing.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
        log_action(
            acting_user=acting_user,
            action="filing.filing.approved",
            object_type="filing.filing",
            object_id=filing.pk,
            region_path=filing.region_path,
            before={"status": Status.PENDING},
            after={"status": filing.status},
        )
    return filing


def refuse(filing: Filing, reason: str, *, acting_user: User) -> Filing:
    """Refuse a filing waiting for approval, with the reason the person is told."""
    if not acting_user.can(DECIDE):
        raise Forbidden()
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed(
            fields={"reason": [_("Give the reason, in at most 500 characters.")]}
        )
    with transaction.atomic():
        filing = _locked(filing)
        transitions.move(filing, Status.REFUSED)
        filing.decided_by, filing.decided_at = acting_user, timezone.now()
        filing.refusal_reason = reason
        filing.save(
            update_fields=["status", "decided_by", "decided_at", "refusal_reason", "updated_at"]
        )
        log_action(
            acting_user=acting_user,
            action="filing.filing.refused",
            object_type="filing.filing",
            object_id=filing.pk,
            region_path=filing.region_path,
            before={"status": Status.PENDING},
            after={"status": filing.status},
            reason=reason,
        )
    return filing


def cancel(filing: Filing, reason: str, *, acting_user: User) -> Filing:
    """Cancel a filing (取消备案) from today, by an operator (``filing.filing.cancel``) or by
    the person or their agent: it stays in force for the days before. A filing cancelled on its
    first day or before was never in force."""
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationFailed(fields={"reason": [_("At most 500 characters.")]})
    on_behalf = ""
    if not acting_user.can(CANCEL):
        if not acting_user.can(OWN):
            raise Forbidden()
        if filing.person.account_id != acting_user.pk:
            from jingban.registry.services.agents import authorise_agent_act

            authorise_agent_act(acting_user, filing.person_id, AGENT_SERVICE)
            on_behalf = f"registry.person:{filing.person_id}"
    with transaction.atomic():
        filing = _locked(filing)
        before = filing.status
        transitions.move(filing, Status.CANCELLED)
        filing.cancelled_on = max(local_today(), filing.start)
        filing.cancelled_by = acting_user
        filing.cancel_reason = reason
        filing.save(
            update_fields=[
                "status",
                "cancelled_on",
                "cancelled_by",
                "cancel_reason",
                "updated_at",
            ]
        )
        log_action(
            acting_user=acting_user,
            action="filing.filing.cancelled",
            object_type="filing.filing",
            object_id=filing.pk,
            region_path=filing.region_path,
            before={"status": before},
            after={"status": filing.status, "cancelled_on": filing.cancelled_on.isoformat()},
            reason=reason,
            on_behalf_of=on_behalf,
        )
    return filing


def expire_due(day: dt.date | None = None, *, acting_user: User | None = None) -> int:
    """Mark the filings in effect whose end is before ``day`` (today) as expired; one
    action-log row for the batch. Returns how many."""
    day = day or local_today()
    with transaction.atomic():
        due = list(
            Filing.objects.select_for_update()
            .filter(status=Status.IN_EFFECT, end__lt=day)
            .values_list("pk", flat=True)
        )
        if not due:
            return 0
        for filing in Filing.objects.filter(pk__in=due):
            transitions.move(filing, Status.EXPIRED)
        Filing.objects.filter(pk__in=due).update(status=Status.EXPIRED, updated_at=timezone.now())
        log_action(
            acting_user=acting_user,
            action="filing.filing.expired",
            object_type="filing.filing",
            after={"count": len(due), "day": day.isoformat(), "ids": due[:100]},
        )
    return len(due)
