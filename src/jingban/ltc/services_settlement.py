"""The monthly settlement of long-term care: run a region's month through the engine into a
batch, move it through 申报 → 初审 → 复核 → 拨付 by four different people, and correct a paid
month with adjustment lines carried in a later month.

- The pack is the LTC pack (family ``ltc``, scheme ``ltc``) in force for the region on the
  month's first day: approved versions in the database first, the shipped packs otherwise.
- The figures are the engine's (``engine.ltc.settle.settle_month``); this module stores them.
- A rerun before payment replaces the batch's statements in one transaction (the batch row,
  its history and the adjustments it carries stay); the unique constraints make a double
  impossible even for two runs at once. A paid batch is frozen: a rerun is refused, and
  ``record_corrections`` stores the difference between a recomputation and what was paid, per
  person, as ``Adjustment`` lines that the region's next unpaid later month carries.
- Every write checks conservation (sum of statements = batch totals; billed = fund + self-pay)
  and is logged (``log_action``) with a ``BatchEvent``.

Settling runs inline: a region's month is a few queries and one pass of the engine, well inside
a request for a county or the demo city. A job for province-sized regions (``jobs_settlement``)
is not written yet; it would call the same ``run_month``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jingban.core.actionlog import log_action
from jingban.core.errors import DomainError, Forbidden, ValidationFailed
from jingban.core.models import Region, User
from jingban.engine.ltc.settle import (
    PersonMonth,
    ServiceRow,
    settle_month,
)
from jingban.engine.policy.header import Family
from jingban.engine.policy.loader import PolicyPack
from jingban.ltc import policy
from jingban.ltc.models_settlement import (
    Adjustment,
    BatchEvent,
    BatchEventKind,
    BatchStage,
    SettlementBatch,
    Statement,
    StatementLine,
)

OBJECT_TYPE = "ltc.settlement_batch"


class Cap:
    VIEW = "ltc.settlement.view"
    CLAIM = "ltc.settlement.claim"
    FIRST_REVIEW = "ltc.settlement.first_review"
    SECOND_REVIEW = "ltc.settlement.second_review"
    PAY = "ltc.settlement.pay"


class SettlementRefused(DomainError):
    code = "ltc.settlement.refused"
    status = 409


# --- The pack ----------------------------------------------------------------------------------


def settlement_pack(region: Region, month: dt.date) -> PolicyPack:
    """The LTC pack in force for ``region`` on the month's first day."""
    pack = policy.find_pack(region.code, month.replace(day=1), Family.LTC)
    if pack is None:
        raise SettlementRefused(
            _("No long-term care policy pack is in force for this region on the month's first day.")
        )
    return pack


# --- The service rows ---------------------------------------------------------------------------


def _service_rows(region_path_prefix: str, month: dt.date) -> Iterator[ServiceRow]:
    """The month's service records under ``region_path_prefix`` as the engine's rows, read by
    the care part (visits, bed-days in care, days in hospital, with each person's level,
    dementia and category)."""
    from jingban.ltc.queries_care import service_rows

    return service_rows(region_path_prefix, month)


# --- Running a month ---------------------------------------------------------------------------


def _month_of(value: dt.date) -> dt.date:
    return value.replace(day=1)


def _settle(
    region: Region, month: dt.date, pack: PolicyPack
) -> tuple[list[PersonMonth], dict[str, str]]:
    rows = list(_service_rows(region.path, month))
    institution_of = {row.ref: row.institution_id for row in rows}
    return list(settle_month(pack.ltc, month, rows)), institution_of


