"""Persons (参保人): register and edit them, reveal a document, enrollment and special-group
membership. Each function takes ``acting_user``, validates everything before it writes anything,
runs in one transaction and writes the action log in it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import asdict, dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jingban.core import queries as core_queries
from jingban.core.actionlog import log_action, log_bulk
from jingban.core.calendar import today as local_today
from jingban.core.errors import Message, ValidationFailed
from jingban.core.models import User
from jingban.core.permissions import require_capability
from jingban.core.roles import Cap
from jingban.core.services.reference import digest_rows
from jingban.registry import queries
from jingban.registry.documents import (
    carries_sex_and_birth_date,
    mask_document,
    normalise_phone,
    parse_document,
)
from jingban.registry.models import (
    Enrollment,
    EnrollmentStatus,
    GroupMembership,
    Person,
    RevealPurpose,
    SpecialGroup,
)
from jingban.registry.services import probes

EARLIEST_BIRTH = dt.date(1890, 1, 1)


@dataclass(frozen=True)
class PersonInput:
    """What a form, the API or an import supplies about a person. Sex and birth date may be
    left empty when the document carries them."""

    document_type: str
    document_number: str
    name: str
    region_code: str
    sex: str = ""
    birth_date: dt.date | None = None
    phone: str = ""
    address: str = ""
    death_date: dt.date | None = None


@dataclass(frozen=True)
class _Clean:
    document_type: str
    document_number: str
    name: str
    sex: str
    birth_date: dt.date
    phone: str
    address: str
    region_id: int
    death_date: dt.date | None


def _snapshot(person: Person) -> dict[str, object]:
    """What the action log keeps of a person: the document masked (history keeps the rest)."""
    return {
        "document_type": person.document_type,
        "document_number": mask_document(person.document_type, person.document_number),
        "name": person.name,
        "sex": person.sex,
        "birth_date": person.birth_date.isoformat() if person.birth_date else None,
        "phone": person.phone,
        "address": person.address,
        "region": person.region.code if person.region_id else None,
        "death_date": person.death_date.isoformat() if person.death_date else None,
    }


def _validate(data: PersonInput, *, acting_user: User, existing: Person | None) -> _Clean:
    errors: dict[str, list[Message]] = {}

    def add(field: str, message: Message) -> None:
        errors.setdefault(field, []).append(message)

    today = local_today()
    name = " ".join(data.name.split())
    if not name:
        add("name", _("Enter the person's name."))
    elif len(name) > 100:
        add("name", _("The name is longer than 100 characters."))

    facts = None
    try:
        facts = parse_document(data.document_type, data.document_number, today=today)
    except ValidationFailed as err:
        for field, messages in err.fields.items():
            for message in messages:
                add(field, message)

    # When the number should carry the sex and birth date but does not parse, its error is the
    # only one to show: the two fields were rightly left empty, and asking for them would send
    # the user to fill in what the corrected number will give.
    number_failed = facts is None and carries_sex_and_birth_date(data.document_type)
    sex = data.sex
    birth_date = data.birth_date
    if facts is not None and facts.sex:
        if sex and sex != facts.sex:
            add("sex", _("The sex does not match the one the document number carries."))
        sex = facts.sex
    if sex not in {"M", "F"} and not (number_failed and not sex):
        add("sex", _("Choose the person's sex."))
    if facts is not None and facts.birth_date:
        if birth_date and birth_date != facts.birth_date:
            add("birth_date", _("The birth date does not match the one in the document number."))
        birth_date = facts.birth_date
    if birth_date is None:
        if not number_failed:
            add("birth_date", _("Enter the birth date."))
    elif birth_date > today:
        add("birth_date", _("The birth date is in the future."))
    elif birth_date < EARLIEST_BIRTH:
        add("birth_date", _("The birth date is before 1890."))

    phone = ""
    try:
        phone = normalise_phone(data.phone)
    except ValidationFailed as err:
        for message in err.fields.get("phone", []):
            add("phone", message)

    address = data.address.strip()
    if len(address) > 300:
        add("address", _("The address is longer than 300 characters."))

    region = core_queries.region_by_code(acting_user, data.region_code.strip())
    if region is None:
        add("region", _("Unknown region, or a region outside your scope."))

    if data.death_date is not None:
        if data.death_date > today:
            add("death_date", _("The date of death is in the future."))
        elif birth_date is not None and data.death_date < birth_date:
            add("death_date", _("The date of death is before the birth date."))

    refused: Person | None = None
    if facts is not None:
        duplicate = Person.objects.select_related("region").filter(
            document_type=facts.document_type, document_number=facts.number
        )
        if existing is not None:
            duplicate = duplicate.exclude(pk=existing.pk)
        found = duplicate.first()
        if found is not None:
            message, refused = _duplicate(acting_user, found)
            add("document_number", message)

    if errors:
        if refused is not None:
            probes.registration_refused(acting_user, refused)
        raise ValidationFailed(fields=errors)
    assert facts is not None and birth_date is not None and region is not None
    return _Clean(
        document_type=facts.document_type,
        document_number=facts.number,
        name=name,
        sex=sex,
        birth_date=birth_date,
        phone=phone,
        address=address,
        region_id=region.pk,
        death_date=data.death_date,
    )


ALREADY_REGISTERED = _("A person with this document is already registered.")
# Said when the holder is registered outside the user's scope: it neither confirms nor denies
# that the person exists, and the attempt is logged (registry.person.registration_refused).
NOT_HERE = _("This document cannot be registered here. Please contact the bureau.")


def _duplicate(acting_user: User, found: Person) -> tuple[Message, Person | None]:
    """The message for a document already on record, and the person when the attempt is a
    refused probe outside the user's scope (``None`` when the user may see the holder)."""
    if queries.persons_for(acting_user).filter(pk=found.pk).exists():
        return ALREADY_REGISTERED, None
    return NOT_HERE, found


