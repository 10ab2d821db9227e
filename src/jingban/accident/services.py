"""Elderly accident insurance (安康关爱): enroll one person, import a group's list, report a
claim, pay or refuse it.

Each service is one transaction writing its action-log row; a refused step stores nothing.
The rules (minimum age, cover period, premium, who may pay, benefits, report deadline) come from
the accident pack in force for the person's place on the first day of cover (enrollment) or on
the accident date (claim).

The age rule: the person has completed ``min_age`` years (60) on the first day of cover.

A group's list is refused whole when any row fails (each row and column named): a community
never pays for a list of which part was enrolled, and correcting the file and importing it again
is what the bureau's windows do for the other imports (``enrollment.bulk``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from jingban.accident import queries
from jingban.accident.models import (
    Channel,
    Claim,
    ClaimMaterial,
    ClaimStatus,
    Enrollment,
    Outcome,
    Payer,
    Payment,
)
from jingban.accident.rules import cover_end, pack_by_spec, product_of, product_pack
from jingban.core.actionlog import log_action
from jingban.core.calendar import today as local_today
from jingban.core.errors import Forbidden, Message, NotFound, ValidationFailed
from jingban.core.models import Region, User
from jingban.engine.accident import AccidentClaimInput, AccidentResult, compute
from jingban.engine.accident import Outcome as EngineOutcome
from jingban.engine.errors import FieldError
from jingban.engine.money import Rounding
from jingban.engine.policy.families.accident import AccidentProduct
from jingban.engine.policy.families.accident import Payer as EnginePayer
from jingban.engine.policy.loader import PolicyPack
from jingban.registry.display import age_on
from jingban.registry.models import Person

VIEW = "accident.view"
ENROLL = "accident.enroll"
REPORT = "accident.claim.report"
DECIDE = "accident.claim.decide"
OWN = "accident.own"
# Agents report accidents for their principal with the claim service of their authorisation.
AGENT_SERVICE = "submit_claim"
MAX_MATERIALS = 8
MAX_DESCRIPTION = 500
# How far back a cover may start, and how far ahead.
MAX_BACK_DAYS = 31
MAX_AHEAD_DAYS = 366

ENGINE_MESSAGES = {
    "accident.expenses_invalid": _("Enter the medical expenses in yuan, zero or more."),
    "accident.days_invalid": _("Enter the days in hospital, zero or more."),
    "accident.grade_invalid": _("Choose the disability grade, 1 to 10."),
    "accident.grade_without_disability": _("A disability grade is given only for a disability."),
    "accident.paid_before_invalid": _("Not a valid amount."),
    "accident.nothing_claimed": _(
        "Ask for at least one benefit: medical expenses, days in hospital, disability or death."
    ),
}


def _zh() -> bool:
    from django.utils.translation import get_language

    return (get_language() or "zh-hans").startswith("zh")


def _rounding(pack: PolicyPack) -> Rounding:
    return Rounding(pack.rules.rounding)


def _fail(field_name: str, message: Message) -> ValidationFailed:
    return ValidationFailed(fields={field_name: [message]})


def _require(user: User, *capabilities: str) -> None:
    if not any(user.can(c) for c in capabilities):
        raise Forbidden()


# --- Enrollment -----------------------------------------------------------------------------


@dataclass
class Cover:
    pack: PolicyPack
    product: AccidentProduct
    start: dt.date
    end: dt.date


def cover_for(region_code: str, start: dt.date) -> Cover | None:
    pack = product_pack(region_code, start)
    if pack is None:
        return None
    product = product_of(pack)
    return Cover(pack, product, start, cover_end(start, product))


def enrollment_problems(person: Person, cover: Cover) -> list[tuple[str, Message]]:
    """What keeps ``person`` from this cover: (field, message) pairs, empty when none."""
    problems: list[tuple[str, Message]] = []
    if person.death_date is not None and person.death_date <= cover.start:
        problems.append(("person", _("The person has died.")))
    age = age_on(person.birth_date, cover.start)
    if age < cover.product.min_age:
        problems.append(
            (
                "person",
                _("Aged %(age)d on %(day)s: the insurance covers people aged %(min)d and over.")
                % {"age": age, "day": cover.start.isoformat(), "min": cover.product.min_age},
            )
        )
    return problems


def _check_start(start: dt.date, today: dt.date) -> None:
    if start < today - dt.timedelta(days=MAX_BACK_DAYS):
        raise _fail("start", _("Cover starts at most 31 days before today."))
    if start > today + dt.timedelta(days=MAX_AHEAD_DAYS):
        raise _fail("start", _("Cover starts at most a year from today."))


def _overlapping(person_ids: Sequence[int], product: str, start: dt.date, end: dt.date) -> set[int]:
    return set(
        Enrollment.objects.filter(
            person_id__in=list(person_ids), product=product, start__lte=end, end__gte=start
        ).values_list("person_id", flat=True)
    )


def _check_payer(cover: Cover, payer: str) -> None:
    if payer not in Payer.values:
        raise _fail("payer", _("Choose who pays."))
    if EnginePayer(payer) not in cover.product.payers:
        raise _fail("payer", _("This product does not take premiums from this payer."))


def _create_payment(
    cover: Cover,
    *,
    payer: str,
    organisation: str,
    region: Region,
    count: int,
    file_name: str,
    acting_user: User,
    today: dt.date,
) -> Payment:
    premium = cover.product.premium
    return Payment.objects.create(
        product=cover.pack.id,
        payer=payer,
        organisation=organisation,
        region=region,
        region_path=region.path,
        count=count,
        premium_each=premium,
        amount=premium * count,
        paid_on=today,
        file_name=file_name[:200],
        recorded_by=acting_user,
    )


def enroll(
    person: Person,
    *,
    start: dt.date | None = None,
    payer: str = Payer.PERSON,
    organisation: str = "",
    acting_user: User,
) -> Enrollment:
    """Enroll one person at a window (``accident.enroll``), the premium paid by ``payer``.

    Refused, nothing stored: a person out of scope (NotFound), under the minimum age on the
    first day of cover, already covered for part of the period, a payer the product does not
    take, a start too far back or ahead."""
    _require(acting_user, ENROLL)
    if not queries.person_in_scope(acting_user, person.pk):
        raise NotFound()
    today = local_today()
    start = start or today
    _check_start(start, today)
    cover = cover_for(person.region.code, start)
    if cover is None:
        raise _fail("start", _("No accident insurance is sold in the person's place on this day."))
    _check_payer(cover, payer)
    organisation = organisation.strip()
    if len(organisation) > 200:
        raise _fail("organisation", _("At most 200 characters."))
    problems = enrollment_problems(person, cover)
    if problems:
        raise ValidationFailed(fields={"person": [m for _f, m in problems]})
    with transaction.atomic():
        person = Person.objects.select_for_update().select_related("region").get(pk=person.pk)
        if _overlapping([person.pk], cover.pack.id, cover.start, cover.end):
            raise _fail("person", _("Already covered for part of this period."))
        payment = _create_payment(
            cover,
            payer=payer,
            organisation=organisation,
            region=person.region,
            count=1,
            file_name="",
            acting_user=acting_user,
            today=today,
        )
        enrollment = Enrollment.objects.create(
            person=person,
            product=cover.pack.id,
            pack=f"{cover.pack.id}@{cover.pack.version}",
            start=cover.start,
            end=cover.end,
            premium=cover.product.premium,
            payment=payment,
            channel=Channel.WINDOW,
            enrolled_on=today,
            enrolled_by=acting_user,
            region_path=person.region.path,
        )
        log_action(
            acting_user=acting_user,
            action="accident.enrollment.enrolled",
            object_type="accident.enrollment",
            object_id=enrollment.pk,
            region_path=enrollment.region_path,
            after={
                "person": person.pk,
                "start": cover.start.isoformat(),
                "end": cover.end.isoformat(),
                "premium": enrollment.premium,
                "payer": payer,
                "pack": enrollment.pack,
            },
        )
    return enrollment


# --- Group list import -----------------------------------------------------------------------

LIST_COLUMNS = {
    "document_number": ("身份证号码", "ID number", "证件号码", "身份证号", "document_number"),
    "name": ("姓名", "name"),
    "phone": ("联系电话", "phone", "电话", "手机号码"),
}
LIST_REQUIRED = ("document_number", "name")


@dataclass
class GroupImport:
    """A group's list as the ageing office or a community hands it in."""

    content: bytes
    filename: str
    region_code: str
    organisation: str
    payer: str = Payer.COMMUNITY
    start: dt.date | None = None