def _statements(
    batch: SettlementBatch, results: list[PersonMonth], institution_of: dict[str, str]
) -> None:
    from jingban.registry.models import Person

    paths = dict(
        Person.objects.filter(pk__in=[int(r.person_id) for r in results]).values_list(
            "pk", "region__path"
        )
    )
    statements = Statement.objects.bulk_create(
        Statement(
            batch=batch,
            person_id=int(result.person_id),
            region_path=paths.get(int(result.person_id), batch.region_path),
            billed_fen=result.billed_fen,
            fund_fen=result.fund_fen,
            self_pay_fen=result.self_pay_fen,
            hospital_days=result.hospital_days,
            rejected_count=len(result.rejected),
            rejected=[
                {
                    "code": item.code,
                    "params": dict(item.params),
                    "date": item.row.service_date.isoformat(),
                    "care_form": item.row.care_form,
                    "ref": item.row.ref,
                }
                for item in result.rejected
            ],
        )
        for result in results
    )
    lines: list[StatementLine] = []
    for statement, result in zip(statements, results, strict=True):
        for line in result.lines:
            institution = next(
                (institution_of.get(ref) for ref in line.refs if institution_of.get(ref)), ""
            )
            lines.append(
                StatementLine(
                    statement=statement,
                    institution_id=int(institution) if institution else None,
                    service_date=line.service_date,
                    care_form=line.care_form.value,
                    quantity=Decimal(line.quantity.numerator) / Decimal(line.quantity.denominator),
                    unit=line.unit,
                    billed_fen=line.billed_fen,
                    fund_fen=line.fund_fen,
                    self_pay_fen=line.self_pay_fen,
                    flags=list(line.flags),
                    refs=list(line.refs),
                )
            )
    StatementLine.objects.bulk_create(lines, batch_size=2000)


def _total(batch: SettlementBatch) -> None:
    """Write the batch's totals from its statements and adjustments, checking conservation."""
    sums = batch.statements.aggregate(
        billed=Sum("billed_fen"), fund=Sum("fund_fen"), own=Sum("self_pay_fen")
    )
    batch.statement_count = batch.statements.count()
    batch.billed_fen = sums["billed"] or 0
    batch.fund_fen = sums["fund"] or 0
    batch.self_pay_fen = sums["own"] or 0
    batch.rejected_count = batch.statements.aggregate(n=Sum("rejected_count"))["n"] or 0
    adj = batch.adjustments.aggregate(
        billed=Sum("billed_fen"), fund=Sum("fund_fen"), own=Sum("self_pay_fen")
    )
    batch.adjustment_billed_fen = adj["billed"] or 0
    batch.adjustment_fund_fen = adj["fund"] or 0
    batch.adjustment_self_pay_fen = adj["own"] or 0
    if batch.billed_fen != batch.fund_fen + batch.self_pay_fen:  # pragma: no cover - a defect
        raise AssertionError("settlement batch not conserved")
    line_sums = StatementLine.objects.filter(statement__batch=batch).aggregate(b=Sum("billed_fen"))
    if (line_sums["b"] or 0) != batch.billed_fen:  # pragma: no cover - a defect
        raise AssertionError("statement lines do not add up to the batch")


def _clear_stages(batch: SettlementBatch) -> None:
    batch.stage = BatchStage.COMPUTED
    batch.claimed_by = batch.first_reviewed_by = batch.second_reviewed_by = None
    batch.claimed_at = batch.first_reviewed_at = batch.second_reviewed_at = None


def _summary(batch: SettlementBatch) -> dict[str, object]:
    return {
        "month": batch.month.strftime("%Y-%m"),
        "stage": batch.stage,
        "pack": f"{batch.pack_id}@{batch.pack_version}",
        "statement_count": batch.statement_count,
        "billed_fen": batch.billed_fen,
        "fund_fen": batch.fund_fen,
        "self_pay_fen": batch.self_pay_fen,
        "adjustment_fund_fen": batch.adjustment_fund_fen,
    }


def _event(
    batch: SettlementBatch,
    kind: str,
    by: User | None,
    *,
    from_stage: str = "",
    note: str = "",
    action: str,
    before: dict[str, object] | None = None,
) -> None:
    BatchEvent.objects.create(
        batch=batch, kind=kind, from_stage=from_stage, to_stage=batch.stage, by=by, note=note
    )
    log_action(
        acting_user=by,
        action=action,
        object_type=OBJECT_TYPE,
        object_id=batch.pk,
        region_path=batch.region_path,
        before=before,
        after=_summary(batch),
        reason=note,
    )


def _require(user: User | None, capability: str) -> None:
    if user is not None and not user.can(capability):
        raise Forbidden()


