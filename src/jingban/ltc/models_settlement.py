"""The settlement part's own models (re-exported by ``models``): the monthly payment batch.

- ``SettlementBatch`` (结算批次): one region's month under one LTC pack version, moved through
  the four stages 申报 → 初审 → 复核 → 拨付 (claim, first review, second review, payment), each
  by a different person, with its totals in fen. A rerun before payment replaces its statements
  (the batch row stays, so its log and its adjustments stay with it); once paid it is frozen.
- ``Statement`` (结算单): one beneficiary's month in a batch, with its ``StatementLine``s (one
  per accepted unit, with the institution that gave it, for the per-institution totals) and the
  rows rejected with their reasons (JSON: code, parameters, day, care form).
- ``Adjustment`` (调整): the difference between a recomputation of a paid month and what was
  paid, for one person, carried in a later month's batch.
- ``BatchEvent``: every stage move, return and rerun of a batch, with who and why (each is also
  in the action log).

Conservation, checked by the services on every write: the sums of a batch's statements are the
batch's totals, and billed = fund + self-pay on every line, statement, adjustment and batch.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class BatchStage(models.TextChoices):
    """Where a batch stands. ``computed`` is a run nobody has claimed yet."""

    COMPUTED = "computed", _("Computed, not yet claimed")
    CLAIMED = "claimed", _("Claimed")
    FIRST_REVIEWED = "first_reviewed", _("First review passed")
    SECOND_REVIEWED = "second_reviewed", _("Second review passed")
    PAID = "paid", _("Paid")


class SettlementBatch(models.Model):
    """结算批次: one region's month under one LTC pack version."""

    region = models.ForeignKey(
        "core.Region", on_delete=models.PROTECT, related_name="+", verbose_name=_("region")
    )
    region_path = models.CharField(max_length=200, db_index=True)
    month = models.DateField(_("month"))  # the first day of the month settled
    pack_id = models.CharField(_("policy pack"), max_length=64)
    pack_version = models.PositiveIntegerField(_("pack version"))
    pack_hash = models.CharField(max_length=64)
    pack_sample = models.BooleanField(default=False)
    stage = models.CharField(
        _("stage"), max_length=20, choices=BatchStage.choices, default=BatchStage.COMPUTED
    )
    statement_count = models.PositiveIntegerField(_("statements"), default=0)
    billed_fen = models.BigIntegerField(_("billed"), default=0)
    fund_fen = models.BigIntegerField(_("paid by the fund"), default=0)
    self_pay_fen = models.BigIntegerField(_("paid by the person"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected rows"), default=0)
    # The adjustments of earlier paid months this batch carries (their own sums).
    adjustment_billed_fen = models.BigIntegerField(_("adjustments billed"), default=0)
    adjustment_fund_fen = models.BigIntegerField(_("adjustments to the fund"), default=0)
    adjustment_self_pay_fen = models.BigIntegerField(_("adjustments to the person"), default=0)
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    run_at = models.DateTimeField(_("computed at"), null=True)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    first_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_reviewed_at = models.DateTimeField(null=True, blank=True)
    second_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    second_reviewed_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-month", "region_path", "-id"]
        verbose_name = _("settlement batch")
        verbose_name_plural = _("settlement batches")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["region", "month", "pack_id", "pack_version"],
                name="ltc_batch_region_month_pack",
            ),
            # At most one batch of a region's month that is not yet paid: a rerun replaces it.
            models.UniqueConstraint(
                fields=["region", "month"],
                condition=~models.Q(stage="paid"),
                name="ltc_batch_one_open_per_month",
            ),
            models.CheckConstraint(
                condition=models.Q(billed_fen=models.F("fund_fen") + models.F("self_pay_fen")),
                name="ltc_batch_conserved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.month:%Y-%m} {self.pack_id}@{self.pack_version}"

    @property
    def payable_fen(self) -> int:
        """What the fund pays out with this batch: its statements and its adjustments."""
        return self.fund_fen + self.adjustment_fund_fen


class Statement(models.Model):
    """结算单: one beneficiary's month in a batch."""

    batch = models.ForeignKey(SettlementBatch, on_delete=models.CASCADE, related_name="statements")
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    region_path = models.CharField(max_length=200, db_index=True)
    billed_fen = models.BigIntegerField(_("billed"))
    fund_fen = models.BigIntegerField(_("paid by the fund"))
    self_pay_fen = models.BigIntegerField(_("paid by the person"))
    hospital_days = models.PositiveSmallIntegerField(_("days in hospital"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected rows"), default=0)
    # Each rejected row: {"code", "params", "date", "care_form", "ref"}.
    rejected = models.JSONField(_("rejected rows"), default=list, blank=True)

    class Meta:
        ordering = ["batch", "person_id"]
        verbose_name = _("settlement statement")
        verbose_name_plural = _("settlement statements")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["batch", "person"], name="ltc_statement_once"),
            models.CheckConstraint(
                condition=models.Q(billed_fen=models.F("fund_fen") + models.F("self_pay_fen")),
                name="ltc_statement_conserved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.batch_id}/{self.person_id}"


class StatementLine(models.Model):
    """One accepted unit of a statement: a visit, a day, or a care form's prorated month."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="lines")
    institution = models.ForeignKey(
        "providers.Institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("institution"),
    )
    service_date = models.DateField(_("service date"))
    care_form = models.CharField(_("care form"), max_length=20)
    quantity = models.DecimalField(_("quantity"), max_digits=8, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=10)  # hours or days
    billed_fen = models.BigIntegerField(_("billed"))
    fund_fen = models.BigIntegerField(_("paid by the fund"))
    self_pay_fen = models.BigIntegerField(_("paid by the person"))
    flags = models.JSONField(_("flags"), default=list, blank=True)
    refs = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["statement", "service_date", "id"]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(billed_fen=models.F("fund_fen") + models.F("self_pay_fen")),
                name="ltc_statement_line_conserved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.statement_id} {self.service_date} {self.care_form}"


class Adjustment(models.Model):
    """调整: what a recomputation of a paid month differs from what was paid, for one person,
    carried in a later month's batch (``batch``; empty until a later month is run)."""

    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    region = models.ForeignKey("core.Region", on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=200, db_index=True)
    corrects = models.ForeignKey(
        SettlementBatch,
        on_delete=models.PROTECT,
        related_name="corrections",
        verbose_name=_("corrects the batch"),
    )
    batch = models.ForeignKey(
        SettlementBatch,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="adjustments",
        verbose_name=_("carried in the batch"),
    )
    billed_fen = models.BigIntegerField(_("billed"))
    fund_fen = models.BigIntegerField(_("paid by the fund"))
    self_pay_fen = models.BigIntegerField(_("paid by the person"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("settlement adjustment")
        verbose_name_plural = _("settlement adjustments")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(billed_fen=models.F("fund_fen") + models.F("self_pay_fen")),
                name="ltc_adjustment_conserved",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} corrects {self.corrects_id}"


class BatchEventKind(models.TextChoices):
    COMPUTED = "computed", _("Computed")
    RECOMPUTED = "recomputed", _("Recomputed")
    CLAIMED = "claimed", _("Claimed")
    FIRST_REVIEWED = "first_reviewed", _("First review passed")
    SECOND_REVIEWED = "second_reviewed", _("Second review passed")
    PAID = "paid", _("Paid")
    RETURNED = "returned", _("Sent back")
    CORRECTED = "corrected", _("Paid month recomputed: adjustments recorded")


class BatchEvent(models.Model):
    """One step in a batch's history: who did what, from which stage to which, and why."""

    batch = models.ForeignKey(SettlementBatch, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=20, choices=BatchEventKind.choices)
    from_stage = models.CharField(max_length=20, choices=BatchStage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=BatchStage.choices, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.batch_id} {self.kind}"


__all__: list[str] = [
    "Adjustment",
    "BatchEvent",
    "BatchEventKind",
    "BatchStage",
    "SettlementBatch",
    "Statement",
    "StatementLine",
]
