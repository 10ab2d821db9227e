"""What changes the workforce: caregivers and assessors registered and edited, their
qualifications and recusal links recorded, and the assessor draw. Each change is one transaction
with its action-log row; bad input raises ``ValidationFailed`` naming the field, and nothing is
written.

The draw (``draw_assessors``): the pool is the active assessors of the applicant's city whose
class's qualification is valid on the day, in the acting user's scope; from it go everyone with a
recusal link (employed by or contracted to the applicant's care institution on the day, a member
of the applicant's household or the applicant themself, the previous assessment's assessor when
the rules exclude them). The seed comes from ``secrets`` unless given. ``random.Random(seed)``
then samples each class, in a fixed order, from that class's pool sorted by id: the same seed and
pool give the same draw in any Python process. The ``Draw`` row keeps the seed, the pool, its
digest, the exclusions with their reasons and the result; ``replay`` redraws from them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import random
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.calendar import today as local_today
from jingban.core.errors import Forbidden, Message, ValidationFailed
from jingban.core.models import Organisation, OrganisationKind, User
from jingban.registry.documents import normalise_phone, parse_document
from jingban.registry.models import HouseholdMember, Person, RevealPurpose
from jingban.workforce import queries
from jingban.workforce.models import (
    ASSESSOR_KINDS,
    CAREGIVER_KINDS,
    CLASS_QUALIFICATION,
    Affiliation,
    AffiliationKind,
    Assessor,
    AssessorClass,
    Caregiver,
    Draw,
    Qualification,
    StaffStatus,
)

# 证书编号: letters and digits, hyphens between, 6 to 30 characters in all.
CERTIFICATE_SHAPE = re.compile(r"[A-Z0-9](?:[A-Z0-9-]{4,28})[A-Z0-9]")
MAX_TRAINING_HOURS = 10_000
CLASS_QUALIFICATION_KIND: Mapping[str, str] = {
    str(k): str(v) for k, v in CLASS_QUALIFICATION.items()
}
DEFAULT_NEEDED: Mapping[str, int] = {AssessorClass.ASSESSOR: 2, AssessorClass.EXPERT: 1}
CARE_EMPLOYERS = (OrganisationKind.CARE_INSTITUTION, OrganisationKind.PRIMARY)
ASSESSOR_EMPLOYERS = (OrganisationKind.ASSESSMENT, OrganisationKind.INSURER)


class _Errors:
    """Collects field errors; ``raise_if_any`` raises them all at once."""

    def __init__(self) -> None:
        self.fields: dict[str, list[Message]] = {}

    def add(self, name: str, message: Message) -> None:
        self.fields.setdefault(name, []).append(message)

    def take(self, name: str, error: ValidationFailed) -> None:
        for messages in error.fields.values():
            for message in messages:
                self.add(name, message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ValidationFailed(fields=self.fields)


# --- Caregivers and assessors ------------------------------------------------------------------


@dataclass
class StaffInput:
    """A caregiver's or an assessor's record as typed. An empty ``document_number`` on an edit
    keeps the stored number (edit forms never send it)."""

    name: str
    document_type: str
    document_number: str
    phone: str
    organisation_id: int | None
    status: str = StaffStatus.ACTIVE
    training_hours: int = 0
    hired_on: dt.date | None = None
    klass: str = ""


def _clean_common(
    data: StaffInput,
    errors: _Errors,
    *,
    existing: Caregiver | Assessor | None,
    phone_required: bool,
) -> tuple[str, str, str]:
    name = " ".join(data.name.split())
    if not name:
        errors.add("name", _("Enter the name."))
    elif len(name) > 100:
        errors.add("name", _("The name is at most 100 characters."))
    number = data.document_number.strip()
    if existing is not None and not number:
        number = existing.document_number
        if data.document_type != existing.document_type:
            errors.add("document_number", _("Enter the number of the new document type."))
    elif not number:
        errors.add("document_number", _("Enter the document number."))
    else:
        try:
            number = parse_document(data.document_type, number, today=local_today()).number
        except ValidationFailed as error:
            errors.take("document_number", error)
    phone = ""
    try:
        phone = normalise_phone(data.phone)
    except ValidationFailed as error:
        errors.take("phone", error)
    else:
        if phone_required and not phone:
            errors.add("phone", _("Enter the phone the caregiver checks in with."))
    if data.status not in StaffStatus.values:
        errors.add("status", _("Choose a status."))
    return name, number, phone


def _organisation(
    acting_user: User, pk: int | None, kinds: Sequence[str], errors: _Errors, name: str
) -> Organisation | None:
    if pk is None:
        errors.add(name, _("Choose the institution."))
        return None
    org = queries.employers_for(acting_user, kinds).filter(pk=pk).first()
    if org is None:
        errors.add(name, _("Choose an institution of the list."))
    return org


def _linked_person(document_type: str, number: str) -> Person | None:
    """The insured person holding the same document, when the registry has one: the link lets
    the draw see the household (and the person's own applications)."""
    return Person.objects.filter(document_type=document_type, document_number=number).first()


def _staff_snapshot(obj: Caregiver | Assessor) -> dict[str, object]:
    snap: dict[str, object] = {
        "name": obj.name,
        "document_type": obj.document_type,
        "document_number": obj.document_number,
        "phone": obj.phone,
        "status": obj.status,
    }
    if isinstance(obj, Caregiver):
        snap |= {
            "employer": obj.employer_id,
            "training_hours": obj.training_hours,
            "hired_on": obj.hired_on.isoformat() if obj.hired_on else None,
        }
    else:
        snap |= {"organisation": obj.organisation_id, "klass": obj.klass}
    return snap


def _duplicate(
    model: type[Caregiver] | type[Assessor], doc_type: str, number: str, pk: int | None
) -> bool:
    found = model.objects.filter(document_type=doc_type, document_number=number)
    if pk is not None:
        found = found.exclude(pk=pk)
    return found.exists()


def save_caregiver(
    data: StaffInput, *, acting_user: User, existing: Caregiver | None = None
) -> Caregiver:
    """Register a caregiver, or change one (``existing``, already found in the user's scope)."""
    errors = _Errors()
    name, number, phone = _clean_common(data, errors, existing=existing, phone_required=True)
    employer = _organisation(acting_user, data.organisation_id, CARE_EMPLOYERS, errors, "employer")
    if not 0 <= data.training_hours <= MAX_TRAINING_HOURS:
        errors.add("training_hours", _("Training hours are between 0 and 10,000."))
    if data.hired_on is not None and data.hired_on > local_today():
        errors.add("hired_on", _("The hiring date cannot be in the future."))
    if number and _duplicate(
        Caregiver, data.document_type, number, existing.pk if existing else None
    ):
        errors.add("document_number", _("A caregiver with this document is already registered."))
    errors.raise_if_any()
    assert employer is not None
    with transaction.atomic():
        before = _staff_snapshot(existing) if existing else None
        caregiver = existing or Caregiver()
        caregiver.name = name
        caregiver.document_type = data.document_type
        caregiver.document_number = number
        caregiver.phone = phone
        caregiver.employer = employer
        caregiver.status = data.status
        caregiver.training_hours = data.training_hours
        caregiver.hired_on = data.hired_on
        caregiver.person = _linked_person(data.document_type, number)
        caregiver.save()
        log_action(
            acting_user=acting_user,
            action="workforce.caregiver.updated" if existing else "workforce.caregiver.registered",
            object_type="workforce.caregiver",
            object_id=caregiver.pk,
            region_path=employer.region.path,
            before=before,
            after=_staff_snapshot(caregiver),
        )
    return caregiver


def save_assessor(
    data: StaffInput, *, acting_user: User, existing: Assessor | None = None
) -> Assessor:
    """Register an assessor or an expert, or change one."""
    errors = _Errors()
    name, number, phone = _clean_common(data, errors, existing=existing, phone_required=False)
    org = _organisation(
        acting_user, data.organisation_id, ASSESSOR_EMPLOYERS, errors, "organisation"
    )
    if data.klass not in AssessorClass.values:
        errors.add("klass", _("Choose assessor or assessment expert."))
    if number and _duplicate(
        Assessor, data.document_type, number, existing.pk if existing else None
    ):
        errors.add("document_number", _("An assessor with this document is already registered."))
    errors.raise_if_any()
    assert org is not None
    with transaction.atomic():
        before = _staff_snapshot(existing) if existing else None
        assessor = existing or Assessor()
        assessor.name = name
        assessor.klass = data.klass
        assessor.document_type = data.document_type
        assessor.document_number = number
        assessor.phone = phone
        assessor.organisation = org
        assessor.status = data.status
        assessor.person = _linked_person(data.document_type, number)
        assessor.save()
        log_action(
            acting_user=acting_user,
            action="workforce.assessor.updated" if existing else "workforce.assessor.registered",
            object_type="workforce.assessor",
            object_id=assessor.pk,
            region_path=org.region.path,
            before=before,
            after=_staff_snapshot(assessor),
        )
    return assessor


@dataclass
class QualificationInput:
    kind: str
    certificate_number: str
    issued_on: dt.date | None
    valid_until: dt.date | None = None
    level: int | None = None


def normalise_certificate(text: str) -> str:
    """A certificate number in its stored form (upper case, no spaces); ``ValidationFailed`` on
    ``certificate_number`` when it is not 6–30 letters, digits and inner hyphens."""
    compact = re.sub(r"\s+", "", text).upper()
    if not compact:
        raise ValidationFailed(fields={"certificate_number": [_("Enter the certificate number.")]})
    if not CERTIFICATE_SHAPE.fullmatch(compact):
        raise ValidationFailed(
            fields={
                "certificate_number": [
                    _(
                        "A certificate number has 6 to 30 letters and digits, hyphens only "
                        "between them, such as 3205-2024-001234."
                    )
                ]
            }
        )
    return compact


def add_qualification(
    holder: Caregiver | Assessor, data: QualificationInput, *, acting_user: User
) -> Qualification:
    """Record a certificate of a caregiver or an assessor."""
    errors = _Errors()
    allowed = CAREGIVER_KINDS if isinstance(holder, Caregiver) else ASSESSOR_KINDS
    if data.kind not in allowed:
        errors.add("kind", _("Choose a qualification of the list."))
    number = ""
    try:
        number = normalise_certificate(data.certificate_number)
    except ValidationFailed as error:
        errors.take("certificate_number", error)
    if data.issued_on is None:
        errors.add("issued_on", _("Enter the date of issue."))
    elif data.issued_on > local_today():
        errors.add("issued_on", _("The date of issue cannot be in the future."))
    elif data.valid_until is not None and data.valid_until < data.issued_on:
        errors.add("valid_until", _("The end of validity cannot be before the date of issue."))
    if number and Qualification.objects.filter(kind=data.kind, certificate_number=number).exists():
        errors.add("certificate_number", _("This certificate is already recorded."))
    errors.raise_if_any()
    assert data.issued_on is not None
    org = holder.employer if isinstance(holder, Caregiver) else holder.organisation
    with transaction.atomic():
        qualification = Qualification.objects.create(
            caregiver=holder if isinstance(holder, Caregiver) else None,
            assessor=holder if isinstance(holder, Assessor) else None,
            kind=data.kind,
            level=data.level,
            certificate_number=number,
            issued_on=data.issued_on,
            valid_until=data.valid_until,
        )
        kind = "caregiver" if isinstance(holder, Caregiver) else "assessor"
        log_action(
            acting_user=acting_user,
            action="workforce.qualification.added",
            object_type=f"workforce.{kind}",
            object_id=holder.pk,
            region_path=org.region.path,
            after={
                "kind": data.kind,
                "level": data.level,
                "certificate_number": number,
                "issued_on": str(data.issued_on),
                "valid_until": str(data.valid_until) if data.valid_until else None,
            },
        )
    return qualification


@dataclass
class AffiliationInput:
    organisation_id: int | None
    kind: str
    valid_from: dt.date | None
    valid_until: dt.date | None = None
    note: str = ""


def add_affiliation(
    assessor: Assessor, data: AffiliationInput, *, acting_user: User
) -> Affiliation:
    """Record that an assessor is employed by or contracted to a care institution: a recusal
    link the draw honours while it holds."""
    errors = _Errors()
    org = _organisation(acting_user, data.organisation_id, CARE_EMPLOYERS, errors, "organisation")
    if data.kind not in AffiliationKind.values:
        errors.add("kind", _("Choose employed or contracted."))
    if data.valid_from is None:
        errors.add("valid_from", _("Enter the first day of the tie."))
    elif data.valid_until is not None and data.valid_until < data.valid_from:
        errors.add("valid_until", _("The last day cannot be before the first."))
    if len(data.note) > 200:
        errors.add("note", _("The note is at most 200 characters."))
    errors.raise_if_any()
    assert org is not None and data.valid_from is not None
    with transaction.atomic():
        link = Affiliation.objects.create(
            assessor=assessor,
            organisation=org,
            kind=data.kind,
            valid_from=data.valid_from,
            valid_until=data.valid_until,
            note=data.note.strip(),
        )
        log_action(
            acting_user=acting_user,
            action="workforce.affiliation.added",
            object_type="workforce.assessor",
            object_id=assessor.pk,
            region_path=assessor.organisation.region.path,
            after={
                "organisation": org.pk,
                "kind": data.kind,
                "valid_from": str(data.valid_from),
                "valid_until": str(data.valid_until) if data.valid_until else None,
            },
        )
    return link


def reveal_document(
    holder: Caregiver | Assessor, *, acting_user: User, purpose: str, note: str = ""
) -> str:
    """A caregiver's or an assessor's full document number, for a stated purpose (PIPL), as
    the registry reveals a person's: refused without a purpose (or without a note for "other"),
    logged with the purpose otherwise."""
    if not acting_user.can(queries.STAFF_REVEAL):
        raise Forbidden()
    note = " ".join(note.split())
    errors = _Errors()
    if not purpose:
        errors.add("purpose", _("Choose why you need the full number."))
    elif purpose not in RevealPurpose.values:
        errors.add("purpose", _("Unknown purpose."))
    elif purpose == RevealPurpose.OTHER and not note:
        errors.add("note", _("Say why you need the full number."))
    if len(note) > 200:
        errors.add("note", _("The note is longer than 200 characters."))
    errors.raise_if_any()
    with translation.override(settings.LANGUAGE_CODE):
        label = str(RevealPurpose(purpose).label)
    is_caregiver = isinstance(holder, Caregiver)
    org = holder.employer if isinstance(holder, Caregiver) else holder.organisation
    with transaction.atomic():
        log_action(
            acting_user=acting_user,
            action="workforce.document_revealed",
            object_type="workforce.caregiver" if is_caregiver else "workforce.assessor",
            object_id=holder.pk,
            region_path=org.region.path,
            after={"purpose": purpose},
            reason=f"{label}: {note}" if note else label,
        )
    return holder.document_number


# --- The draw ---------------------------------------------------------------------------------

CLASS_ORDER = (AssessorClass.ASSESSOR, AssessorClass.EXPERT)


class Reason:
    """Why a qualified assessor was left out of a draw (stored as these codes)."""

    EMPLOYED = "employed"
    CONTRACTED = "contracted"
    FAMILY = "family"
    SELF = "self"
    PREVIOUS = "previous"


REASON_LABELS: Mapping[str, Message] = {
    Reason.EMPLOYED: _("employed by the applicant's care institution"),
    Reason.CONTRACTED: _("contracted to the applicant's care institution"),
    Reason.FAMILY: _("a member of the applicant's household"),
    Reason.SELF: _("is the applicant"),
    Reason.PREVIOUS: _("assessed the applicant last time"),
}


class NotEnoughCandidates(ValidationFailed):
    code = "not_enough_candidates"


def city_path(region_path: str) -> str:
    """The first two levels of a region path (province, city): the draw's pool is the city's."""
    parts = [p for p in region_path.split("/") if p]
    return "".join(f"{p}/" for p in parts[:2])


def pool_digest(pool: Mapping[str, Sequence[int]]) -> str:
    """SHA-256 of the pool in a canonical form (classes in order, ids ascending)."""
    canonical = json.dumps(
        {str(k): sorted(int(i) for i in v) for k, v in sorted(pool.items())},
        separators=(",", ":"),
        sort_keys=True,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def pick(
    seed: str, pool: Mapping[str, Sequence[int]], needed: Mapping[str, int]
) -> dict[str, list[int]]:
    """The draw itself: one ``random.Random(seed)`` sampling each class in ``CLASS_ORDER`` from
    its pool sorted by id. Pure: the same seed, pool and needs give the same result."""
    rng = random.Random(seed)  # noqa: S311 - a fair, replayable draw, not a secret
    result: dict[str, list[int]] = {}
    for klass in CLASS_ORDER:
        count = int(needed.get(klass, 0))
        if count <= 0:
            continue
        candidates = sorted(int(i) for i in pool.get(klass, ()))
        result[str(klass)] = rng.sample(candidates, count)
    return result


@dataclass(frozen=True)
class Candidates:
    """The qualified pool of a draw and who of it is left out."""

    pool: dict[str, list[int]]
    excluded: list[dict[str, object]] = field(default_factory=list)


def _household_person_ids(person: Person, day: dt.date) -> set[int]:
    """The persons sharing a household with ``person`` on ``day`` (itself included)."""
    open_on_day = Q(joined_on__lte=day) & (Q(left_on__isnull=True) | Q(left_on__gt=day))
    households = HouseholdMember.objects.filter(open_on_day, person=person).values("household_id")
    return set(
        HouseholdMember.objects.filter(open_on_day, household_id__in=households).values_list(
            "person_id", flat=True
        )
    ) | {person.pk}


def candidates(
    applicant: Person,
    care_institution: Organisation | None,
    *,
    day: dt.date,
    previous_assessor_ids: Sequence[int] = (),
    exclude_previous: bool = False,
    acting_user: User,
) -> Candidates:
    """The qualified, active assessors of the applicant's city in the user's scope, split into
    the pool (by class) and the excluded (with their reasons)."""
    valid = Q(qualifications__issued_on__lte=day) & (
        Q(qualifications__valid_until__isnull=True) | Q(qualifications__valid_until__gte=day)
    )
    qualified: list[Assessor] = []
    base = queries.assessors_for(acting_user).filter(
        status=StaffStatus.ACTIVE,
        organisation__region__path__startswith=city_path(applicant.region.path),
    )
    for klass, kind in CLASS_QUALIFICATION.items():
        qualified += list(
            base.filter(valid, klass=klass, qualifications__kind=kind).distinct().order_by("pk")
        )
    ids = [a.pk for a in qualified]
    ties: dict[int, set[str]] = {}
    if care_institution is not None:
        links = Affiliation.objects.filter(
            Q(valid_until__isnull=True) | Q(valid_until__gte=day),
            assessor_id__in=ids,
            organisation=care_institution,
            valid_from__lte=day,
        )
        for assessor_id, tie in links.values_list("assessor_id", "kind"):
            ties.setdefault(assessor_id, set()).add(
                Reason.EMPLOYED if tie == AffiliationKind.EMPLOYED else Reason.CONTRACTED
            )
    family = _household_person_ids(applicant, day)
    previous = {int(i) for i in previous_assessor_ids}
    pool: dict[str, list[int]] = {str(k): [] for k in CLASS_ORDER}
    excluded: list[dict[str, object]] = []
    for assessor in sorted(qualified, key=lambda a: a.pk):
        reasons = set(ties.get(assessor.pk, ()))
        if assessor.person_id is not None and assessor.person_id == applicant.pk:
            reasons.add(Reason.SELF)
        elif assessor.person_id is not None and assessor.person_id in family:
            reasons.add(Reason.FAMILY)
        if exclude_previous and assessor.pk in previous:
            reasons.add(Reason.PREVIOUS)
        if reasons:
            excluded.append(
                {"id": assessor.pk, "class": assessor.klass, "reasons": sorted(reasons)}
            )
        else:
            pool[assessor.klass].append(assessor.pk)
    return Candidates(pool=pool, excluded=excluded)


def _check_enough(pool: Mapping[str, Sequence[int]], needed: Mapping[str, int]) -> None:
    labels = dict(AssessorClass.choices)
    short: list[Message] = []
    for klass in CLASS_ORDER:
        want = int(needed.get(klass, 0))
        have = len(pool.get(klass, ()))
        if want > have:
            short.append(
                _(
                    "%(class)s: %(needed)s needed, only %(available)s qualified without a "
                    "recusal link."
                )
                % {"class": labels[klass], "needed": want, "available": have}
            )
    if short:
        raise NotEnoughCandidates(
            _("Not enough candidates for the draw; nothing was drawn."),
            fields={"needed": short},
        )


def _validate_needed(needed: Mapping[str, int]) -> dict[str, int]:
    clean = {str(k): int(v) for k, v in needed.items() if int(v) > 0}
    if set(clean) - set(AssessorClass.values) or not clean or any(v > 10 for v in clean.values()):
        raise ValidationFailed(
            fields={"needed": [_("Ask for 1 to 10 assessors of each class, at least one in all.")]}
        )
    return clean


def draw_assessors(
    applicant: Person,
    care_institution: Organisation | None,
    *,
    acting_user: User,
    needed: Mapping[str, int] = DEFAULT_NEEDED,
    previous_assessor_ids: Sequence[int] = (),
    exclude_previous: bool = False,
    seed: str | None = None,
    day: dt.date | None = None,
) -> Draw:
    """Draw assessors for ``applicant`` (see the module's docstring); a ``Draw`` row and its log
    entry, or ``NotEnoughCandidates`` and nothing stored."""
    clean_needed = _validate_needed(needed)
    day = day or local_today()
    found = candidates(
        applicant,
        care_institution,
        day=day,
        previous_assessor_ids=previous_assessor_ids,
        exclude_previous=exclude_previous,
        acting_user=acting_user,
    )
    _check_enough(found.pool, clean_needed)
    seed = seed if seed is not None else secrets.token_hex(16)
    result = pick(seed, found.pool, clean_needed)
    digest = pool_digest(found.pool)
    with transaction.atomic():
        draw = Draw.objects.create(
            applicant=applicant,
            care_institution=care_institution,
            drawn_on=day,
            region_path=applicant.region.path,
            needed=clean_needed,
            seed=seed,
            pool=found.pool,
            pool_digest=digest,
            excluded=found.excluded,
            previous_assessor_ids=sorted(int(i) for i in previous_assessor_ids),
            exclude_previous=exclude_previous,
            result=result,
            drawn_by=acting_user,
        )
        log_action(
            acting_user=acting_user,
            action="workforce.draw.made",
            object_type="workforce.draw",
            object_id=draw.pk,
            region_path=draw.region_path,
            after={
                "applicant": applicant.pk,
                "care_institution": care_institution.pk if care_institution else None,
                "day": day.isoformat(),
                "seed": seed,
                "pool": found.pool,
                "pool_digest": digest,
                "excluded": found.excluded,
                "needed": clean_needed,
                "result": result,
            },
        )
    return draw


@dataclass(frozen=True)
class Replay:
    """What a replay found: the redraw from the logged seed and pool, whether it equals the
    stored result, whether the stored pool still has its digest, and whether the pool computed
    today from the records (for the draw's day) is still the logged one."""

    redrawn: dict[str, list[int]]
    result_matches: bool
    digest_matches: bool
    current_pool: dict[str, list[int]]
    current_digest: str
    pool_unchanged: bool

    @property
    def matches(self) -> bool:
        return self.result_matches and self.digest_matches


def replay(draw: Draw, *, acting_user: User) -> Replay:
    """Draw again from the logged seed and pool, and compare; logged as a replay."""
    logged_pool = {str(k): [int(i) for i in v] for k, v in draw.pool.items()}
    redrawn = pick(draw.seed, logged_pool, draw.needed)
    current = candidates(
        draw.applicant,
        draw.care_institution,
        day=draw.drawn_on,
        previous_assessor_ids=draw.previous_assessor_ids,
        exclude_previous=draw.exclude_previous,
        acting_user=acting_user,
    )
    current_digest = pool_digest(current.pool)
    outcome = Replay(
        redrawn=redrawn,
        result_matches=redrawn == {str(k): list(v) for k, v in draw.result.items()},
        digest_matches=pool_digest(logged_pool) == draw.pool_digest,
        current_pool=current.pool,
        current_digest=current_digest,
        pool_unchanged=current_digest == draw.pool_digest,
    )
    with transaction.atomic():
        log_action(
            acting_user=acting_user,
            action="workforce.draw.replayed",
            object_type="workforce.draw",
            object_id=draw.pk,
            region_path=draw.region_path,
            after={
                "result_matches": outcome.result_matches,
                "digest_matches": outcome.digest_matches,
                "pool_unchanged": outcome.pool_unchanged,
            },
        )
    return outcome