def _ancestor_paths(path: str) -> list[str]:
    """``320000/320500/320506/`` → ``320000/``, ``320000/320500/``."""
    parts = [p for p in path.split("/") if p]
    return ["/".join(parts[:i]) + "/" for i in range(1, len(parts))]


def run_month(
    region: Region, month: dt.date, *, by: User | None, today: dt.date
) -> SettlementBatch:
    """Settle ``region``'s ``month`` into its batch: a new one, or the unpaid one replaced.

    Refused for a month not yet begun and for a month already paid (a correction of a paid
    month is ``record_corrections``)."""
    _require(by, Cap.CLAIM)
    month = _month_of(month)
    if month > _month_of(today):
        raise ValidationFailed(
            _("A month that has not begun cannot be settled."),
            fields={"month": [_("Choose this month or an earlier one.")]},
        )
    pack = settlement_pack(region, month)
    try:
        with transaction.atomic():
            batches = list(
                SettlementBatch.objects.select_for_update()
                .filter(region=region, month=month)
                .order_by("pk")
            )
            overlapping = (
                SettlementBatch.objects.filter(month=month)
                .exclude(region=region)
                .filter(
                    Q(region_path__startswith=region.path)
                    | Q(region_path__in=_ancestor_paths(region.path))
                )
            )
            if overlapping.exists():
                raise SettlementRefused(
                    _(
                        "This month is already settled for a region that contains this one or "
                        "lies inside it: a person is settled once a month."
                    )
                )
            if any(b.stage == BatchStage.PAID for b in batches):
                raise SettlementRefused(
                    _(
                        "This month is already paid and cannot be settled again. Record a "
                        "correction instead: it is carried in a later month."
                    )
                )
            results, institution_of = _settle(region, month, pack)
            now = timezone.now()
            batch = batches[0] if batches else None
            before = _summary(batch) if batch is not None else None
            if batch is None:
                batch = SettlementBatch.objects.create(
                    region=region,
                    region_path=region.path,
                    month=month,
                    pack_id=pack.id,
                    pack_version=pack.version,
                    pack_hash=pack.hash,
                    pack_sample=any(f.sample for f in pack.figures),
                    run_by=by,
                    run_at=now,
                )
                kind, action, from_stage = BatchEventKind.COMPUTED, "ltc.settlement.computed", ""
            else:
                # Replace: the old statements go (their lines with them), the stages restart.
                from_stage = batch.stage
                batch.statements.all().delete()
                _clear_stages(batch)
                batch.pack_id, batch.pack_version = pack.id, pack.version
                batch.pack_hash = pack.hash
                batch.pack_sample = any(f.sample for f in pack.figures)
                batch.run_by, batch.run_at = by, now
                kind, action = BatchEventKind.RECOMPUTED, "ltc.settlement.recomputed"
            _statements(batch, results, institution_of)
            # Corrections of earlier paid months not yet carried: this month carries them.
            Adjustment.objects.filter(
                region=region, batch__isnull=True, corrects__month__lt=month
            ).update(batch=batch)
            _total(batch)
            batch.save()
            _event(batch, kind, by, from_stage=from_stage, action=action, before=before)
    except IntegrityError as error:
        # Two runs of the same month at once: the second finds the first's batch.
        raise SettlementRefused(
            _("This month is being settled by someone else. Reload and try again.")
        ) from error
    return batch


# --- The four stages ---------------------------------------------------------------------------

