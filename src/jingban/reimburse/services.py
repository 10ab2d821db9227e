"""Manual reimbursement (手工报销): apply, ask for more materials, resubmit, approve (settled
through the medical engine, channel manual), reject, pay, withdraw.

Each service is one transaction writing its action-log row; a refused step changes nothing.
Who applies: an operator at a window (``reimburse.reimbursement.record``, any person in scope);
the insured person online for themself (``reimburse.own.apply``) or for a person whose agent
they are for ``submit_claim`` (logged on that person's behalf). The reviewer
(``reimburse.reimbursement.review``) decides; an operator (``reimburse.reimbursement.pay``)
records the payment.

The clock (the pack's ``review_working_days``): the deadline counts working days from receipt;
asking for more materials stops it (the working days left are kept); the resubmission restarts
it with those days, counted from the day of the resubmission.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import add_working_days, working_days_between
from jingban.core.calendar import today as local_today
from jingban.core.errors import DomainError, Forbidden, Message, NotFound, ValidationFailed
from jingban.core.models import Organisation, User
from jingban.documents.models import IssuedDocument
from jingban.engine.policy.families.reimbursement import Case, ReimbursementVisit
from jingban.engine.policy.families.reimbursement import Cause as PackCause
from jingban.registry.models import Person
from jingban.reimburse import notify, queries, transitions
from jingban.reimburse.models import (
    INPATIENT_KINDS,
    LIVE,
    BillLine,
    Cause,
    Channel,
    Invoice,
    Material,
    Reimbursement,
    Status,
    VisitKind,
)
from jingban.reimburse.rules import pack_of, reimbursement_pack, rules_of

VIEW = "reimburse.reimbursement.view"
RECORD = "reimburse.reimbursement.record"
REVIEW = "reimburse.reimbursement.review"
PAY = "reimburse.reimbursement.pay"
OWN = "reimburse.own.apply"
AGENT_SERVICE = "submit_claim"
OBJECT = "reimburse.reimbursement"
MAX_MATERIALS = 20
MAX_LINES = 500
MAX_INVOICES = 50
# How far back a bill may be handed in (sample: the pack gives no figure yet).
MAX_AGE_DAYS = 366 * 2

MED_TYPES = {
    VisitKind.OUTPATIENT: "11",
    VisitKind.EMERGENCY: "13",
    VisitKind.CHRONIC: "14",
    VisitKind.INPATIENT: "21",
    VisitKind.MATERNITY: "52",
}


@dataclass
class InvoiceInput:
    code: str
    number: str
    amount: int
    issued_on: dt.date | None
    check_code: str = ""


@dataclass
class LineInput:
    code: str
    name: str
    quantity: Decimal | str
    price: int
    amount: int


@dataclass
class ApplicationInput:
    person: Person
    institution: Organisation | None
    visit_kind: str
    cause: str
    admitted_on: dt.date | None
    discharged_on: dt.date | None
    bank_name: str
    account_holder: str
    account_number: str
    invoices: Sequence[InvoiceInput] = field(default_factory=tuple)
    lines: Sequence[LineInput] = field(default_factory=tuple)
    # (the pack's material key, the upload)
    materials: Sequence[tuple[str, UploadedFile]] = field(default_factory=tuple)
    diagnosis_code: str = ""
    referral: bool = False
    # Materials (the pack's keys) an operator checked on paper at the window.
    paper_checked: Sequence[str] = field(default_factory=tuple)


class Problems(dict[str, list[Message]]):
    def add(self, name: str, message: Message) -> None:
        self.setdefault(name, []).append(message)


def mask_account(number: str) -> str:
    """``6222 **** **** 1234``: the first four and the last four digits only."""
    digits = "".join(ch for ch in number if ch.isdigit())
    if len(digits) < 8:
        return "****"
    return f"{digits[:4]} **** **** {digits[-4:]}"


def _channel(person: Person, acting_user: User) -> tuple[str, Person | None]:
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


def _cross_region(person: Person, institution: Organisation, day: dt.date) -> str:
    from jingban.medical import ports

    decision = ports.cross_region(
        person.pk,
        day,
        insured_area=person.region.code[:6],
        treatment_area=institution.region.code[:6],
        emergency=False,
    )
    return str(getattr(decision.rule, "value", decision.rule))


def _not_covered(person: Person, day: dt.date) -> Message | None:
    from jingban.medical import ports
    from jingban.medical.services.common import history

    try:
        ports.coverage(person.pk, "resident_medical", day, history=history(person.pk, day.year))
    except DomainError as err:
        return str(err.message) if getattr(err, "message", None) else str(err)
    return None


def _check_lines(lines: Sequence[LineInput], day: dt.date, problems: Problems) -> int:
    from jingban.catalogue.classify import half_up
    from jingban.catalogue.queries import item_rules, version_in_force

    if not lines:
        problems.add("lines", _("Enter the lines of the itemised bill."))
        return 0
    if len(lines) > MAX_LINES:
        problems.add("lines", _("At most %(count)d lines.") % {"count": MAX_LINES})
        return 0
    version = version_in_force(day)
    known = item_rules(version, [ln.code.strip() for ln in lines]) if version else {}
    total = 0
    for row, line in enumerate(lines, start=1):
        name = f"lines.{row}"
        try:
            quantity = Decimal(str(line.quantity).strip())
            ok = quantity.is_finite() and quantity > 0 and quantity < 10**8
            ok = ok and quantity == quantity.quantize(Decimal("0.0001"))
        except (InvalidOperation, ValueError):
            ok = False
        if not line.code.strip():
            problems.add(name, _("Line %(row)d: enter the catalogue code.") % {"row": row})
        elif version is not None and line.code.strip() not in known:
            problems.add(
                name,
                _("Line %(row)d: code %(code)s is not in the catalogue in force.")
                % {"row": row, "code": line.code.strip()},
            )
        if not line.name.strip():
            problems.add(name, _("Line %(row)d: enter the item's name.") % {"row": row})
        if not ok:
            problems.add(name, _("Line %(row)d: the quantity must be more than 0.") % {"row": row})
            continue
        if line.price < 0 or line.amount < 0:
            problems.add(name, _("Line %(row)d: an amount is negative.") % {"row": row})
            continue
        exact = Fraction(quantity) * line.price
        if half_up(exact) != line.amount:
            problems.add(
                name,
                _("Line %(row)d: quantity × price is not the line's amount.") % {"row": row},
            )
        total += line.amount
    return total


def _where(item: Reimbursement) -> str:
    return item.person.region.name if item.person_id else ""


def _check_invoices(invoices: Sequence[InvoiceInput], problems: Problems) -> int:
    if not invoices:
        problems.add("invoices", _("Enter at least one invoice."))
        return 0
    if len(invoices) > MAX_INVOICES:
        problems.add("invoices", _("At most %(count)d invoices.") % {"count": MAX_INVOICES})
        return 0
    seen: set[tuple[str, str]] = set()
    total = 0
    for row, inv in enumerate(invoices, start=1):
        name = f"invoices.{row}"
        key = (inv.code.strip(), inv.number.strip())
        if not key[0] or not key[1]:
            problems.add(
                name, _("Invoice %(row)d: enter the invoice code and number.") % {"row": row}
            )
            continue
        if len(key[0]) > 20 or len(key[1]) > 20 or len(inv.check_code) > 20:
            problems.add(name, _("Invoice %(row)d: at most 20 characters each.") % {"row": row})
            continue
        if key in seen:
            problems.add(name, _("Invoice %(row)d is entered twice.") % {"row": row})
            continue
        seen.add(key)
        if inv.amount <= 0:
            problems.add(name, _("Invoice %(row)d: the amount must be more than 0.") % {"row": row})
        if inv.issued_on is None:
            problems.add(name, _("Invoice %(row)d: enter the invoice date.") % {"row": row})
        total += max(inv.amount, 0)
        taken = (
            Invoice.objects.filter(code=key[0], number=key[1], live=True)
            .select_related("reimbursement__person__region")
            .first()
        )
        if taken is not None:
            other = taken.reimbursement
            message = (
                _(
                    "Invoice %(row)d (%(code)s-%(number)s) is already in reimbursement "
                    "%(ref)s (%(status)s), received in %(where)s on %(day)s."
                )
                if other.status != Status.PAID
                else _(
                    "Invoice %(row)d (%(code)s-%(number)s) was already reimbursed: "
                    "reimbursement %(ref)s, received in %(where)s on %(day)s."
                )
            )
            problems.add(
                name,
                message
                % {
                    "row": row,
                    "code": key[0],
                    "number": key[1],
                    "ref": other.number,
                    "status": Status(other.status).label,
                    "where": _where(other),
                    "day": other.received_on.isoformat(),
                },
            )
    return total


def _settled_directly(data: ApplicationInput, total: int) -> Message | None:
    """A direct settlement of the same bill: the same person, hospital, visit dates and total."""
    from jingban.medical.models import (
        Settlement,
        SettlementChannel,
        SettlementKind,
        SettlementStatus,
    )

    assert data.institution is not None and data.admitted_on is not None
    rows = Settlement.objects.filter(
        person=data.person,
        institution=data.institution,
        kind=SettlementKind.SETTLEMENT,
        status=SettlementStatus.SETTLED,
        channel=SettlementChannel.DIRECT,
        medfee_sumamt=total,
    ).select_related("visit")
    for row in rows:
        begun = timezone.localtime(row.visit.begntime).date()
        ended = timezone.localtime(row.visit.endtime).date() if row.visit.endtime else begun
        if begun == data.admitted_on and ended == (data.discharged_on or data.admitted_on):
            return _(
                "This bill was already settled directly at the hospital: settlement %(ref)s "
                "of %(day)s."
            ) % {"ref": row.setl_id, "day": timezone.localtime(row.setl_time).date().isoformat()}
    return None


def material_label(key: str, rules: object | None = None) -> str:
    from django.utils.translation import get_language

    if rules is None:
        return key
    rule = rules.materials.get(key)  # type: ignore[attr-defined]
    if rule is None:
        return key
    zh = (get_language() or "zh-hans").startswith("zh")
    return str(rule.label.zh if zh else rule.label.en)


def checklist(item_case: Case, region_code: str, day: dt.date) -> list[tuple[str, str, bool]]:
    """The materials asked for in a case: (key, label, required)."""
    pack = reimbursement_pack(region_code, day)
    if pack is None:
        return []
    rules = rules_of(pack)
    return [(key, material_label(key, rules), r.required) for key, r in rules.checklist(item_case)]


def _problems(
    data: ApplicationInput, today: dt.date, channel: str
) -> tuple[Problems, int, str, object]:
    from jingban.files.services import problems_of

    problems = Problems()
    if data.paper_checked and channel != Channel.WINDOW:
        problems.add("paper_checked", _("Only an operator at a window checks paper materials."))
    if data.visit_kind not in VisitKind.values:
        problems.add("visit_kind", _("Choose the visit type."))
    if data.cause not in Cause.values:
        problems.add("cause", _("Choose the cause."))
    if data.institution is None:
        problems.add("institution", _("Choose the hospital."))
    admitted, discharged = data.admitted_on, data.discharged_on
    if admitted is None:
        problems.add("admitted_on", _("Enter the admission or visit day."))
    elif admitted > today:
        problems.add("admitted_on", _("The day is in the future."))
    elif admitted < today - dt.timedelta(days=MAX_AGE_DAYS):
        problems.add("admitted_on", _("A bill is handed in at most two years after the visit."))
    if data.visit_kind in INPATIENT_KINDS and discharged is None:
        problems.add("discharged_on", _("Enter the discharge day."))
    if discharged is not None:
        if admitted is not None and discharged < admitted:
            problems.add("discharged_on", _("The discharge day is before the admission day."))
        elif discharged > today:
            problems.add("discharged_on", _("The day is in the future."))
    if data.visit_kind == VisitKind.CHRONIC and not data.diagnosis_code.strip():
        problems.add("diagnosis_code", _("Enter the diagnosis code of the chronic disease."))
    digits = "".join(ch for ch in data.account_number if ch.isdigit())
    if not data.bank_name.strip() or len(data.bank_name) > 60:
        problems.add("bank_name", _("Enter the bank, in at most 60 characters."))
    if not data.account_holder.strip() or len(data.account_holder) > 60:
        problems.add("account_holder", _("Enter the account holder, in at most 60 characters."))
    if not 12 <= len(digits) <= 30 or digits != data.account_number.replace(" ", ""):
        problems.add("account_number", _("Enter the account number: 12 to 30 digits."))
    invoice_total = _check_invoices(data.invoices, problems)
    day = discharged or admitted or today
    line_total = _check_lines(data.lines, day, problems)
    if (
        "invoices" not in problems
        and "lines" not in problems
        and not any(k.startswith(("invoices.", "lines.")) for k in problems)
        and invoice_total != line_total
    ):
        problems.add(
            "lines",
            _(
                "The bill lines add up to %(lines)s yuan but the invoices to %(invoices)s yuan: "
                "they must be equal."
            )
            % {"lines": _yuan(line_total), "invoices": _yuan(invoice_total)},
        )
    if admitted is not None and "admitted_on" not in problems:
        refused = _not_covered(data.person, admitted)
        if refused is not None:
            problems.add("admitted_on", refused)
    cross_region = ""
    rules = None
    if data.institution is not None and admitted is not None and "admitted_on" not in problems:
        cross_region = _cross_region(data.person, data.institution, admitted)
        if invoice_total and "discharged_on" not in problems:
            found = _settled_directly(data, invoice_total)
            if found is not None:
                problems.add("invoices", found)
    pack = reimbursement_pack(data.person.region.code, today)
    if pack is None:
        problems.add("visit_kind", _("No reimbursement rules are in force for the person's place."))
    if len(data.materials) > MAX_MATERIALS:
        problems.add("materials", _("At most %(count)d files.") % {"count": MAX_MATERIALS})
    for key, upload in data.materials:
        for message in problems_of(upload):
            problems.add(f"materials.{key}", message)
    if pack is not None and data.visit_kind in VisitKind.values and data.cause in Cause.values:
        rules = rules_of(pack)
        given = [k for k, _u in data.materials] + list(data.paper_checked)
        unknown = set(given) - set(rules.materials)
        for key in sorted(unknown):
            problems.add("materials", _("%(kind)s is not a material of this case.") % {"kind": key})
        case = Case(
            visit=ReimbursementVisit(data.visit_kind),
            cause=PackCause(data.cause),
            cross_region=cross_region not in ("", "local"),
            referral=data.referral,
        )
        for keys in rules.missing(case, given):
            labels = " / ".join(material_label(k, rules) for k in keys)
            problems.add(
                f"materials.{keys[0]}", _("Upload the material: %(label)s.") % {"label": labels}
            )
    return problems, invoice_total, cross_region, pack


def _yuan(fen: int) -> str:
    from jingban.engine.money import format_yuan

    return format_yuan(fen)


def _principal(person: Person) -> str:
    return f"registry.person:{person.pk}"


def apply(data: ApplicationInput, *, acting_user: User) -> Reimbursement:
    """Apply for the reimbursement of a bill, as the acting user may (see the module's
    docstring). Refused, nothing stored, naming the field: a date in the wrong order, a person
    not enrolled on the day, an invoice already reimbursed or in another application (where and
    when), a bill settled directly, a missing material, amounts that do not add up."""
    channel, agent = _channel(data.person, acting_user)
    today = local_today()
    problems, total, cross_region, pack = _problems(data, today, channel)
    if problems or pack is None:
        raise ValidationFailed(fields=dict(problems))
    assert data.institution is not None and data.admitted_on is not None
    rules = rules_of(pack)  # type: ignore[arg-type]
    try:
        with transaction.atomic():
            person = Person.objects.select_related("region").get(pk=data.person.pk)
            item = Reimbursement.objects.create(
                person=person,
                institution=data.institution,
                visit_kind=data.visit_kind,
                cause=data.cause,
                admitted_on=data.admitted_on,
                discharged_on=data.discharged_on,
                diagnosis_code=data.diagnosis_code.strip(),
                referral=data.referral,
                cross_region=cross_region,
                total=total,
                bank_name=data.bank_name.strip(),
                account_holder=data.account_holder.strip(),
                account_number=data.account_number.replace(" ", ""),
                channel=channel,
                agent=agent,
                applied_by=acting_user,
                status=Status.SUBMITTED,
                received_on=today,
                deadline=add_working_days(today, rules.review_working_days),
                region_path=person.region.path,
                pack=f"{pack.id}@{pack.version}",  # type: ignore[attr-defined]
            )
            Invoice.objects.bulk_create(
                [
                    Invoice(
                        reimbursement=item,
                        code=i.code.strip(),
                        number=i.number.strip(),
                        check_code=i.check_code.strip(),
                        amount=i.amount,
                        issued_on=i.issued_on or today,
                    )
                    for i in data.invoices
                ]
            )
            BillLine.objects.bulk_create(
                [
                    BillLine(
                        reimbursement=item,
                        code=ln.code.strip(),
                        name=ln.name.strip()[:200],
                        quantity=Decimal(str(ln.quantity)),
                        price=ln.price,
                        amount=ln.amount,
                    )
                    for ln in data.lines
                ]
            )
            _attach(item, data.materials, acting_user)
            _paper(item, data.paper_checked, acting_user)
            log_action(
                acting_user=acting_user,
                action="reimburse.reimbursement.applied",
                object_type=OBJECT,
                object_id=item.pk,
                region_path=item.region_path,
                after={
                    "institution": data.institution.code,
                    "visit_kind": item.visit_kind,
                    "cause": item.cause,
                    "admitted_on": item.admitted_on.isoformat(),
                    "total": total,
                    "invoices": len(data.invoices),
                    "channel": channel,
                    "deadline": item.deadline.isoformat() if item.deadline else None,
                    "pack": item.pack,
                },
                on_behalf_of=_principal(person) if channel == Channel.AGENT else "",
            )
            notify.received(item)
    except IntegrityError as err:  # the same invoice in an application written meanwhile
        raise ValidationFailed(
            fields={"invoices": [_("An invoice was handed in meanwhile: check the invoices.")]}
        ) from err
    return item


def _attach(
    item: Reimbursement, materials: Sequence[tuple[str, UploadedFile]], acting_user: User
) -> None:
    from jingban.files.services import attach_file

    for key, upload in materials:
        stored = attach_file(OBJECT, str(item.pk), upload, acting_user=acting_user)
        Material.objects.create(reimbursement=item, kind=key, file=stored, by=acting_user)


def _paper(item: Reimbursement, keys: Sequence[str], acting_user: User) -> None:
    Material.objects.bulk_create(
        [
            Material(reimbursement=item, kind=k, file=None, by=acting_user)
            for k in dict.fromkeys(keys)
        ]
    )


def _locked(item: Reimbursement) -> Reimbursement:
    return (
        Reimbursement.objects.select_for_update(of=("self",))
        .select_related("person", "person__region", "institution", "institution__region")
        .get(pk=item.pk)
    )


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise ValidationFailed(
            fields={"reason": [_("Give the reason, in at most 500 characters.")]}
        )
    return reason


def request_more(
    item: Reimbursement, reason: str, items: Sequence[str], *, acting_user: User
) -> Reimbursement:
    """Ask the person for more materials (补充材料): the clock stops, keeping the working days
    left until the deadline."""
    if not acting_user.can(REVIEW):
        raise Forbidden()
    reason = _reason(reason)
    pack = pack_of(item.person.region.code, item.received_on, item.pack)
    known = set(rules_of(pack).materials) if pack is not None else set()
    asked = [k for k in dict.fromkeys(items) if k]
    if not asked or set(asked) - known:
        raise ValidationFailed(fields={"items": [_("Choose the materials asked for.")]})
    today = local_today()
    with transaction.atomic():
        item = _locked(item)
        before = item.status
        transitions.move(item, Status.MORE_MATERIALS)
        assert item.deadline is not None
        item.days_left = max(0, working_days_between(today, item.deadline))
        item.deadline = None
        item.request_reason = reason
        item.requested_items = asked
        item.requested_on = today
        item.save()
        log_action(
            acting_user=acting_user,
            action="reimburse.reimbursement.more_requested",
            object_type=OBJECT,
            object_id=item.pk,
            region_path=item.region_path,
            before={"status": before},
            after={"status": item.status, "items": asked, "days_left": item.days_left},
            reason=reason,
        )
        notify.more_materials(item)
    return item


def resubmit(
    item: Reimbursement,
    materials: Sequence[tuple[str, UploadedFile]],
    *,
    acting_user: User,
    paper_checked: Sequence[str] = (),
) -> Reimbursement:
    """Hand in the materials asked for: the clock restarts with the working days that were
    left, from today. Each material asked for is needed (uploaded, or checked on paper by an
    operator at the window)."""
    from jingban.files.services import problems_of

    on_behalf = _may_act(item, acting_user)
    problems = Problems()
    if paper_checked and not acting_user.can(RECORD):
        problems.add("paper_checked", _("Only an operator at a window checks paper materials."))
    if not materials and not paper_checked:
        problems.add("materials", _("Upload the materials asked for."))
    for key, upload in materials:
        for message in problems_of(upload):
            problems.add(f"materials.{key}", message)
    given = {k for k, _u in materials} | set(paper_checked)
    pack = pack_of(item.person.region.code, item.received_on, item.pack)
    rules = rules_of(pack) if pack is not None else None
    for key in item.requested_items:
        if key not in given:
            problems.add(
                f"materials.{key}",
                _("Upload the material: %(label)s.") % {"label": material_label(key, rules)},
            )
    if len(materials) > MAX_MATERIALS:
        problems.add("materials", _("At most %(count)d files.") % {"count": MAX_MATERIALS})
    if problems:
        raise ValidationFailed(fields=dict(problems))
    today = local_today()
    with transaction.atomic():
        item = _locked(item)
        transitions.move(item, Status.RESUBMITTED)
        left = item.days_left or 0
        item.deadline = add_working_days(today, left)
        item.days_left = None
        item.save()
        _attach(item, materials, acting_user)
        _paper(item, paper_checked, acting_user)
        log_action(
            acting_user=acting_user,
            action="reimburse.reimbursement.resubmitted",
            object_type=OBJECT,
            object_id=item.pk,
            region_path=item.region_path,
            before={"status": Status.MORE_MATERIALS},
            after={
                "status": item.status,
                "materials": sorted(given),
                "deadline": item.deadline.isoformat(),
            },
            on_behalf_of=on_behalf,
        )
        notify.resubmitted(item)
    return item


def _may_act(item: Reimbursement, acting_user: User) -> str:
    """The person, their agent or an operator may hand in materials or withdraw; returns the
    on-behalf-of principal for an agent."""
    if acting_user.can(RECORD):
        queries.reimbursement_for(acting_user, item.pk)
        return ""
    if not acting_user.can(OWN):
        raise Forbidden()
    if item.person.account_id == acting_user.pk:
        return ""
    from jingban.registry.services.agents import authorise_agent_act

    authorise_agent_act(acting_user, item.person_id, AGENT_SERVICE)
    return _principal(item.person)


def approve(item: Reimbursement, *, acting_user: User) -> Reimbursement:
    """Approve: the bill is settled through the medical engine (channel manual), in this
    transaction; the amount to pay is the funds' part (the supplementary cover's included, which
    that app records as its own claim through the settled hook)."""
    from jingban.medical.services.manual import ManualBill, ManualLine, settle_manual

    if not acting_user.can(REVIEW):
        raise Forbidden()
    with transaction.atomic():
        item = _locked(item)
        before = item.status
        transitions.move(item, Status.APPROVED)
        med_type = MED_TYPES[VisitKind(item.visit_kind)]
        if item.cause == Cause.ACCIDENT and item.visit_kind in (
            VisitKind.OUTPATIENT,
            VisitKind.EMERGENCY,
        ):
            med_type = "19"
        bill = ManualBill(
            person_id=item.person_id,
            institution=item.institution,
            med_type=med_type,
            admitted_on=item.admitted_on,
            discharged_on=item.discharged_on,
            diagnosis_code=item.diagnosis_code,
            reference=item.number,
            lines=[
                ManualLine(ln.code, ln.name, ln.quantity, ln.price, ln.amount)
                for ln in item.lines.all()
            ],
        )
        settlement = settle_manual(acting_user, bill, capability=REVIEW)
        item.settlement = settlement
        item.supplementary_amount = settlement.oth_pay
        item.fund_amount = settlement.fund_pay_sumamt - settlement.oth_pay
        item.decided_by, item.decided_at = acting_user, timezone.now()
        item.days_left = None
        item.document = _issue(item, acting_user)
        item.save()
        log_action(
            acting_user=acting_user,
            action="reimburse.reimbursement.approved",
            object_type=OBJECT,
            object_id=item.pk,
            region_path=item.region_path,
            before={"status": before},
            after={
                "status": item.status,
                "settlement": settlement.setl_id,
                "total": settlement.medfee_sumamt,
                "fund_amount": item.fund_amount,
                "supplementary_amount": item.supplementary_amount,
            },
        )
        notify.approved(item)
    return item


def reject(item: Reimbursement, reason: str, *, acting_user: User) -> Reimbursement:
    """Reject with the reason the person is told; the invoices are free again."""
    if not acting_user.can(REVIEW):
        raise Forbidden()
    reason = _reason(reason)
    with transaction.atomic():
        item = _locked(item)
        before = item.status
        transitions.move(item, Status.REJECTED)
        item.decided_by, item.decided_at = acting_user, timezone.now()
        item.reject_reason = reason
        item.deadline = None
        item.document = _issue(item, acting_user)
        item.save()
        Invoice.objects.filter(reimbursement=item).update(live=False)
        log_action(
            acting_user=acting_user,
            action="reimburse.reimbursement.rejected",
            object_type=OBJECT,
            object_id=item.pk,
            region_path=item.region_path,
            before={"status": before},
            after={"status": item.status},
            reason=reason,
        )
        notify.rejected(item)
    return item


def withdraw(item: Reimbursement, *, acting_user: User) -> Reimbursement:
    """Withdraw an application not yet decided (the person, their agent, or an operator)."""
    on_behalf = _may_act(item, acting_user)
    with transaction.atomic():
        item = _locked(item)
        before = item.status
        transitions.move(item, Status.WITHDRAWN)
        item.deadline = None
        item.save()
        Invoice.objects.filter(reimbursement=item).update(live=False)
        log_action(
            acting_user=acting_user,
            action="reimburse.reimbursement.withdrawn",
            object_type=OBJECT,
            object_id=item.pk,
            region_path=item.region_path,
            before={"status": before},
            after={"status": item.status},
            on_behalf_of=on_behalf,
        )
    return item


def pay(item: Reimbursement, reference: str, *, acting_user: User) -> Reimbursement:
    """Record the payment of an approved application to the person's account."""
    if not acting_user.can(PAY):
        raise Forbidden()
    reference = (reference or "").strip()
    if len(reference) > 60:
        raise ValidationFailed(fields={"reference": [_("At most 60 characters.")]})
    queries.reimbursement_for(acting_user, item.pk)
    with transaction.atomic():
        item = _locked(item)
        transitions.move(item, Status.PAID)
        item.paid_on = local_today()
        item.paid_by = acting_user
        item.payment_reference = reference
        item.save()
        log_action(
            acting_user=acting_user,
            action="reimburse.reimbursement.paid",
            object_type=OBJECT,
            object_id=item.pk,
            region_path=item.region_path,
            before={"status": Status.APPROVED},
            after={
                "status": item.status,
                "amount": item.payable,
                "account": mask_account(item.account_number),
                "reference": reference,
            },
        )
        notify.paid(item)
    return item