@dataclass
class ImportResult:
    payment: Payment
    enrollments: list[Enrollment] = field(default_factory=list)


def _column_label(key: str) -> str:
    names = LIST_COLUMNS[key]
    return names[0] if _zh() else names[1]


def _parse_list(
    data: GroupImport, cover: Cover, region: Region, acting_user: User, today: dt.date
) -> list[Person]:
    from jingban.enrollment.tables import ImportRefused, RowProblem, columns, read_table
    from jingban.registry.documents import mask_phone, normalise_phone, parse_document
    from jingban.registry.models import DocumentType

    _keys, rows = columns(read_table(data.content, data.filename), LIST_COLUMNS, LIST_REQUIRED)
    in_scope = queries.persons_in_scope(acting_user).filter(region__path__startswith=region.path)
    numbers = {cells.get("document_number", "").upper() for cells in rows if cells}
    persons = {p.document_number.upper(): p for p in in_scope.filter(document_number__in=numbers)}
    covered = _overlapping([p.pk for p in persons.values()], cover.pack.id, cover.start, cover.end)
    problems: list[RowProblem] = []
    accepted: list[Person] = []
    seen: dict[int, int] = {}
    for number, cells in enumerate(rows, start=2):
        if not cells:
            continue
        here: list[RowProblem] = []

        def bad(key: str, message: object, number: int = number, here: list = here) -> None:
            here.append(RowProblem(number, _column_label(key), str(message)))

        for key in LIST_REQUIRED:
            if not cells.get(key):
                bad(key, gettext("A value is required."))
        text = cells.get("document_number", "").upper()
        person = persons.get(text)
        if text and person is None:
            try:
                parse_document(DocumentType.RESIDENT_ID, text, today=today)
            except ValidationFailed:
                bad("document_number", gettext("Not a valid resident ID number."))
            else:
                bad(
                    "document_number",
                    gettext("No insured person with this ID number in the group's region."),
                )
        if person is not None:
            if cells.get("name") and cells["name"] != person.name:
                bad("name", gettext("The name does not match the ID number."))
            if cells.get("phone"):
                try:
                    phone = normalise_phone(cells["phone"])
                except ValidationFailed:
                    bad("phone", gettext("Not a valid phone number."))
                else:
                    if person.phone and phone != person.phone:
                        bad(
                            "phone",
                            gettext("The phone differs from the registry's (%(p)s).")
                            % {"p": mask_phone(person.phone)},
                        )
            for _field, message in enrollment_problems(person, cover):
                bad("document_number", message)
            if person.pk in covered:
                bad("document_number", gettext("Already covered for part of this period."))
            if person.pk in seen:
                bad(
                    "document_number",
                    gettext("The same person is on row %(row)d too.") % {"row": seen[person.pk]},
                )
            else:
                seen[person.pk] = number
        if not here and person is not None:
            accepted.append(person)
        problems += here
    if problems:
        raise ImportRefused(problems)
    if not accepted:
        raise ImportRefused([RowProblem(2, gettext("File"), gettext("The file has no rows."))])
    return accepted