# stage → (the stage it comes from, capability, signature field, event kind, action code)
STEPS: dict[str, tuple[str, str, str, str, str]] = {
    BatchStage.CLAIMED: (
        BatchStage.COMPUTED,
        Cap.CLAIM,
        "claimed",
        BatchEventKind.CLAIMED,
        "ltc.settlement.claimed",
    ),
    BatchStage.FIRST_REVIEWED: (
        BatchStage.CLAIMED,
        Cap.FIRST_REVIEW,
        "first_reviewed",
        BatchEventKind.FIRST_REVIEWED,
        "ltc.settlement.first_reviewed",
    ),
    BatchStage.SECOND_REVIEWED: (
        BatchStage.FIRST_REVIEWED,
        Cap.SECOND_REVIEW,
        "second_reviewed",
        BatchEventKind.SECOND_REVIEWED,
        "ltc.settlement.second_reviewed",
    ),
    BatchStage.PAID: (
        BatchStage.SECOND_REVIEWED,
        Cap.PAY,
        "paid",
        BatchEventKind.PAID,
        "ltc.settlement.paid",
    ),
}
ORDER = [
    BatchStage.COMPUTED,
    BatchStage.CLAIMED,
    BatchStage.FIRST_REVIEWED,
    BatchStage.SECOND_REVIEWED,
    BatchStage.PAID,
]
_SIGNED_BEFORE = {
    BatchStage.CLAIMED: (),
    BatchStage.FIRST_REVIEWED: ("claimed",),
    BatchStage.SECOND_REVIEWED: ("claimed", "first_reviewed"),
    BatchStage.PAID: ("claimed", "first_reviewed", "second_reviewed"),
}
STAGE_NAMES = {
    "claimed": _("the claim"),
    "first_reviewed": _("the first review"),
    "second_reviewed": _("the second review"),
}


def next_stage(batch: SettlementBatch) -> str | None:
    index = ORDER.index(BatchStage(batch.stage))
    return ORDER[index + 1] if index + 1 < len(ORDER) else None


def why_not(batch: SettlementBatch, user: User, stage: str) -> str | None:
    """Why ``user`` may not move ``batch`` to ``stage`` (None: they may)."""
    source, capability, _field, _kind, _action = STEPS[stage]
    if not user.can(capability):
        return str(_("You do not have permission to do this."))
    if batch.stage != source:
        return str(_("The batch is not at the stage this step comes after."))
    for signed in _SIGNED_BEFORE[BatchStage(stage)]:
        if getattr(batch, f"{signed}_by_id") == user.pk:
            return str(
                _("You did %(stage)s of this batch: each stage is done by a different person.")
                % {"stage": STAGE_NAMES[signed]}
            )
    return None


def advance(
    batch: SettlementBatch, stage: str, *, by: User, confirm: bool = False, note: str = ""
) -> SettlementBatch:
    """Move ``batch`` one stage on, signed by ``by``. Payment needs ``confirm``: it cannot be
    undone."""
    if stage not in STEPS:
        raise ValidationFailed(fields={"stage": [_("Choose a stage.")]})
    with transaction.atomic():
        locked = SettlementBatch.objects.select_for_update().get(pk=batch.pk)
        reason = why_not(locked, by, stage)
        if reason is not None:
            if not by.can(STEPS[stage][1]):
                raise Forbidden()
            raise SettlementRefused(reason)
        if stage == BatchStage.PAID and not confirm:
            raise ValidationFailed(
                _("Payment cannot be undone: confirm it."),
                fields={"confirm": [_("Tick to confirm the payment.")]},
            )
        _source, _cap, field, kind, action = STEPS[stage]
        before = _summary(locked)
        from_stage = locked.stage
        locked.stage = stage
        setattr(locked, f"{field}_by", by)
        setattr(locked, f"{field}_at", timezone.now())
        locked.save()
        _event(locked, kind, by, from_stage=from_stage, note=note, action=action, before=before)
    return locked


# stage the batch is at → (the capability that may send it back, the signature it clears)
RETURNS: dict[str, tuple[str, str]] = {
    BatchStage.CLAIMED: (Cap.FIRST_REVIEW, "claimed"),
    BatchStage.FIRST_REVIEWED: (Cap.SECOND_REVIEW, "first_reviewed"),
    BatchStage.SECOND_REVIEWED: (Cap.PAY, "second_reviewed"),
}


def can_return(batch: SettlementBatch, user: User) -> bool:
    entry = RETURNS.get(batch.stage)
    if entry is None or not user.can(entry[0]):
        return False
    nxt = next_stage(batch)
    return nxt is not None and why_not(batch, user, nxt) is None


