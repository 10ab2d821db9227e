"""Enrollment, premiums and claims of the supplementary products.

Every change is one transaction and one action-log row; bad input raises ``SupplementaryError``
(a translated message naming the field) and stores nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jingban.core.actionlog import log_action
from jingban.core.errors import DomainError
from jingban.core.models import SchemeKind, User
from jingban.engine.coinsurance import CoinsuredItem
from jingban.engine.money import apply_ratio
from jingban.engine.policy.loader import PolicyPack
from jingban.medical.models import PersonYearTotals, Settlement, SettlementKind
from jingban.registry.models import Enrollment as BasicEnrollment
from jingban.registry.models import EnrollmentStatus, Person
from jingban.supplementary import rules
from jingban.supplementary.models import (
    Channel,
    Claim,
    ClaimKind,
    Enrollment,
    PaymentMethod,
    Premium,
    Status,
)

ENROLLMENT_OBJECT = "supplementary.enrollment"
BASIC_KINDS = (SchemeKind.RESIDENT_MEDICAL, SchemeKind.EMPLOYEE_MEDICAL)


class SupplementaryError(DomainError):
    """A refused supplementary request: ``code``, the ``field`` at fault and a message."""


def _refuse(code: str, field: str, message: str) -> SupplementaryError:
    return SupplementaryError(message, code=code, fields={field: [message]})


def _today() -> dt.date:
    return timezone.localdate()


def holds_basic(person_id: int, year: int) -> bool:
    """The person is in basic medical insurance (resident or employee) that year."""
    return BasicEnrollment.objects.filter(
        person_id=person_id,
        year=year,
        status=EnrollmentStatus.ACTIVE,
        scheme__kind__in=BASIC_KINDS,
    ).exists()


def check_enroll(person: Person, product: str, day: dt.date) -> int:
    """The cover year ``person`` may enroll in ``product`` on ``day``; raises why not (the
    window, the product, basic insurance; an enrollment already held is checked again under
    the lock by ``enroll``)."""
    year = rules.cover_year_open_on(day)
    if year is None:
        window = rules.window_for(day.year + 1)
        raise _refuse(
            "supplementary.window_closed",
            "product",
            _("Enrollment is open from %(opens)s to %(closes)s.")
            % {"opens": window.opens.isoformat(), "closes": window.closes.isoformat()},
        )
    pack = rules.product(product, dt.date(year, 1, 1))
    if pack is None:
        raise _refuse(
            "supplementary.unknown_product",
            "product",
            _("No supplementary product of this name is on sale for %(year)s.") % {"year": year},
        )
    if not holds_basic(person.pk, year):
        raise _refuse(
            "supplementary.not_insured",
            "person",
            _("The person is not in basic medical insurance for %(year)s.") % {"year": year},
        )
    if (
        Enrollment.objects.filter(person=person, product=product, year=year)
        .exclude(status=Status.CANCELLED)
        .exists()
    ):
        raise _refuse(
            "supplementary.already_enrolled",
            "product",
            _("The person is already enrolled in this product for %(year)s.") % {"year": year},
        )
    return year


def enroll(
    actor: User,
    person: Person,
    product: str,
    *,
    channel: str,
    on: dt.date | None = None,
    on_behalf_of: str = "",
) -> Enrollment:
    """Enroll ``person`` in ``product`` for the cover year whose window is open ``on``."""
    day = on or _today()
    if channel not in Channel.values:
        raise _refuse("supplementary.bad_channel", "channel", _("Choose how the person enrolls."))
    year = check_enroll(person, product, day)
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=person.pk).first()
        if (
            Enrollment.objects.filter(person=person, product=product, year=year)
            .exclude(status=Status.CANCELLED)
            .exists()
        ):
            raise _refuse(
                "supplementary.already_enrolled",
                "product",
                _("The person is already enrolled in this product for %(year)s.") % {"year": year},
            )
        row = Enrollment.objects.create(
            person=person,
            product=product,
            year=year,
            channel=channel,
            status=Status.UNPAID,
            enrolled_on=day,
            region_path=person.region.path,
            created_by=actor,
        )
        log_action(
            acting_user=actor,
            action="supplementary.enrollment.enrolled",
            object_type=ENROLLMENT_OBJECT,
            object_id=row.pk,
            region_path=row.region_path,
            after={"product": product, "year": year, "channel": channel},
            on_behalf_of=on_behalf_of,
        )
    return row


def pay_premium(
    actor: User, enrollment: Enrollment, *, amount: int, method: str, on: dt.date | None = None
) -> Premium:
    """Record the premium (the product's full annual premium, in fen): the cover is in force."""
    day = on or _today()
    if method not in PaymentMethod.values:
        raise _refuse("supplementary.bad_method", "method", _("Choose how the premium was paid."))
    with transaction.atomic():
        row = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if row.status != Status.UNPAID:
            raise _refuse(
                "supplementary.not_unpaid",
                "enrollment",
                _("The premium of this enrollment is already paid or it is cancelled."),
            )
        pack = rules.product(row.product, dt.date(row.year, 1, 1))
        due = rules.premium_fen(pack) if pack is not None else 0
        if isinstance(amount, bool) or not isinstance(amount, int) or amount != due:
            raise _refuse(
                "supplementary.wrong_premium",
                "amount",
                _("The premium is %(due)s yuan.") % {"due": f"{due / 100:.2f}"},
            )
        premium = Premium.objects.create(
            enrollment=row, amount=amount, method=method, day=day, created_by=actor
        )
        row.status = Status.IN_FORCE
        row.paid_on = day
        row.save(update_fields=["status", "paid_on"])
        log_action(
            acting_user=actor,
            action="supplementary.premium.paid",
            object_type=ENROLLMENT_OBJECT,
            object_id=row.pk,
            region_path=row.region_path,
            before={"status": Status.UNPAID},
            after={"status": Status.IN_FORCE, "amount": amount, "method": method},
        )
    enrollment.refresh_from_db()
    return premium


def cancel(actor: User, enrollment: Enrollment, *, on: dt.date | None = None) -> Enrollment:
    """Cancel before the cover starts; a premium paid is refunded (a negative premium)."""
    day = on or _today()
    with transaction.atomic():
        row = Enrollment.objects.select_for_update().get(pk=enrollment.pk)
        if row.status == Status.CANCELLED:
            raise _refuse(
                "supplementary.already_cancelled", "enrollment", _("The enrollment is cancelled.")
            )
        if day >= dt.date(row.year, 1, 1):
            raise _refuse(
                "supplementary.cover_started",
                "enrollment",
                _("The cover has started: the enrollment can no longer be cancelled."),
            )
        before = row.status
        paid = sum(p.amount for p in row.premiums.all())
        if paid:
            method = row.premiums.filter(refund=False).values_list("method", flat=True).first()
            Premium.objects.create(
                enrollment=row,
                amount=-paid,
                method=method or PaymentMethod.WINDOW,
                day=day,
                refund=True,
                created_by=actor,
            )
        row.status = Status.CANCELLED
        row.cancelled_on = day
        row.save(update_fields=["status", "cancelled_on"])
        log_action(
            acting_user=actor,
            action="supplementary.enrollment.cancelled",
            object_type=ENROLLMENT_OBJECT,
            object_id=row.pk,
            region_path=row.region_path,
            before={"status": before},
            after={"status": Status.CANCELLED, "refund": paid},
        )
    enrollment.refresh_from_db()
    return enrollment


# --- Contract C1: the packs a person holds, and the claims of every settlement -----------------


def _held(person_id: int, on: dt.date) -> list[Enrollment]:
    return list(
        Enrollment.objects.filter(
            person_id=person_id, year=on.year, status=Status.IN_FORCE
        ).order_by("product")
    )


def supplementary_packs(person_id: int, on: dt.date) -> list[PolicyPack]:
    """``extra["medical_supplementary_packs"]``: the packs of the products in force on ``on``."""
    found = []
    for row in _held(person_id, on):
        pack = rules.product(row.product, on)
        if pack is not None:
            found.append(pack)
    return found


def _parts(counters: dict[str, int], pack_id: str) -> tuple[int, int, int]:
    key = f"supplementary:{pack_id}"
    return (
        int(counters.get(f"{key}:in_catalogue", 0)),
        int(counters.get(f"{key}:out_of_catalogue", 0)),
        int(counters.get(f"{key}:deductible", 0)),
    )


def settled(*, settlement_id: int, acting_user: User) -> None:
    """``extra["medical_settled"]``: record the claim of each product the settlement paid (its
    part is the product's counter changes: the engine's in- and out-of-catalogue payments), or
    for a reversal the negative claim of the original's."""
    row = Settlement.objects.get(pk=settlement_id)
    if row.kind == SettlementKind.REVERSAL:
        if row.original_id is None:
            return
        originals = Claim.objects.filter(
            settlement__pk=row.original_id,
            kind__in=[ClaimKind.AUTOMATIC, ClaimKind.REQUESTED],
            reversal__isnull=True,
        )
        for claim in originals:
            Claim.objects.create(
                enrollment=claim.enrollment,
                settlement=row,
                kind=ClaimKind.REVERSAL,
                amount=-claim.amount,
                in_catalogue=-claim.in_catalogue,
                out_of_catalogue=-claim.out_of_catalogue,
                deductible=-claim.deductible,
                day=timezone.localdate(row.setl_time),
                original=claim,
                region_path=claim.region_path,
                created_by=acting_user,
            )
            if claim.kind == ClaimKind.REQUESTED:
                # A claimed-afterwards payment is not in the settlement's counter changes:
                # its accumulators come off here (medical has locked the person-year row).
                _count(claim, -1, row.person_id, row.year)
        return
    products = {p["ref"].split("@")[0] for p in row.packs if str(p.get("ref", "")).count("@") <= 1}
    for enrollment in Enrollment.objects.filter(
        person_id=row.person_id, year=row.year, product__in=products
    ):
        pay_in, pay_out, deductible = _parts(row.counter_changes, enrollment.product)
        if not (pay_in or pay_out or deductible):
            continue
        Claim.objects.create(
            enrollment=enrollment,
            settlement=row,
            kind=ClaimKind.AUTOMATIC,
            amount=pay_in + pay_out,
            in_catalogue=pay_in,
            out_of_catalogue=pay_out,
            deductible=deductible,
            day=timezone.localdate(row.setl_time),
            region_path=enrollment.region_path,
            created_by=acting_user,
        )


def claim_settlement(
    actor: User, enrollment: Enrollment, settlement: Settlement, *, on_behalf_of: str = ""
) -> Claim:
    """The person's claim on a settlement made without the product (settled before the premium
    was recorded, inside the cover year): the product's layer alone on that settlement's
    remainders, after the deductible and limits the product has already used this year."""
    with transaction.atomic():
        Person.objects.select_for_update().filter(pk=enrollment.person_id).first()
        enrollment.refresh_from_db()
        if enrollment.status != Status.IN_FORCE:
            raise _refuse(
                "supplementary.not_in_force", "enrollment", _("The cover is not in force.")
            )
        if (
            settlement.person_id != enrollment.person_id
            or settlement.kind != SettlementKind.SETTLEMENT
            or settlement.status != "settled"
            or settlement.year != enrollment.year
        ):
            raise _refuse(
                "supplementary.not_claimable",
                "settlement",
                _("The settlement is not a settlement of this person in the cover year."),
            )
        if Claim.objects.filter(enrollment=enrollment, settlement=settlement).exists() or any(
            str(p.get("ref", "")).startswith(f"{enrollment.product}@") for p in settlement.packs
        ):
            raise _refuse(
                "supplementary.already_claimed",
                "settlement",
                _("The product has already paid on this settlement."),
            )
        pack = rules.product(enrollment.product, dt.date(enrollment.year, 1, 1))
        assert pack is not None
        used = _used(enrollment)
        # The remainders of the settlement: out of scope, class B first, in-scope self-pay.
        out_of_scope = settlement.fulamt_ownpay_amt + settlement.overlmt_selfpay
        inside = settlement.psn_cash_pay - out_of_scope
        pay_in, pay_out, deductible = _layer(pack, settlement, inside, out_of_scope, used)
        claim = Claim.objects.create(
            enrollment=enrollment,
            settlement=settlement,
            kind=ClaimKind.REQUESTED,
            amount=pay_in + pay_out,
            in_catalogue=pay_in,
            out_of_catalogue=pay_out,
            deductible=deductible,
            day=_today(),
            region_path=enrollment.region_path,
            created_by=actor,
        )
        _count(claim, +1, settlement.person_id, settlement.year)
        log_action(
            acting_user=actor,
            action="supplementary.claim.claimed",
            object_type=ENROLLMENT_OBJECT,
            object_id=enrollment.pk,
            region_path=enrollment.region_path,
            after={"settlement": settlement.setl_id, "amount": claim.amount},
            on_behalf_of=on_behalf_of,
        )
    return claim


def _count(claim: Claim, sign: int, person_id: int, year: int) -> None:
    """Add (``sign`` +1) or take off (-1) a claimed-afterwards payment in the person-year
    accumulators, under the engine's keys, so later settlements see the product's use."""
    totals = (
        PersonYearTotals.objects.select_for_update().filter(person_id=person_id, year=year).first()
    )
    if totals is None:
        return
    key = f"supplementary:{claim.enrollment.product}"
    counters = dict(totals.counters)
    for name in ("in_catalogue", "out_of_catalogue", "deductible"):
        value = counters.get(f"{key}:{name}", 0) + sign * getattr(claim, name)
        if value:
            counters[f"{key}:{name}"] = value
        else:
            counters.pop(f"{key}:{name}", None)
    totals.counters = counters
    totals.save(update_fields=["counters"])


def _used(enrollment: Enrollment) -> dict[str, int]:
    used: dict[str, int] = {}
    for claim in enrollment.claims.all():
        for name in ("in_catalogue", "out_of_catalogue", "deductible"):
            key = f"supplementary:{enrollment.product}:{name}"
            used[key] = used.get(key, 0) + getattr(claim, name)
    return used


def _layer(
    pack: PolicyPack, settlement: Settlement, inside: int, outside: int, used: dict[str, int]
) -> tuple[int, int, int]:
    """The product's layer through the engine on remainders ``inside`` (in the catalogue) and
    ``outside`` (out of it): a claim whose public layers paid nothing, whose in-scope part is
    the settlement's in-catalogue remainder, stacked with the product on a zero-benefit pack."""
    product = pack.supplementary.supplementary
    if settlement.visit_type not in {v.value for v in product.visit_types}:
        return 0, 0, 0
    key = f"supplementary:{pack.id}"
    met = used.get(f"{key}:deductible", 0)
    left = max(0, product.deductible - met)
    d_in = min(left, inside)
    d_out = min(left - d_in, outside)
    rounding = pack.rules.rounding
    pay_in = min(
        apply_ratio(inside - d_in, product.in_catalogue.ratio, rounding),
        max(0, product.in_catalogue.annual_limit - used.get(f"{key}:in_catalogue", 0)),
    )
    pay_out = min(
        apply_ratio(outside - d_out, product.out_of_catalogue.ratio, rounding),
        max(0, product.out_of_catalogue.annual_limit - used.get(f"{key}:out_of_catalogue", 0)),
    )
    return pay_in, pay_out, d_in + d_out


# --- Contract C3: co-insured items ----------------------------------------------------------


def coinsured_products() -> list[tuple[str, str]]:
    from django.utils.translation import get_language

    zh = (get_language() or "zh-hans").lower().startswith("zh")
    labels = [(p.id, p.supplementary.supplementary.label) for p in rules.products()]
    return [(pack_id, label.zh if zh else label.en) for pack_id, label in labels]


def coinsured_items(start: dt.date, end: dt.date) -> Iterable[CoinsuredItem]:
    for pk, product, day, amount in (
        Premium.objects.filter(day__gte=start, day__lt=end)
        .values_list("pk", "enrollment__product", "day", "amount")
        .order_by("day", "pk")
    ):
        yield CoinsuredItem(product, "premium", f"premium:{pk}", day, amount)
    for pk, product, day, amount in (
        Claim.objects.filter(day__gte=start, day__lt=end)
        .values_list("pk", "enrollment__product", "day", "amount")
        .order_by("day", "pk")
    ):
        yield CoinsuredItem(product, "claim", f"claim:{pk}", day, amount)