def import_list(data: GroupImport, *, acting_user: User) -> ImportResult:
    """Enroll every person of a group's list and record the group's payment (count × premium),
    or enroll nobody (``ImportRefused`` naming each row and column; see the module's
    docstring). Persons are looked up by ID number among those in the acting user's scope and
    under the group's region."""
    _require(acting_user, ENROLL)
    today = local_today()
    start = data.start or today
    _check_start(start, today)
    region = Region.objects.filter(code=(data.region_code or "").strip()).first()
    if region is None or not queries.region_in_scope(acting_user, region):
        raise _fail("region", _("Choose a region in your area."))
    organisation = (data.organisation or "").strip()
    if not organisation or len(organisation) > 200:
        raise _fail(
            "organisation",
            _("Name the enrolling organisation (the ageing office or the community)."),
        )
    cover = cover_for(region.code, start)
    if cover is None:
        raise _fail("start", _("No accident insurance is sold in this region on this day."))
    _check_payer(cover, data.payer)
    persons = _parse_list(data, cover, region, acting_user, today)
    with transaction.atomic():
        locked = list(
            Person.objects.select_for_update().filter(pk__in=[p.pk for p in persons]).order_by("pk")
        )
        if _overlapping([p.pk for p in locked], cover.pack.id, cover.start, cover.end):
            raise _fail("file", _("Someone on the list was enrolled meanwhile: import it again."))
        payment = _create_payment(
            cover,
            payer=data.payer,
            organisation=organisation,
            region=region,
            count=len(persons),
            file_name=data.filename,
            acting_user=acting_user,
            today=today,
        )
        spec = f"{cover.pack.id}@{cover.pack.version}"
        enrollments = Enrollment.objects.bulk_create(
            [
                Enrollment(
                    person=person,
                    product=cover.pack.id,
                    pack=spec,
                    start=cover.start,
                    end=cover.end,
                    premium=cover.product.premium,
                    payment=payment,
                    channel=Channel.GROUP,
                    enrolled_on=today,
                    enrolled_by=acting_user,
                    region_path=person.region.path,
                )
                for person in persons
            ]
        )
        log_action(
            acting_user=acting_user,
            action="accident.payment.imported",
            object_type="accident.payment",
            object_id=payment.pk,
            region_path=payment.region_path,
            after={
                "count": payment.count,
                "amount": payment.amount,
                "payer": payment.payer,
                "organisation": organisation,
                "start": cover.start.isoformat(),
                "end": cover.end.isoformat(),
                "pack": spec,
                "file": data.filename[:200],
            },
        )
    return ImportResult(payment, enrollments)