def send_back(batch: SettlementBatch, *, by: User, reason: str) -> SettlementBatch:
    """Send ``batch`` back one stage with ``reason``: by whoever would do the next stage."""
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the batch is sent back.")]})
    with transaction.atomic():
        locked = SettlementBatch.objects.select_for_update().get(pk=batch.pk)
        entry = RETURNS.get(locked.stage)
        if entry is None:
            raise SettlementRefused(_("A batch at this stage cannot be sent back."))
        if not by.can(entry[0]):
            raise Forbidden()
        nxt = next_stage(locked)
        assert nxt is not None
        refusal = why_not(locked, by, nxt)
        if refusal is not None:
            raise SettlementRefused(refusal)
        before = _summary(locked)
        from_stage = locked.stage
        locked.stage = ORDER[ORDER.index(BatchStage(locked.stage)) - 1]
        setattr(locked, f"{entry[1]}_by", None)
        setattr(locked, f"{entry[1]}_at", None)
        locked.save()
        _event(
            locked,
            BatchEventKind.RETURNED,
            by,
            from_stage=from_stage,
            note=reason,
            action="ltc.settlement.returned",
            before=before,
        )
    return locked


# --- Corrections of a paid month ---------------------------------------------------------------


def record_corrections(batch: SettlementBatch, *, by: User | None, reason: str) -> list[Adjustment]:
    """Recompute a paid month with today's records and store, per person, the difference from
    what was paid (and corrected already) as adjustments; the region's next unpaid later month
    carries them (at once if it exists, else when it is run)."""
    _require(by, Cap.CLAIM)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say why the paid month is recomputed.")]})
    with transaction.atomic():
        locked = SettlementBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.stage != BatchStage.PAID:
            raise SettlementRefused(
                _("Only a paid month is corrected by adjustments: settle this one again instead.")
            )
        region = locked.region
        results, _institutions = _settle(region, locked.month, _batch_pack(locked))
        paid: dict[int, list[int]] = {
            person: [billed, fund, own]
            for person, billed, fund, own in locked.statements.values_list(
                "person_id", "billed_fen", "fund_fen", "self_pay_fen"
            )
        }
        for person, billed, fund, own in locked.corrections.values_list(
            "person_id", "billed_fen", "fund_fen", "self_pay_fen"
        ):
            sums = paid.setdefault(person, [0, 0, 0])
            sums[0] += billed
            sums[1] += fund
            sums[2] += own
        now_figures = {
            int(r.person_id): (r.billed_fen, r.fund_fen, r.self_pay_fen) for r in results
        }
        from jingban.registry.models import Person

        paths = dict(
            Person.objects.filter(pk__in=set(paid) | set(now_figures)).values_list(
                "pk", "region__path"
            )
        )
        later = (
            SettlementBatch.objects.filter(region=region, month__gt=locked.month)
            .exclude(stage=BatchStage.PAID)
            .order_by("month")
            .first()
        )
        adjustments = [
            Adjustment(
                person_id=person,
                region=region,
                region_path=paths.get(person, locked.region_path),
                corrects=locked,
                batch=later,
                billed_fen=now[0] - old[0],
                fund_fen=now[1] - old[1],
                self_pay_fen=now[2] - old[2],
                reason=reason[:300],
                created_by=by,
            )
            for person in sorted(set(paid) | set(now_figures))
            for old in [paid.get(person, [0, 0, 0])]
            for now in [now_figures.get(person, (0, 0, 0))]
            if tuple(now) != tuple(old)
        ]
        Adjustment.objects.bulk_create(adjustments)
        if later is not None:
            _total(later)
            later.save()
        BatchEvent.objects.create(
            batch=locked,
            kind=BatchEventKind.CORRECTED,
            from_stage=locked.stage,
            to_stage=locked.stage,
            by=by,
            note=reason,
        )
        log_action(
            acting_user=by,
            action="ltc.settlement.corrected",
            object_type=OBJECT_TYPE,
            object_id=locked.pk,
            region_path=locked.region_path,
            after={
                "adjustments": len(adjustments),
                "fund_fen": sum(a.fund_fen for a in adjustments),
                "carried_in": later.pk if later is not None else None,
            },
            reason=reason,
        )
    return adjustments


def _batch_pack(batch: SettlementBatch) -> PolicyPack:
    """The pack version the batch was settled with (a paid month is recomputed by its own
    rules: the correction is about the records, not a later pack)."""
    pack = policy.exact_pack(batch.pack_id, batch.pack_version, batch.pack_hash)
    if pack is not None:
        return pack
    return settlement_pack(batch.region, batch.month)