def _duplicate_error(acting_user: User, document_type: str, number: str) -> ValidationFailed:
    """After a concurrent registration of the same document won the race."""
    found = (
        Person.objects.select_related("region")
        .filter(document_type=document_type, document_number=number)
        .first()
    )
    message: Message = ALREADY_REGISTERED
    if found is not None:
        message, refused = _duplicate(acting_user, found)
        if refused is not None:
            probes.registration_refused(acting_user, refused)
    return ValidationFailed(fields={"document_number": [message]})


def register_person(data: PersonInput, *, acting_user: User) -> Person:
    """Register a new insured person (登记参保人)."""
    require_capability(acting_user, Cap.PERSON_CREATE)
    clean = _validate(data, acting_user=acting_user, existing=None)
    try:
        with transaction.atomic():
            person = Person.objects.create(**asdict(clean))
            log_action(
                acting_user=acting_user,
                action="registry.person.registered",
                object_type="registry.person",
                object_id=person.pk,
                region_path=person.region.path,
                after=_snapshot(person),
            )
    except IntegrityError:
        # Another registration of the same document won the race.
        raise _duplicate_error(acting_user, clean.document_type, clean.document_number) from None
    return person


def update_person(
    person: Person, data: PersonInput, *, acting_user: User, reason: str = ""
) -> Person:
    """Change a person's particulars (变更信息). The person must come from a scoped query."""
    require_capability(acting_user, Cap.PERSON_EDIT)
    clean = _validate(data, acting_user=acting_user, existing=person)
    try:
        with transaction.atomic():
            locked = Person.objects.select_for_update().select_related("region").get(pk=person.pk)
            before = _snapshot(locked)
            for field, value in asdict(clean).items():
                setattr(locked, field, value)
            locked.save()
            locked.refresh_from_db()
            after = _snapshot(locked)
            if after != before:
                log_action(
                    acting_user=acting_user,
                    action="registry.person.updated",
                    object_type="registry.person",
                    object_id=locked.pk,
                    region_path=locked.region.path,
                    before={k: v for k, v in before.items() if after[k] != v},
                    after={k: v for k, v in after.items() if before[k] != v},
                    reason=reason.strip(),
                )
    except IntegrityError:
        raise _duplicate_error(acting_user, clean.document_type, clean.document_number) from None
    return locked