# --- Claims --------------------------------------------------------------------------------


@dataclass
class ClaimData:
    person: Person
    accident_date: dt.date | None
    description: str
    medical_expenses: int = 0  # fen
    hospital_days: int = 0
    outcome: str = Outcome.NONE
    disability_grade: int | None = None
    materials: Sequence[UploadedFile] = field(default_factory=tuple)


def _claim_channel(person: Person, acting_user: User) -> Person | None:
    """The agent reporting for ``person`` (None: the operator or the person themself);
    NotFound when the acting user may not report for the person."""
    from jingban.registry.services.agents import authorise_agent_act

    if acting_user.can(REPORT):
        if not queries.person_in_scope(acting_user, person.pk):
            raise NotFound()
        return None
    if not acting_user.can(OWN):
        raise Forbidden()
    if person.account_id == acting_user.pk:
        return None
    authorise_agent_act(acting_user, person.pk, AGENT_SERVICE)
    return Person.objects.filter(account=acting_user).first()


def covering(person: Person, day: dt.date) -> Enrollment | None:
    return Enrollment.objects.filter(person=person, start__lte=day, end__gte=day).first()


def claim_problems(
    data: ClaimData, today: dt.date
) -> tuple[dict[str, list[Message]], Enrollment | None]:
    """What is wrong with a claim, by field, and the cover it falls under."""
    problems: dict[str, list[Message]] = {}

    def add(name: str, message: Message) -> None:
        problems.setdefault(name, []).append(message)

    description = (data.description or "").strip()
    if not description:
        add("description", _("Say what happened."))
    elif len(description) > MAX_DESCRIPTION:
        add("description", _("At most 500 characters."))
    if data.outcome not in Outcome.values:
        add("outcome", _("Choose the outcome."))
    if len(data.materials) > MAX_MATERIALS:
        add("materials", _("At most %(count)d files.") % {"count": MAX_MATERIALS})
    from jingban.files.services import problems_of

    for upload in data.materials:
        for message in problems_of(upload):
            add("materials", message)
    day = data.accident_date
    if day is None:
        add("accident_date", _("Enter the accident date."))
        return problems, None
    if day > today:
        add("accident_date", _("The accident date is in the future."))
        return problems, None
    enrollment = covering(data.person, day)
    pack = (
        pack_by_spec(enrollment.pack) if enrollment else product_pack(data.person.region.code, day)
    )
    product = product_of(pack) if pack is not None else None
    if product is not None and age_on(data.person.birth_date, day) < product.min_age:
        add(
            "person",
            _("The insurance covers people aged %(min)d and over.") % {"min": product.min_age},
        )
    if enrollment is None:
        others = Enrollment.objects.filter(person=data.person).order_by("-start").first()
        if others is None:
            add("person", _("The person is not enrolled in the accident insurance."))
        else:
            add(
                "accident_date",
                _("The accident is outside the cover period (%(start)s to %(end)s).")
                % {"start": others.start.isoformat(), "end": others.end.isoformat()},
            )
    elif product is not None and (today - day).days > product.report_days:
        add(
            "accident_date",
            _("An accident is reported within %(days)d days; this one was %(late)d days ago.")
            % {"days": product.report_days, "late": (today - day).days},
        )
    if data.outcome in Outcome.values and product is not None:
        try:
            compute(product, _engine_input(data), Rounding.HALF_UP)
        except FieldError as err:
            add(err.field, ENGINE_MESSAGES.get(err.code, _("Not valid.")))
    return problems, enrollment