def still_live() -> frozenset[str]:
    return LIVE


def _issue(item: Reimbursement, acting_user: User) -> IssuedDocument:
    from jingban.documents.models import DocumentKind
    from jingban.documents.services import issue_document

    return issue_document(
        DocumentKind.REIMBURSEMENT_DECISION,
        object_type=OBJECT,
        object_id=item.pk,
        region_path=item.region_path,
        acting_user=acting_user,
    ).document


def decision_code(item: Reimbursement) -> str:
    """The decision's verification code, recomputed from its document row (never stored)."""
    from jingban.documents import codes

    document = item.document
    if document is None:
        raise NotFound()
    subject = f"{document.object_type}:{document.object_id}"
    return codes.make_code(document.kind, document.number, document.issued_on, subject)


def render_decision(item: Reimbursement, *, verify_url: str) -> bytes:
    """The decision letter as PDF: 报销决定书 with the amounts settled, or 不予报销决定书 with
    the reason; the same text and code each time it is downloaded."""
    from jingban.documents import render
    from jingban.registry.documents import mask_document

    person = item.person
    return render.render_pdf(
        "reimburse/pdf/decision.html",
        {
            "item": item,
            "document": item.document,
            "code": decision_code(item),
            "verify_url": verify_url,
            "person": person,
            "masked_document": mask_document(person.document_type, person.document_number),
            "masked_account": mask_account(item.account_number),
            "settlement": item.settlement,
            "explanation": list(item.settlement.lines.all()) if item.settlement else [],
        },
    )