#: The longest note a reveal may carry.
MAX_REVEAL_NOTE = 200


def reveal_document(person: Person, *, acting_user: User, purpose: str, note: str = "") -> str:
    """Show a person's full document number (查看完整证件号) for a stated purpose (PIPL).

    ``purpose`` is a ``RevealPurpose`` code; "other" needs a note saying what. Every reveal is
    logged with its purpose; a reveal without one is refused before anything is shown."""
    require_capability(acting_user, Cap.PERSON_REVEAL)
    note = " ".join(note.split())
    errors: dict[str, list[Message]] = {}
    if not purpose:
        errors["purpose"] = [_("Choose why you need the full number.")]
    elif purpose not in RevealPurpose.values:
        errors["purpose"] = [_("Unknown purpose.")]
    elif purpose == RevealPurpose.OTHER and not note:
        errors["note"] = [_("Say why you need the full number.")]
    if len(note) > MAX_REVEAL_NOTE:
        errors["note"] = [_("The note is longer than 200 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with translation.override(settings.LANGUAGE_CODE):
        # The reason column of the log is read by the bureau's auditors: in its language.
        label = str(RevealPurpose(purpose).label)
    with transaction.atomic():
        log_action(
            acting_user=acting_user,
            action="registry.person.document_revealed",
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
            after={"purpose": purpose},
            reason=f"{label}: {note}" if note else label,
        )
    return person.document_number


def set_enrollment(
    person: Person,
    *,
    scheme_code: str,
    year: int,
    status: str,
    since: dt.date,
    acting_user: User | None,
    reason: str = "",
) -> Enrollment:
    """Record a person's status in a scheme for a year (参保状态)."""
    errors: dict[str, list[Message]] = {}
    scheme = core_queries.schemes().filter(code=scheme_code).first()
    if scheme is None:
        errors["scheme"] = [_("Unknown scheme.")]
    if status not in EnrollmentStatus.values:
        errors["status"] = [_("Unknown enrollment status.")]
    if not 1990 <= year <= 2100:
        errors["year"] = [_("The year must lie between 1990 and 2100.")]
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        current = (
            Enrollment.objects.select_for_update()
            .filter(person=person, scheme=scheme, year=year)
            .first()
        )
        before = {"status": current.status, "since": current.since.isoformat()} if current else None
        enrollment, _created = Enrollment.objects.update_or_create(
            person=person, scheme=scheme, year=year, defaults={"status": status, "since": since}
        )
        log_action(
            acting_user=acting_user,
            action="registry.enrollment.set",
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
            before=before,
            after={
                "scheme": scheme_code,
                "year": year,
                "status": status,
                "since": since.isoformat(),
            },
            reason=reason,
        )
    return enrollment


def add_membership(
    person: Person,
    *,
    group_code: str,
    valid_from: dt.date,
    valid_to: dt.date | None,
    acting_user: User | None,
    reason: str = "",
) -> GroupMembership:
    """Record that a person belongs to a special group over a period (特殊群体身份)."""
    group = SpecialGroup.objects.filter(code=group_code).first()
    errors: dict[str, list[Message]] = {}
    if group is None:
        errors["group"] = [_("Unknown special group.")]
    if valid_to is not None and valid_to < valid_from:
        errors["valid_to"] = [_("The end of the period is before its start.")]
    if errors:
        raise ValidationFailed(fields=errors)
    assert group is not None
    with transaction.atomic():
        membership = GroupMembership.objects.create(
            person=person, group=group, valid_from=valid_from, valid_to=valid_to
        )
        log_action(
            acting_user=acting_user,
            action="registry.membership.added",
            object_type="registry.person",
            object_id=person.pk,
            region_path=person.region.path,
            after={
                "group": group_code,
                "valid_from": valid_from.isoformat(),
                "valid_to": valid_to.isoformat() if valid_to else None,
            },
            reason=reason,
        )
    return membership


def bulk_register_persons(rows: Sequence[PersonInput], *, acting_user: User) -> list[Person]:
    """Register many persons at once (an import or the demo). All rows are validated first;
    one bad row stops the batch before anything is written, naming its row number."""
    require_capability(acting_user, Cap.PERSON_CREATE)
    cleaned: list[_Clean] = []
    seen: set[tuple[str, str]] = set()
    for index, row in enumerate(rows, start=1):
        try:
            clean = _validate(row, acting_user=acting_user, existing=None)
        except ValidationFailed as err:
            raise ValidationFailed(
                _("Row %(row)s is not valid.") % {"row": index}, fields=err.fields
            ) from None
        key = (clean.document_type, clean.document_number)
        if key in seen:
            raise ValidationFailed(
                _("Row %(row)s is not valid.") % {"row": index},
                fields={"document_number": [_("The same document appears twice in the batch.")]},
            )
        seen.add(key)
        cleaned.append(clean)
    with transaction.atomic():
        persons = Person.objects.bulk_create([Person(**asdict(c)) for c in cleaned])
        log_bulk(
            acting_user=acting_user,
            action="registry.person.imported",
            object_type="registry.person",
            rows=len(persons),
            digest=digest_rows(cleaned),
        )
    return persons


@dataclass(frozen=True)
class EnrollmentRow:
    person_id: int
    scheme_code: str
    year: int
    status: str
    since: dt.date


def bulk_set_enrollments(rows: Sequence[EnrollmentRow], *, acting_user: User | None) -> int:
    """Create or replace many enrollment rows in one transaction with one action row."""
    schemes = {s.code: s for s in core_queries.schemes()}
    for index, row in enumerate(rows, start=1):
        if row.scheme_code not in schemes or row.status not in EnrollmentStatus.values:
            raise ValidationFailed(
                _("Row %(row)s is not valid.") % {"row": index},
                fields={"scheme": [_("Unknown scheme or status.")]},
            )
    with transaction.atomic():
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    person_id=r.person_id,
                    scheme=schemes[r.scheme_code],
                    year=r.year,
                    status=r.status,
                    since=r.since,
                )
                for r in rows
            ],
            update_conflicts=True,
            unique_fields=["person", "scheme", "year"],
            update_fields=["status", "since"],
        )
        log_bulk(
            acting_user=acting_user,
            action="registry.enrollment.imported",
            object_type="registry.enrollment",
            rows=len(rows),
            digest=digest_rows(rows),
        )
    return len(rows)


@transaction.atomic
def link_account(person: Person, account: User, *, acting_user: User | None) -> Person:
    """Let an insured person's account see their own record."""
    person.account = account
    person.save(update_fields=["account", "updated_at"])
    log_action(
        acting_user=acting_user,
        action="registry.person.account_linked",
        object_type="registry.person",
        object_id=person.pk,
        region_path=person.region.path,
        after={"account": account.username},
    )
    return person


@transaction.atomic
def ensure_special_groups(*, acting_user: User | None) -> int:
    """Create the shipped special-group codes that are missing. Returns how many it added."""
    from jingban.registry.reference import SPECIAL_GROUPS

    existing = set(SpecialGroup.objects.values_list("code", flat=True))
    missing = [g for g in SPECIAL_GROUPS if g[0] not in existing]
    SpecialGroup.objects.bulk_create(
        [
            SpecialGroup(code=c, name_zh=zh, name_en=en, tier=t, scheme_kinds=kinds)
            for c, zh, en, t, kinds in missing
        ]
    )
    if missing:
        log_bulk(
            acting_user=acting_user,
            action="registry.special_group.imported",
            object_type="registry.special_group",
            rows=len(missing),
            digest=digest_rows(missing),
        )
    return len(missing)