def _engine_input(data: ClaimData | Claim, paid_before: int = 0) -> AccidentClaimInput:
    return AccidentClaimInput(
        medical_expenses=data.medical_expenses,
        hospital_days=data.hospital_days,
        outcome=EngineOutcome(data.outcome),
        disability_grade=data.disability_grade,
        paid_before=paid_before,
    )


def report_claim(data: ClaimData, *, acting_user: User) -> Claim:
    """Report an accident (报案) for ``data.person``: an operator for anyone in scope
    (``accident.claim.report``), the insured person online for themself or as an agent with
    the claim service (``accident.own``). Refused, nothing stored: a field that is wrong
    (``ValidationFailed`` naming it): no cover on the accident date, the person under the
    minimum age, the accident outside the cover period or reported too late, amounts that are
    not valid, a file refused."""
    agent = _claim_channel(data.person, acting_user)
    today = local_today()
    problems, enrollment = claim_problems(data, today)
    if problems or enrollment is None or data.accident_date is None:
        raise ValidationFailed(fields=problems or {"person": [_("No cover.")]})
    from jingban.files.services import attach_file

    with transaction.atomic():
        claim = Claim.objects.create(
            person=data.person,
            enrollment=enrollment,
            accident_date=data.accident_date,
            description=data.description.strip(),
            medical_expenses=data.medical_expenses,
            hospital_days=data.hospital_days,
            outcome=data.outcome,
            disability_grade=data.disability_grade,
            status=ClaimStatus.REPORTED,
            reported_on=today,
            reported_by=acting_user,
            agent=agent,
            region_path=enrollment.region_path,
            pack=enrollment.pack,
        )
        for upload in data.materials:
            stored = attach_file("accident.claim", str(claim.pk), upload, acting_user=acting_user)
            ClaimMaterial.objects.create(claim=claim, file=stored, by=acting_user)
        log_action(
            acting_user=acting_user,
            action="accident.claim.reported",
            object_type="accident.claim",
            object_id=claim.pk,
            region_path=claim.region_path,
            after={
                "enrollment": enrollment.pk,
                "accident_date": claim.accident_date.isoformat(),
                "description": claim.description,
                "medical_expenses": claim.medical_expenses,
                "hospital_days": claim.hospital_days,
                "outcome": claim.outcome,
                "disability_grade": claim.disability_grade,
            },
            on_behalf_of=f"registry.person:{data.person.pk}" if agent is not None else "",
        )
    return claim


def _paid_before(claim: Claim) -> int:
    """For a death: the disability benefit already paid for the same accident (same day)."""
    if claim.outcome != Outcome.DEATH:
        return 0
    total = 0
    for line_set in Claim.objects.filter(
        person_id=claim.person_id,
        accident_date=claim.accident_date,
        status=ClaimStatus.PAID,
        outcome=Outcome.DISABILITY,
    ).values_list("explanation", flat=True):
        total += sum(int(line["paid"]) for line in line_set if line["benefit"] == "disability")
    return total


def assess(claim: Claim) -> AccidentResult:
    """What the claim pays by the rules of its cover's pack (a preview for the reviewer)."""
    pack = pack_by_spec(claim.pack)
    if pack is None:
        raise _fail("pack", _("The claim's policy pack is no longer available."))
    return compute(product_of(pack), _engine_input(claim, _paid_before(claim)), _rounding(pack))


def pay(claim: Claim, *, acting_user: User) -> Claim:
    """Review a reported claim and pay what the rules give (审核赔付)."""
    _require(acting_user, DECIDE)
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.REPORTED:
            raise _fail("status", _("Only a claim waiting for review can be decided."))
        result = assess(claim)
        claim.status = ClaimStatus.PAID
        claim.amount = result.total
        claim.explanation = result.as_json()
        claim.decided_by = acting_user
        claim.decided_on = local_today()
        claim.save(update_fields=["status", "amount", "explanation", "decided_by", "decided_on"])
        log_action(
            acting_user=acting_user,
            action="accident.claim.paid",
            object_type="accident.claim",
            object_id=claim.pk,
            region_path=claim.region_path,
            before={"status": ClaimStatus.REPORTED},
            after={"status": claim.status, "amount": claim.amount},
        )
    return claim


def refuse(claim: Claim, reason: str, *, acting_user: User) -> Claim:
    """Refuse a reported claim, with the reason the person is told."""
    _require(acting_user, DECIDE)
    reason = (reason or "").strip()
    if not reason or len(reason) > 500:
        raise _fail("reason", _("Give the reason, in at most 500 characters."))
    with transaction.atomic():
        claim = Claim.objects.select_for_update().get(pk=claim.pk)
        if claim.status != ClaimStatus.REPORTED:
            raise _fail("status", _("Only a claim waiting for review can be decided."))
        claim.status = ClaimStatus.REFUSED
        claim.refusal_reason = reason
        claim.decided_by = acting_user
        claim.decided_on = local_today()
        claim.save(update_fields=["status", "refusal_reason", "decided_by", "decided_on"])
        log_action(
            acting_user=acting_user,
            action="accident.claim.refused",
            object_type="accident.claim",
            object_id=claim.pk,
            region_path=claim.region_path,
            before={"status": ClaimStatus.REPORTED},
            after={"status": claim.status},
            reason=reason,
        )
    return claim


def line_text(line: dict[str, object]) -> str:
    """An explanation line in the active language."""
    return str(line["zh"] if _zh() else line["en"])
